package dev.mailgate.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.mailgate.gateway.Invocation;
import dev.mailgate.gateway.MessageRef;
import dev.mailgate.gateway.Outcome;
import dev.mailgate.policy.PolicyConfig;
import dev.mailgate.policy.SyncDisposition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The handler of S3 ObjectCreated notifications for the bucket SES stores messages in
 * ({@code dev.mailgate.aws.S3ObjectHandler}): the same pipeline, with the envelope and SES's verdicts read
 * from the stored message itself. Objects outside the message prefix, and those mailgate writes itself
 * (quarantine copies, delivery markers), are ignored, so the function never triggers itself. Always
 * asynchronous: throws {@link RetryLaterException} when a message must be tried again.
 */
public final class S3ObjectHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  static {
    Priming.register();
  }

  private final Supplier<GatewayRuntime> runtime;

  public S3ObjectHandler() {
    this(GatewayRuntime::shared);
  }

  public S3ObjectHandler(GatewayRuntime runtime) {
    this(() -> runtime);
  }

  private S3ObjectHandler(Supplier<GatewayRuntime> runtime) {
    this.runtime = runtime;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    HandlerResult r = handle(event, context);
    if (r.failure() != null) {
      throw new RetryLaterException(r.failure());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("processed", r.outcomes().size());
    out.put("ignored", r.notes().size());
    return out;
  }

  /** Processes the event and says what happened, without throwing for a retry. */
  public HandlerResult handle(Map<String, Object> event, Context context) {
    GatewayRuntime rt = runtime.get();
    Instant now = rt.clock().instant();
    long remaining = context == null ? 900_000 : context.getRemainingTimeInMillis();
    String requestId = context == null ? null : context.getAwsRequestId();
    S3Event ev;
    try {
      ev = S3Event.fromMap(event);
    } catch (MalformedEventException e) {
      rt.log().problem("malformed-s3-event", e.getMessage());
      return new HandlerResult(List.of(), false, SyncDisposition.CONTINUE, "malformed S3 event: " + e.getMessage(),
          List.of("malformed S3 event: " + e.getMessage()));
    }
    PolicyConfig pc = rt.gateway().config();
    List<Outcome> outcomes = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<String> retry = new ArrayList<>();
    Instant deadline = rt.deadline(now, remaining, false);
    for (S3Event.Record rec : ev.records()) {
      String key = rec.key();
      String why = ignored(rec, rt.objectPrefix(), pc, rt.gateway().records().prefix());
      if (why != null) {
        notes.add(key + ": " + why);
        continue;
      }
      String id = key.startsWith(rt.objectPrefix()) ? key.substring(rt.objectPrefix().length())
          : key.substring(key.lastIndexOf('/') + 1);
      Outcome o = rt.gateway().process(new MessageRef(rec.bucket(), key, id), deadline,
          new Invocation(false, null, requestId, now.plusMillis(remaining), "s3"));
      outcomes.add(o);
      if (o.retryLater()) {
        retry.add(id + " (" + o.state().word() + ": " + o.detail() + ")");
      }
    }
    return new HandlerResult(outcomes, false, SyncDisposition.CONTINUE,
        retry.isEmpty() ? null : "to be retried: " + String.join("; ", retry), notes);
  }

  /** Why an event's object is not a message to process, or null when it is one. */
  static String ignored(S3Event.Record rec, String objectPrefix, PolicyConfig pc, String recordsPrefix) {
    String key = rec.key();
    if (!rec.isObjectCreated()) {
      return "not an ObjectCreated event (" + rec.eventName() + ")";
    }
    if (key.startsWith(pc.quarantine().prefix())) {
      return "a quarantine copy (prefix " + pc.quarantine().prefix() + ")";
    }
    if (key.startsWith(pc.statePrefix())) {
      return "a delivery marker (prefix " + pc.statePrefix() + ")";
    }
    // What the gateway writes itself: processing it would write another, a loop when the bucket's
    // notification has no prefix filter.
    if (recordsPrefix != null && !recordsPrefix.isEmpty() && key.startsWith(recordsPrefix)) {
      return "a message record (prefix " + recordsPrefix + ")";
    }
    if (key.startsWith(pc.reports().prefix())) {
      return "a stored DMARC report (prefix " + pc.reports().prefix() + ")";
    }
    if (!objectPrefix.isEmpty() && !key.startsWith(objectPrefix)) {
      return "outside the message prefix " + objectPrefix;
    }
    if (key.endsWith("AMAZON_SES_SETUP_NOTIFICATION")) {
      return "SES's test object, written when the S3 action is set up";
    }
    if (key.endsWith("/") || key.length() == objectPrefix.length()) {
      return "a folder placeholder";
    }
    return null;
  }
}
