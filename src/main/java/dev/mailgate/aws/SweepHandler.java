package dev.mailgate.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.mailgate.gateway.Invocation;
import dev.mailgate.gateway.StoreException;
import dev.mailgate.gateway.Sweep;
import dev.mailgate.gateway.SweepJson;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The scheduled sweep ({@code dev.mailgate.aws.SweepHandler}, docs/GATEWAY.md "Sweep"): run by an
 * EventBridge schedule, it re-drives the messages in the bucket that were left in {@code retry} or
 * {@code deferred} or never processed, and reports those in doubt (log line {@code "event":"sweep"} with
 * the metric {@code SweepInDoubt}, which the template's alarm watches). Same settings as the gateway
 * function (Config).
 *
 * <p>The event may carry options (the schedule's Input): {@code dryRun} (boolean), {@code maxRedrives},
 * {@code maxExamined}, {@code graceMinutes}, {@code unprocessedGraceMinutes} (objects with no state at
 * all wait this long, default 375: their event may still come), {@code maxAgeHours} (whole numbers). Anything else in it (a
 * plain scheduled event's fields) is ignored. The invocation fails only when the bucket cannot be listed
 * or an option is malformed; what happens to single messages is in the report.
 */
public final class SweepHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private final Supplier<GatewayRuntime> runtime;

  public SweepHandler() {
    this(GatewayRuntime::shared);
  }

  public SweepHandler(GatewayRuntime runtime) {
    this(() -> runtime);
  }

  private SweepHandler(Supplier<GatewayRuntime> runtime) {
    this.runtime = runtime;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    GatewayRuntime rt = runtime.get();
    if (rt.bucket() == null) {
      throw new IllegalStateException(Config.BUCKET + ": not set; the sweep lists that bucket");
    }
    Sweep.Options o = options(event == null ? Map.of() : event, rt.bucket(), rt.objectPrefix());
    Instant now = rt.clock().instant();
    long remaining = context == null ? 300_000 : context.getRemainingTimeInMillis();
    String requestId = context == null ? null : context.getAwsRequestId();
    Sweep.Report report;
    try {
      report = new Sweep(rt.gateway(), rt.clock()).run(o, rt.deadline(now, remaining, false),
          new Invocation(false, null, requestId, now.plusMillis(remaining), "sweep"));
    } catch (StoreException e) {
      rt.log().problem("sweep-failed", e.getMessage());
      throw new IllegalStateException("sweep: " + e.getMessage(), e);
    }
    rt.log().sweep(report);
    return SweepJson.summary(report);
  }

  /** The run's options from the event, the defaults for what it does not give. */
  static Sweep.Options options(Map<String, Object> event, String bucket, String objectPrefix) {
    Sweep.Options d = Sweep.Options.defaults(bucket, objectPrefix);
    Object dry = event.get("dryRun");
    if (dry != null && !(dry instanceof Boolean)) {
      throw new IllegalArgumentException("sweep event: dryRun must be true or false, not " + dry);
    }
    try {
      return new Sweep.Options(bucket, objectPrefix,
          Duration.ofMinutes(number(event, "graceMinutes", d.grace().toMinutes(), 0, 7 * 24 * 60)),
          Duration.ofHours(number(event, "maxAgeHours", d.maxAge().toHours(), 1, 24 * 400)),
          (int) number(event, "maxRedrives", d.maxRedrives(), 0, 100_000),
          (int) number(event, "maxExamined", d.maxExamined(), 1, 1_000_000),
          d.perMessage(), Boolean.TRUE.equals(dry),
          Duration.ofMinutes(number(event, "unprocessedGraceMinutes", d.unprocessedGrace().toMinutes(), 0, 7 * 24 * 60)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().startsWith("sweep event") ? e.getMessage()
          : "sweep event: " + e.getMessage(), e);
    }
  }

  private static long number(Map<String, Object> event, String name, long dflt, long min, long max) {
    Object v = event.get(name);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Number) || ((Number) v).doubleValue() != ((Number) v).longValue()) {
      throw new IllegalArgumentException("sweep event: " + name + " must be a whole number, not " + v);
    }
    long n = ((Number) v).longValue();
    if (n < min || n > max) {
      throw new IllegalArgumentException("sweep event: " + name + " must be between " + min + " and " + max
          + ", not " + n);
    }
    return n;
  }
}
