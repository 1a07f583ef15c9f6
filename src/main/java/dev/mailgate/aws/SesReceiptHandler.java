package dev.mailgate.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.mailgate.gateway.Invocation;
import dev.mailgate.gateway.MessageRef;
import dev.mailgate.gateway.Outcome;
import dev.mailgate.gateway.SesReceipt;
import dev.mailgate.policy.SyncDisposition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The handler of an SES receipt rule's Lambda action ({@code dev.mailgate.aws.SesReceiptHandler}). SES's
 * S3 action stores the message first (key = prefix + message ID); the event tells which message, its
 * envelope and SES's verdicts, and whether SES waits for an answer.
 *
 * <p>Synchronous (RequestResponse): returns {@code {"disposition": "CONTINUE" | "STOP_RULE" |
 * "STOP_RULE_SET"}} within SES's 30 seconds, chosen per action by the configuration's {@code sync}
 * section; when processing fails it answers {@code sync.error} (CONTINUE by default) rather than fail,
 * because SES needs an answer, and the object's tags say what happened. Asynchronous (Event): returns the
 * same map, but throws {@link RetryLaterException} when a message must be tried again, so that Lambda
 * retries and finally uses the dead-letter queue. A malformed event fails the invocation too (asynchronous:
 * the event ends in the dead-letter queue) unless it says RequestResponse, when the answer is CONTINUE.
 */
public final class SesReceiptHandler implements RequestHandler<Map<String, Object>, Map<String, String>> {
  static {
    Priming.register();
  }

  private final Supplier<GatewayRuntime> runtime;

  /** The handler Lambda instantiates: the runtime comes from the environment, on first use. */
  public SesReceiptHandler() {
    this(GatewayRuntime::shared);
  }

  /** A handler on a given runtime (local runs, tests). */
  public SesReceiptHandler(GatewayRuntime runtime) {
    this(() -> runtime);
  }

  private SesReceiptHandler(Supplier<GatewayRuntime> runtime) {
    this.runtime = runtime;
  }

  @Override
  public Map<String, String> handleRequest(Map<String, Object> event, Context context) {
    HandlerResult r = handle(event, context);
    if (r.failure() != null) {
      throw new RetryLaterException(r.failure());
    }
    return Map.of("disposition", r.disposition().name());
  }

  /** Processes the event and says what happened, without throwing for a retry (the CLI prints it). */
  public HandlerResult handle(Map<String, Object> event, Context context) {
    GatewayRuntime rt = runtime.get();
    Instant now = rt.clock().instant();
    long remaining = context == null ? 900_000 : context.getRemainingTimeInMillis();
    String requestId = context == null ? null : context.getAwsRequestId();
    SesEvent ev;
    try {
      ev = SesEvent.fromMap(event);
    } catch (MalformedEventException e) {
      rt.log().problem("malformed-ses-event", e.getMessage());
      boolean sync = saysRequestResponse(event);
      return new HandlerResult(List.of(), sync, SyncDisposition.CONTINUE,
          sync ? null : "malformed SES event: " + e.getMessage(), List.of("malformed SES event: " + e.getMessage()));
    }
    List<Outcome> outcomes = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<String> retry = new ArrayList<>();
    boolean sync = false;
    SyncDisposition disposition = null;
    for (SesEvent.Record rec : ev.records()) {
      SesEvent.Action action = rec.receipt().action();
      boolean recSync = action != null && action.synchronous();
      sync |= recSync;
      MessageRef ref = ref(rt, rec);
      if (ref == null) {
        String note = "message " + rec.mail().messageId() + ": " + Config.BUCKET
            + " is not set and the event names no bucket";
        rt.log().problem("no-bucket", note);
        notes.add(note);
        retry.add(rec.mail().messageId() + " (no bucket)");
        continue;
      }
      SesReceipt receipt = new SesReceipt(rec.mail().messageId(), rec.mail().source(), rec.receipt().recipients(),
          rec.receipt().verdicts(), rec.mail().headersTruncated(), recSync, rec.mail().timestamp());
      Instant deadline = rt.deadline(now, remaining, recSync);
      Outcome o = rt.gateway().process(ref, deadline,
          new Invocation(recSync, receipt, requestId, now.plusMillis(remaining), "ses"));
      outcomes.add(o);
      if (o.retryLater()) {
        retry.add(o.ref().messageId() + " (" + o.state().word() + ": " + o.detail() + ")");
      }
      if (disposition == null) {
        disposition = o.disposition(); // SES sends one message per event; the first decides
      }
    }
    String failure = retry.isEmpty() || sync ? null : "to be retried: " + String.join("; ", retry);
    return new HandlerResult(outcomes, sync, disposition == null ? SyncDisposition.CONTINUE : disposition, failure,
        notes);
  }

  /** Where the message is: the S3 action's bucket and key when the event has them, else bucket + prefix + ID. */
  static MessageRef ref(GatewayRuntime rt, SesEvent.Record rec) {
    String id = rec.mail().messageId();
    SesEvent.Action a = rec.receipt().action();
    if (a != null && "S3".equals(a.type()) && a.bucketName() != null && a.objectKey() != null) {
      return new MessageRef(a.bucketName(), a.objectKey(), id);
    }
    if (rt.bucket() == null) {
      return null;
    }
    return new MessageRef(rt.bucket(), rt.objectPrefix() + id, id);
  }

  /** Whether a (malformed) event still says it is synchronous, so that SES gets an answer. */
  @SuppressWarnings("unchecked")
  private static boolean saysRequestResponse(Map<String, Object> event) {
    try {
      Object rec = ((List<Object>) event.get("Records")).get(0);
      Map<String, Object> ses = (Map<String, Object>) ((Map<String, Object>) rec).get("ses");
      Map<String, Object> receipt = (Map<String, Object>) ses.get("receipt");
      Map<String, Object> action = (Map<String, Object>) receipt.get("action");
      return "RequestResponse".equals(action.get("invocationType"));
    } catch (RuntimeException e) {
      return false;
    }
  }
}
