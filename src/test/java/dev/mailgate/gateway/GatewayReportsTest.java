package dev.mailgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailgate.policy.SesVerdicts;
import dev.mailgate.report.ingest.ReportJson;
import dev.mailgate.report.ingest.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mail to the report addresses: recognised, parsed, stored through the store, handled per configuration. */
class GatewayReportsTest {
  static final String REPORTS = "\"reports\": {\"addresses\": [\"dmarc@mailgate.example\"]}";
  static final String REPORTS_DELIVERED = "\"reports\": {\"addresses\": [\"dmarc@mailgate.example\"], \"deliver\": true}";
  static final String GOOGLE_KEY = "reports/dt=2026-09-26/google.com!13954812003218823372.json";

  @TempDir Path dir;

  Harness harness(String extra) {
    return new Harness(dir, extra, Harness.sampleDns(), Gateway.SES_MAX_MESSAGE_BYTES);
  }

  static byte[] googleReportMail(String to) {
    return Samples.mail(to, "application/zip", "google.com!mailgate.example!1790380800!1790467199.zip",
        Samples.zip("google.com!mailgate.example!1790380800!1790467199.xml", Samples.bytes("google-like.xml")));
  }

  @Test
  void aReportMailIsParsedStoredAndNotDelivered() throws Exception {
    Harness h = harness(REPORTS);
    Outcome o = h.runS3(h.put("r1", googleReportMail("dmarc@mailgate.example")));
    assertThat(o.state()).isEqualTo(ObjectState.DISCARDED);
    assertThat(o.verdict().rule()).isEqualTo("dmarc-report");
    assertThat(o.actions()).singleElement().satisfies(a -> {
      assertThat(a.action()).isEqualTo("report");
      assertThat(a.status()).isEqualTo(ActionResult.Status.DONE);
      assertThat(a.targets()).containsExactly(GOOGLE_KEY);
    });
    assertThat(h.outbox.sent()).isEmpty();
    ReportJson.Stored stored = ReportJson.fromJson(Files.readAllBytes(dir.resolve(GOOGLE_KEY)));
    assertThat(stored.report().metadata().orgName()).isEqualTo("google.com");
    assertThat(stored.report().records()).hasSize(3);
    assertThat(stored.source()).isEqualTo("r1/google.com!mailgate.example!1790380800!1790467199.zip"
        + "!google.com!mailgate.example!1790380800!1790467199.xml");

    // The log: the report's metrics line, then the message's.
    List<String> lines = h.logLines();
    assertThat(lines).hasSize(2);
    Map<String, Object> metrics = JSON.std.mapFrom(lines.get(0));
    assertThat(metrics).containsEntry("event", "dmarc-report").containsEntry("ReportingOrg", "google.com")
        .containsEntry("Domain", "mailgate.example").containsEntry("SpoofingAttempts", 37)
        .containsEntry("ReportedMessages", 1241).containsKey("_aws");
    assertThat(JSON.std.mapFrom(lines.get(1))).containsEntry("Verdict", "dmarc-report")
        .containsEntry("Action", "discard");
  }

  @Test
  void theSameReportTwiceIsStoredOnce() throws Exception {
    Harness h = harness(REPORTS);
    h.runS3(h.put("r1", googleReportMail("dmarc@mailgate.example")));
    h.runS3(h.put("r2", googleReportMail("dmarc@mailgate.example")));
    try (var files = Files.list(dir.resolve("reports/dt=2026-09-26"))) {
      assertThat(files).hasSize(1);
    }
  }

  /** Report mail need not pass DMARC: a different report claiming the same org and ID replaces nothing. */
  @Test
  void aDifferentReportWithTheSameOrgAndIdIsKeptBesideTheFirst() throws Exception {
    Harness h = harness(REPORTS);
    h.runS3(h.put("r1", googleReportMail("dmarc@mailgate.example")));
    String forged = new String(Samples.bytes("google-like.xml"), java.nio.charset.StandardCharsets.UTF_8)
        .replaceFirst("<count>[0-9]+</count>", "<count>999999</count>");
    Outcome o = h.runS3(h.put("forged", Samples.mail("dmarc@mailgate.example", "application/zip", "r.zip",
        Samples.zip("r.xml", forged.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
    String other = GOOGLE_KEY.replace(".json", "!forged.json");
    assertThat(o.actions()).singleElement().satisfies(a -> assertThat(a.targets()).containsExactly(other));
    assertThat(ReportJson.fromJson(Files.readAllBytes(dir.resolve(GOOGLE_KEY))).source()).startsWith("r1/");
    assertThat(ReportJson.fromJson(Files.readAllBytes(dir.resolve(other))).source()).startsWith("forged/");
  }

  @Test
  void withDeliverTheReportMailAlsoGoesItsRoute() {
    Harness h = harness(REPORTS_DELIVERED);
    Outcome o = h.run(h.put("r3", googleReportMail("dmarc@mailgate.example")), Harness.receipt("r3",
        "noreply-dmarc-support@google.com", List.of("dmarc@mailgate.example"), SesVerdicts.NONE, false), false);
    assertThat(o.actions()).extracting(ActionResult::action).first().isEqualTo("report");
    assertThat(o.actions()).hasSizeGreaterThan(1);
    assertThat(o.verdict().rule()).isNotEqualTo("dmarc-report");
    assertThat(Files.exists(dir.resolve(GOOGLE_KEY))).isTrue();
  }

  @Test
  void otherRecipientsOfAReportMailAreHandledAsUsual() {
    Harness h = harness(REPORTS);
    Outcome o = h.run(h.put("r4", googleReportMail("dmarc@mailgate.example")), Harness.receipt("r4",
        "alice@sender.example", List.of("dmarc@mailgate.example", "bob@mailgate.example"), SesVerdicts.NONE, false),
        false);
    assertThat(o.actions()).extracting(ActionResult::action).contains("report");
    assertThat(o.envelope().rcptTo()).containsExactly("bob@mailgate.example");
    assertThat(Files.exists(dir.resolve(GOOGLE_KEY))).isTrue();
  }

  @Test
  void aHostileReportIsRefusedWithItsReasonAndNothingCrashes() throws Exception {
    Harness h = harness(REPORTS);
    byte[] bomb = Samples.gzipZeros(64L << 20);
    Outcome o = h.runS3(h.put("r5", Samples.mail("dmarc@mailgate.example", "application/gzip", "r.xml.gz", bomb)));
    assertThat(o.state()).isEqualTo(ObjectState.DISCARDED);
    assertThat(o.actions().get(0).targets()).isEmpty();
    assertThat(o.actions().get(0).detail()).contains("0 reports stored").contains("compression-ratio");
    assertThat(Files.exists(dir.resolve("reports"))).isFalse();
  }

  @Test
  void withoutReportAddressesNothingChanges() {
    Harness h = harness("");
    Outcome o = h.runS3(h.put("r6", googleReportMail("dmarc@mailgate.example")));
    assertThat(o.actions()).extracting(ActionResult::action).doesNotContain("report");
    assertThat(Files.exists(dir.resolve("reports"))).isFalse();
  }

  @Test
  void aTransientStoreFailureRetriesTheMessage() {
    Harness h = harness(REPORTS);
    h.store.fail("createIfAbsent", 1); // the report is stored with a conditional create
    Outcome o = h.runS3(h.put("r7", googleReportMail("dmarc@mailgate.example")));
    assertThat(o.state()).isEqualTo(ObjectState.RETRY);
    assertThat(o.retryLater()).isTrue();
  }
}
