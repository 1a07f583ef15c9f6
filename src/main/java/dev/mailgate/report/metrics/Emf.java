package dev.mailgate.report.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch Embedded Metric Format: a JSON log line that CloudWatch Logs turns into metrics, with no
 * API call (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 * The line carries an {@code _aws} member naming the metrics and their dimensions; the values themselves
 * are top-level members of the line ("target members"), dimension values being strings. Stateless.
 */
public final class Emf {
  /** Every mailgate metric is in this namespace. */
  public static final String NAMESPACE = "Mailgate";

  /** Units used here (CloudWatch's unit names). */
  public static final String COUNT = "Count";
  public static final String MILLISECONDS = "Milliseconds";

  /** EMF: a dimension set holds at most 30 keys; we use one at most, to keep cardinality (cost) low. */
  public static final int MAX_DIMENSIONS = 30;

  private Emf() {}

  /** A metric: its name (a top-level member of the line) and unit. */
  public record Metric(String name, String unit) {}

  /**
   * A MetricDirective: the metrics published once per dimension set. An empty dimension set publishes
   * the metrics without dimensions (totals an alarm can watch).
   */
  public record Directive(List<List<String>> dimensions, List<Metric> metrics) {
    public Directive {
      dimensions = List.copyOf(dimensions.stream().map(List::copyOf).toList());
      metrics = List.copyOf(metrics);
    }
  }

  /**
   * Adds the {@code _aws} member to a line that already holds every target member the directives name.
   *
   * @param timestampMillis the metrics' time, milliseconds since the epoch (CloudWatch accepts up to two
   *     weeks back and two hours ahead)
   */
  public static Map<String, Object> addMetadata(Map<String, Object> line, long timestampMillis,
      List<Directive> directives) {
    List<Object> ds = new ArrayList<>();
    for (Directive d : directives) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("Namespace", NAMESPACE);
      x.put("Dimensions", d.dimensions());
      List<Object> ms = new ArrayList<>();
      for (Metric m : d.metrics()) {
        Map<String, Object> y = new LinkedHashMap<>();
        y.put("Name", m.name());
        y.put("Unit", m.unit());
        ms.add(y);
      }
      x.put("Metrics", ms);
      ds.add(x);
    }
    Map<String, Object> aws = new LinkedHashMap<>();
    aws.put("Timestamp", timestampMillis);
    aws.put("CloudWatchMetrics", ds);
    line.put("_aws", aws);
    return line;
  }

  /**
   * A dimension value as CloudWatch takes it (1 to 1024 characters, no ASCII control characters, not
   * only blanks): reports and messages are attacker-controlled, and a refused value drops the metric.
   */
  public static String dimensionValue(String s, int maxLength) {
    if (s == null) {
      return "none";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < maxLength; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    String v = sb.toString().strip();
    return v.isEmpty() ? "none" : v;
  }
}
