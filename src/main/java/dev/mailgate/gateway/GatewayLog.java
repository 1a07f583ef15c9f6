package dev.mailgate.gateway;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the gateway reports each processed message: one JSON object per line, so CloudWatch Logs
 * Insights can query every field, with a CloudWatch Embedded Metric Format block that turns the line
 * into metrics (docs/REPORTING.md, "Metrics"). Implementations must be safe for concurrent use.
 */
public interface GatewayLog {

  /** Reports a processed message. */
  void message(Outcome outcome);

  /** Reports a problem outside any one message (a malformed event, say). */
  void problem(String event, String detail);

  /** Writes a line of metrics (CloudWatch Embedded Metric Format), such as a received DMARC report's. */
  default void metrics(Map<String, Object> line) {}
  /**
   * Reports a sweep run (docs/GATEWAY.md, "Sweep"): its counts as metrics, and the messages that need a
   * person (in doubt, failed) by ID. The messages it re-drove are reported by {@link #message} as well.
   */
  default void sweep(Sweep.Report report) {}

  /** Logs nothing (tests, benchmarks, local runs without --log). */
  GatewayLog NONE = new GatewayLog() {
    @Override
    public void message(Outcome outcome) {}

    @Override
    public void problem(String event, String detail) {}
  };

  /** A log writing JSON lines to {@code out} (System.out in Lambda, where each line is one log event). */
  static GatewayLog jsonLines(PrintStream out, java.time.Clock clock) {
    return new JsonLines(out, clock);
  }

  /** One JSON object per line. */
  final class JsonLines implements GatewayLog {
    private final PrintStream out;
    private final java.time.Clock clock;

    JsonLines(PrintStream out, java.time.Clock clock) {
      this.out = out;
      this.clock = clock;
    }

    @Override
    public void message(Outcome o) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("level", level(o));
      m.put("event", "message");
      m.putAll(OutcomeJson.toMap(o));
      String action = o.verdict() == null ? "none" : o.verdict().action().word();
      m.put("action", action);
      dev.mailgate.report.metrics.GatewayMetrics.addTo(m, o, clock.millis());
      print(m);
    }

    @Override
    public void metrics(Map<String, Object> line) {
      print(new LinkedHashMap<>(line));
    }

    @Override
    public void sweep(Sweep.Report r) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("level", r.inDoubt() > 0 || r.count(Sweep.Kind.UNREADABLE) > 0 ? "ERROR"
          : r.stillPending() > 0 || !r.complete() ? "WARN" : "INFO");
      m.put("event", "sweep");
      m.putAll(SweepJson.summary(r));
      // CloudWatch takes log events up to 256 KB: the first 100 messages, the rest counted.
      List<Object> items = new ArrayList<>();
      for (Sweep.Item i : r.items().subList(0, Math.min(100, r.items().size()))) {
        items.add(SweepJson.item(i));
      }
      m.put("messages", items);
      if (r.items().size() > 100) {
        m.put("messagesNotListed", r.items().size() - 100);
      }
      // Metrics without dimensions: one value per run. An alarm on SweepInDoubt tells a person.
      List<Object> names = new ArrayList<>();
      for (String name : List.of("SweepRedriven", "SweepStillPending", "SweepInDoubt", "SweepFailed",
          "SweepNotExamined")) {
        names.add(Map.of("Name", name, "Unit", "Count"));
      }
      m.put("SweepRedriven", r.count(Sweep.Kind.REDRIVEN));
      m.put("SweepStillPending", r.stillPending());
      m.put("SweepInDoubt", r.inDoubt());
      m.put("SweepFailed", r.count(Sweep.Kind.FAILED));
      m.put("SweepNotExamined", r.notExamined() + r.count(Sweep.Kind.LEFT_FOR_NEXT_RUN));
      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("Namespace", "Mailgate");
      metrics.put("Dimensions", List.of(List.of()));
      metrics.put("Metrics", names);
      m.put("_aws", Map.of("Timestamp", clock.millis(), "CloudWatchMetrics", List.of(metrics)));
      print(m);
    }

    @Override
    public void problem(String event, String detail) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("level", "ERROR");
      m.put("event", event);
      m.put("detail", detail);
      print(m);
    }

    private void print(Map<String, Object> m) {
      String line = OutcomeJson.toJson(m);
      synchronized (out) {
        out.println(line);
      }
      out.flush();
    }

    private static String level(Outcome o) {
      switch (o.state()) {
        case FAILED:
        case IN_DOUBT:
        case RETRY:
        case MISSING:
          return "ERROR";
        case REJECTED:
        case DEFERRED:
          return "WARN";
        default:
          return "INFO";
      }
    }
  }
}
