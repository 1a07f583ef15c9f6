package dev.mailgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailgate.policy.PolicyConfig;
import dev.mailgate.policy.PolicyConfigParser;
import dev.mailgate.report.metrics.Emf;
import dev.mailgate.report.metrics.GatewayMetrics;
import dev.mailgate.report.metrics.ReportMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and alarms name the metrics the code writes (namespace, names, dimensions), and the
 * function may store received reports under the prefix the configuration defaults to.
 */
class TemplateReportingTest {
  private static Map<String, Object> template;

  @BeforeAll
  static void load() throws Exception {
    template = CfnYaml.load(TemplateSchemaTest.TEMPLATE);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object v, String... path) {
    for (String p : path) {
      v = ((Map<String, Object>) v).get(p);
    }
    return (Map<String, Object>) v;
  }

  static Map<String, Object> resource(String name) {
    return map(template, "Resources", name);
  }

  @Test
  void theReportPrefixDefaultsToTheConfigurationsDefault() throws Exception {
    PolicyConfig c = PolicyConfigParser.parse("{\"domains\": [\"mailgate.example\"]}", "t");
    assertThat(map(template, "Parameters", "ReportPrefix").get("Default")).isEqualTo(c.reports().prefix());
  }

  @Test
  void theFunctionMayWriteReportsUnderThePrefix() {
    String policies = String.valueOf(map(resource("MailgateFunction"), "Properties").get("Policies"));
    assertThat(policies).contains("Sid=DmarcReports").contains("${MailBucket.Arn}/${ReportPrefix}*");
  }

  @Test
  void theAlarmsWatchMetricsTheCodeWritesWithoutDimensions() {
    for (String[] a : new String[][] {{"DeliveryFailuresAlarm", GatewayMetrics.DELIVERY_FAILURES},
        {"SpoofingAlarm", ReportMetrics.SPOOFING_ATTEMPTS},
        {"UnauthenticatedReportsAlarm", ReportMetrics.REPORTS_UNAUTHENTICATED}}) {
      Map<String, Object> alarm = resource(a[0]);
      assertThat(alarm.get("Type")).isEqualTo("AWS::CloudWatch::Alarm");
      Map<String, Object> p = map(alarm, "Properties");
      assertThat(p).containsEntry("Namespace", Emf.NAMESPACE).containsEntry("MetricName", a[1])
          .containsEntry("Statistic", "Sum").doesNotContainKey("Dimensions");
      assertThat(String.valueOf(p.get("AlarmActions"))).contains("AlarmTopic");
    }
    assertThat(map(resource("SpoofingAlarm"), "Properties").get("Threshold"))
        .isEqualTo(Map.of("Ref", "SpoofingAlarmThreshold"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDashboardIsJsonShowingEveryMetric() throws Exception {
    Map<String, Object> d = resource("Dashboard");
    assertThat(d.get("Type")).isEqualTo("AWS::CloudWatch::Dashboard");
    String body = (String) map(d, "Properties", "DashboardBody").get("Fn::Sub");
    // Fn::Sub replaces ${...}; what remains must be JSON.
    Map<String, Object> json = JSON.std.mapFrom(body.replaceAll("\\$\\{[^}]+}", "x"));
    List<Object> widgets = (List<Object>) json.get("widgets");
    assertThat(widgets).hasSizeGreaterThanOrEqualTo(8);
    for (String metric : List.of(GatewayMetrics.MESSAGES, GatewayMetrics.PROCESSING_TIME,
        GatewayMetrics.DELIVERY_FAILURES, ReportMetrics.SPOOFING_ATTEMPTS, ReportMetrics.REPORTED_MESSAGES,
        ReportMetrics.REPORTED_PASS, ReportMetrics.REPORTED_FAIL, ReportMetrics.REPORTS_UNAUTHENTICATED)) {
      // A metric name appears quoted: as a metric array member, or in a SEARCH expression (\"Name\").
      assertThat(body.replace("\\\"", "\"")).as(metric).contains("\"" + metric + "\"");
    }
    for (String dimension : List.of(GatewayMetrics.ACTION, GatewayMetrics.VERDICT, ReportMetrics.REPORTING_ORG,
        ReportMetrics.DOMAIN)) {
      assertThat(body).contains("{" + Emf.NAMESPACE + "," + dimension + "}");
    }
    // The only ${...} are the stack's own names and resources.
    assertThat(body.replaceAll("\\$\\{(AWS::StackName|AWS::Region|MailgateLogGroup|DeliveryFailuresAlarm\\.Arn"
        + "|SpoofingAlarm\\.Arn|UnauthenticatedReportsAlarm\\.Arn)}", "")).doesNotContain("${");
  }
}
