package dev.mailgate.report.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a log line against the CloudWatch Embedded Metric Format specification: a JSON object with an
 * {@code _aws} metadata object (Timestamp in milliseconds, CloudWatchMetrics directives), each directive
 * with a Namespace, dimension sets of at most 30 keys that name top-level string members, and metric
 * definitions (Name, optional Unit from CloudWatch's list) naming top-level numeric members.
 */
public final class EmfCheck {
  static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
      "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
      "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
      "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
      "None");

  private EmfCheck() {}

  /** Parses the line and checks it; returns it as a map. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> valid(String line) {
    Map<String, Object> root;
    try {
      root = JSON.std.mapFrom(line);
    } catch (IOException e) {
      throw new AssertionError("not a JSON object: " + line, e);
    }
    assertThat(line).doesNotContain("\n");
    assertThat(root).containsKey("_aws");
    Map<String, Object> aws = (Map<String, Object>) root.get("_aws");
    assertThat(aws).containsOnlyKeys("Timestamp", "CloudWatchMetrics");
    assertThat(aws.get("Timestamp")).isInstanceOf(Number.class);
    // Milliseconds: after 2001-09-09 in ms, which in seconds would be the year 33658.
    assertThat(((Number) aws.get("Timestamp")).longValue()).isGreaterThan(1_000_000_000_000L);
    List<Object> directives = (List<Object>) aws.get("CloudWatchMetrics");
    assertThat(directives).isNotEmpty();
    for (Object o : directives) {
      Map<String, Object> d = (Map<String, Object>) o;
      assertThat(d).containsOnlyKeys("Namespace", "Dimensions", "Metrics");
      assertThat((String) d.get("Namespace")).isEqualTo("Mailgate");
      for (Object set : (List<Object>) d.get("Dimensions")) {
        List<Object> keys = (List<Object>) set;
        assertThat(keys).hasSizeLessThanOrEqualTo(30);
        for (Object k : keys) {
          assertThat(root).as("dimension %s is a top-level member", k).containsKey((String) k);
          assertThat(root.get(k)).as("dimension %s", k).isInstanceOf(String.class);
          String v = (String) root.get(k);
          assertThat(v.length()).isBetween(1, 1024);
          assertThat(v.isBlank()).isFalse();
          assertThat(v.chars().allMatch(c -> c >= 0x20 && c != 0x7f)).isTrue();
        }
      }
      List<Object> metrics = (List<Object>) d.get("Metrics");
      assertThat(metrics).isNotEmpty().hasSizeLessThanOrEqualTo(100);
      for (Object mo : metrics) {
        Map<String, Object> m = (Map<String, Object>) mo;
        assertThat(Set.of("Name", "Unit", "StorageResolution")).containsAll(m.keySet());
        String name = (String) m.get("Name");
        assertThat(name).isNotBlank();
        assertThat(root).as("metric %s is a top-level member", name).containsKey(name);
        assertThat(root.get(name)).as("metric %s", name).isInstanceOf(Number.class);
        if (m.containsKey("Unit")) {
          assertThat(UNITS).contains((String) m.get("Unit"));
        }
      }
    }
    return root;
  }
}
