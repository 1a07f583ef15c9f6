package dev.mailgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mailgate report aggregate} end to end: the sample events through invoke, then the day's reports. */
class ReportAggregateCommandTest {
  @TempDir Path tmp;

  private VerifyCommandTest.Run aggregate(String... more) {
    String[] base = {"report", "aggregate", "--bucket-dir", tmp.resolve("state").toString(), "--date", "2026-11-28",
        "--dns-fixture", "events/dns-fixture.zone", "--from", "dmarc-reports@mailgate.example",
        "--outbox", tmp.resolve("reports").toString(), "--now", "1795915800"};
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return VerifyCommandTest.run(args);
  }

  private void invokeTheSamples() {
    VerifyCommandTest.Run r = VerifyCommandTest.run("invoke", "--dns-fixture", "events/dns-fixture.zone", "--config",
        "events/config.json", "--outbox", tmp.resolve("outbox").toString(), "--state-dir", tmp.resolve("state").toString(),
        "events/ses-async.json", "events/s3-put.json");
    assertThat(r.exit()).as(r.err()).isZero();
  }

  @Test
  void theGatewaysRecordsBecomeOneReportSentOnce() throws IOException {
    invokeTheSamples();
    try (Stream<Path> s = Files.list(tmp.resolve("state/records/dt=2026-11-28"))) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          "k3n8qv1t0m5p2r7s9u4w6y8a0c2e4g6i8k0m2o4q.jsonl", "0s2u4w6y8a1c3e5g7i9k1m3o5q7s9u1w3y5a7c9e.jsonl");
    }
    VerifyCommandTest.Run r = aggregate("--json");
    assertThat(r.exit()).as(r.err()).isZero();
    List<Map<String, Object>> lines = r.json();
    assertThat(lines.get(0)).containsEntry("records", 2).containsEntry("reports", 1).containsEntry("sent", 1);
    Path eml;
    try (Stream<Path> s = Files.list(tmp.resolve("reports"))) {
      eml = s.filter(p -> p.toString().endsWith(".eml")).findFirst().orElseThrow();
    }
    String text = Files.readString(eml);
    assertThat(text).contains("To: dmarc-reports@sender.example")
        .contains("Subject: Report Domain: sender.example Submitter: mailgate.example")
        .contains("filename=\"mailgate.example!sender.example!1795824000!1795910399.xml.gz\"");

    VerifyCommandTest.Run again = aggregate();
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).contains("2 records read").contains("0 sent, 1 sent before");
    try (Stream<Path> s = Files.list(tmp.resolve("reports"))) {
      assertThat(s.filter(p -> p.toString().endsWith(".eml"))).hasSize(1);
    }
  }

  @Test
  void theRfc7489FormatIsAnOption() throws Exception {
    invokeTheSamples();
    VerifyCommandTest.Run r = aggregate("--format", "rfc7489");
    assertThat(r.exit()).as(r.err()).isZero();
    Path eml;
    try (Stream<Path> s = Files.list(tmp.resolve("reports"))) {
      eml = s.filter(p -> p.toString().endsWith(".eml")).findFirst().orElseThrow();
    }
    jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(
        jakarta.mail.Session.getInstance(new java.util.Properties()), Files.newInputStream(eml));
    jakarta.mail.Multipart mp = (jakarta.mail.Multipart) m.getContent();
    String xml;
    try (GZIPInputStream in = new GZIPInputStream(mp.getBodyPart(1).getInputStream())) {
      xml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(xml).contains("<feedback xmlns=\"http://dmarc.org/dmarc-xml/0.1\">").contains("<pct>100</pct>")
        // The sample's dmarcReject default quarantines: the report says so, with the reason.
        .contains("<disposition>quarantine</disposition>").contains("<type>local_policy</type>")
        .contains("<comment>mailgate rule dmarc-reject: quarantine</comment>");
  }

  @Test
  void aDayWithoutRecordsSendsNothing() throws IOException {
    Files.createDirectories(tmp.resolve("state"));
    VerifyCommandTest.Run r = aggregate();
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("0 records read").contains("0 reports");
  }

  @Test
  void usageErrors() throws IOException {
    Files.createDirectories(tmp.resolve("state"));
    assertThat(aggregate("--format", "rfc1234").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(VerifyCommandTest.run("report", "aggregate", "--bucket-dir", tmp.toString(), "--from", "nobody").exit())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(VerifyCommandTest.run("report").exit()).isEqualTo(ExitCodes.USAGE);
  }
}
