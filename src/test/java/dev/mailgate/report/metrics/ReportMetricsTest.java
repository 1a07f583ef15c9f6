package dev.mailgate.report.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.gateway.OutcomeJson;
import dev.mailgate.report.ingest.ReceivedReport;
import dev.mailgate.report.ingest.ReportAuthentication;
import dev.mailgate.report.ingest.AggregateReportParser;
import dev.mailgate.report.ingest.ReportLimits;
import dev.mailgate.report.ingest.ReportParse;
import dev.mailgate.report.ingest.Samples;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The metrics line of a received report: valid EMF, the counts, and bounded dimension values. */
class ReportMetricsTest {
  static final long NOW = 1_790_500_000_000L;
  private final ReportMetrics metrics = new ReportMetrics(List.of("mailgate.example"));

  static ReceivedReport report(String sample) {
    return ((ReportParse.Parsed) AggregateReportParser.parse(sample, Samples.bytes(sample), ReportLimits.DEFAULT))
        .report();
  }

  static Map<String, Object> line(ReportMetrics m, ReceivedReport r) {
    return EmfCheck.valid(OutcomeJson.toJson(m.line(r, NOW)));
  }

  @Test
  void aReportLineIsValidEmfWithItsCounts() {
    Map<String, Object> l = line(metrics, report("google-like.xml"));
    assertThat(l).containsEntry("ReportingOrg", "google.com").containsEntry("Domain", "mailgate.example")
        .containsEntry("ReportedMessages", 1241).containsEntry("ReportedPass", 1204)
        .containsEntry("ReportedFail", 37).containsEntry("SpoofingAttempts", 37)
        .containsEntry("orgName", "google.com").containsEntry("level", "WARN");
    // The failing source is a plain property, never a dimension.
    assertThat(l.get("spoofingSources").toString()).contains("ip=203.0.113.66").contains("count=37");
    assertThat(l.get("_aws").toString()).doesNotContain("203.0.113.66").doesNotContain("spoofingSources");
    assertThat(((Map<?, ?>) l.get("_aws")).get("Timestamp")).isEqualTo(NOW);
  }

  @Test
  void countsBeyond2To32AddUp() {
    Map<String, Object> l = line(metrics, report("mailru-like.xml"));
    assertThat(((Number) l.get("SpoofingAttempts")).longValue()).isEqualTo(3_000_000_000L);
    assertThat(((Number) l.get("ReportedMessages")).longValue()).isEqualTo(8_000_000_000L);
    assertThat(l).containsEntry("ReportingOrg", "Mail.Ru");
  }

  @Test
  void aForwardedFailureIsStillADmarcFailure() {
    Map<String, Object> l = line(metrics, report("yahoo-like.xml"));
    assertThat(l).containsEntry("SpoofingAttempts", 12).containsEntry("ReportingOrg", "Yahoo");
  }

  @Test
  void aReportAboutAnotherDomainCountsNoSpoofing() {
    Map<String, Object> l = line(metrics, report("rfc9990-sample.xml"));
    assertThat(l).containsEntry("Domain", "other").containsEntry("SpoofingAttempts", 0)
        .containsEntry("ReportingOrg", "other").containsEntry("orgName", "Sample Reporter");
  }

  @Test
  void madeUpNamesNeverBecomeDimensionValues() {
    String xml = "<feedback><report_metadata><org_name>evil\torg\n" + "x".repeat(2000) + "</org_name>"
        + "<report_id>1</report_id></report_metadata><policy_published><domain>random-"
        + System.nanoTime() + ".example</domain></policy_published></feedback>";
    ReceivedReport r = ((ReportParse.Parsed) AggregateReportParser.parse("x",
        xml.getBytes(StandardCharsets.UTF_8), ReportLimits.DEFAULT)).report();
    Map<String, Object> l = line(metrics, r);
    assertThat(l).containsEntry("ReportingOrg", "other").containsEntry("Domain", "other");
  }

  @Test
  void aSubdomainOfOursCountsAsOurs() {
    assertThat(metrics.ours("news.mailgate.example")).isEqualTo("mailgate.example");
    assertThat(metrics.ours("notmailgate.example")).isNull();
  }

  /**
   * A report whose mail was not authenticated counts in nothing but ReportsUnauthenticated: a forger can
   * neither raise the spoofing alarm nor hide real failures. What it claims stays in plain properties.
   */
  @Test
  void anUnauthenticatedReportCountsOnlyAsUnauthenticated() {
    ReportAuthentication forged = new ReportAuthentication(ReportAuthentication.Result.FAIL, "google.com", "fail",
        List.of(), null, "DMARC fail for google.com");
    Map<String, Object> l = EmfCheck.valid(OutcomeJson.toJson(metrics.line(report("google-like.xml"), forged, NOW)));
    assertThat(l).containsEntry("ReportsUnauthenticated", 1).containsEntry("ReportedMessages", 0)
        .containsEntry("ReportedPass", 0).containsEntry("ReportedFail", 0).containsEntry("SpoofingAttempts", 0)
        .containsEntry("claimedMessages", 1241).containsEntry("authentication", "fail")
        .containsEntry("authenticationFrom", "google.com").containsEntry("authenticationReason", "DMARC fail for google.com")
        .containsEntry("level", "WARN").containsEntry("Domain", "mailgate.example").containsEntry("ReportingOrg", "google.com");
    assertThat((List<?>) l.get("spoofingSources")).isEmpty();
    // Per domain and in total, so an alarm can watch it; the reporting org a forged report claims is no dimension of it.
    assertThat(l.get("_aws").toString()).contains("Dimensions=[[Domain]], Metrics=[{Name=ReportedMessages")
        .contains("Dimensions=[[]], Metrics=[{Name=SpoofingAttempts, Unit=Count}, {Name=ReportsUnauthenticated");
  }

  @ParameterizedTest
  @EnumSource(value = ReportAuthentication.Result.class, names = {"PASS", "TRUSTED", "UNKNOWN"})
  void authenticatedAndUnknownReportsCount(ReportAuthentication.Result result) {
    ReportAuthentication a = new ReportAuthentication(result, null, null, List.of(), null, "");
    Map<String, Object> l = EmfCheck.valid(OutcomeJson.toJson(metrics.line(report("google-like.xml"), a, NOW)));
    assertThat(l).containsEntry("ReportsUnauthenticated", 0).containsEntry("ReportedMessages", 1241)
        .containsEntry("SpoofingAttempts", 37).containsEntry("authentication", result.word())
        .doesNotContainKey("claimedMessages");
  }

  @ParameterizedTest
  @EnumSource(value = ReportAuthentication.Result.class, names = {"FAIL", "NONE", "TEMPERROR", "UNVERIFIED"})
  void everyOtherResultIsUnauthenticated(ReportAuthentication.Result result) {
    ReportAuthentication a = new ReportAuthentication(result, null, null, List.of(), null, "why");
    Map<String, Object> l = EmfCheck.valid(OutcomeJson.toJson(metrics.line(report("google-like.xml"), a, NOW)));
    assertThat(l).containsEntry("ReportsUnauthenticated", 1).containsEntry("SpoofingAttempts", 0)
        .doesNotContainKey("authenticationFrom");
  }

  @Test
  void dimensionValuesAreCleaned() {
    assertThat(Emf.dimensionValue("a\nb\u0000c", 10)).isEqualTo("a b c");
    assertThat(Emf.dimensionValue("   ", 10)).isEqualTo("none");
    assertThat(Emf.dimensionValue("x".repeat(100), 64)).hasSize(64);
  }
}
