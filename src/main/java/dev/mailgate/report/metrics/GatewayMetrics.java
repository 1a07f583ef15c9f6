package dev.mailgate.report.metrics;

import dev.mailgate.gateway.ObjectState;
import dev.mailgate.gateway.Outcome;
import java.util.List;
import java.util.Map;

/**
 * The gateway's metrics per message (docs/REPORTING.md, "Metrics"), written into its log line:
 * {@code Messages} by {@code Action} and by {@code Verdict} (the rule that decided: clean, spam,
 * dmarc-reject, a configured rule's name, ...), and without dimensions {@code Messages},
 * {@code DeliveryFailures} and {@code ProcessingTime}. Only these two dimensions, one at a time: each
 * distinct dimension value is a custom metric CloudWatch bills monthly, and both take few values (the
 * actions, the configured rules). Stateless.
 */
public final class GatewayMetrics {
  public static final String ACTION = "Action";
  public static final String VERDICT = "Verdict";
  public static final String MESSAGES = "Messages";
  public static final String DELIVERY_FAILURES = "DeliveryFailures";
  public static final String PROCESSING_TIME = "ProcessingTime";

  private static final List<Emf.Directive> DIRECTIVES = List.of(
      new Emf.Directive(List.of(List.of(ACTION), List.of(VERDICT)),
          List.of(new Emf.Metric(MESSAGES, Emf.COUNT))),
      new Emf.Directive(List.of(List.of()),
          List.of(new Emf.Metric(MESSAGES, Emf.COUNT), new Emf.Metric(DELIVERY_FAILURES, Emf.COUNT),
              new Emf.Metric(PROCESSING_TIME, Emf.MILLISECONDS))));

  private GatewayMetrics() {}

  /** Adds the metric members and the {@code _aws} block to a message's log line. */
  public static Map<String, Object> addTo(Map<String, Object> line, Outcome o, long timestampMillis) {
    line.put(ACTION, o.verdict() == null ? "none" : o.verdict().action().word());
    // Rule names come from the configuration, not from mail: a bounded set.
    line.put(VERDICT, o.verdict() == null ? "none" : Emf.dimensionValue(o.verdict().rule(), 64));
    line.put(MESSAGES, 1);
    line.put(DELIVERY_FAILURES, o.state() == ObjectState.FAILED || o.state() == ObjectState.IN_DOUBT ? 1 : 0);
    line.put(PROCESSING_TIME, o.millis());
    return Emf.addMetadata(line, timestampMillis, DIRECTIVES);
  }
}
