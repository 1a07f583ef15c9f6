package dev.mailgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.report.ingest.ReportAuthentication;
import dev.mailgate.report.ingest.ReportJson;
import dev.mailgate.report.ingest.Samples;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mailgate report ingest|summary}, and a report mail through a local run of the gateway end to end. */
class ReportCommandTest {
  @TempDir Path tmp;

  Path write(String name, byte[] content) throws IOException {
    Path p = tmp.resolve(name);
    Files.createDirectories(p.getParent());
    Files.write(p, content);
    return p;
  }

  @Test
  void reportWithoutSubcommandIsAUsageError() {
    VerifyCommandTest.Run r = VerifyCommandTest.run("report");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("missing subcommand");
  }

  @Test
  void ingestPrintsOneNormalisedJsonLinePerReport() throws IOException {
    Path xml = write("a.xml", Samples.bytes("google-like.xml"));
    Path gz = write("b.xml.gz", Samples.gzip(Samples.bytes("mailru-like.xml")));
    Path zip = write("c.zip", Samples.zip("c.xml", Samples.bytes("rfc9990-sample.xml")));
    Path eml = write("d.eml", Samples.mail("dmarc@mailgate.example", "application/gzip", "r.xml.gz",
        Samples.gzip(Samples.bytes("yahoo-like.xml"))));
    VerifyCommandTest.Run r = VerifyCommandTest.run("report", "ingest", "--store", tmp.resolve("store").toString(),
        xml.toString(), gz.toString(), zip.toString(), eml.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    List<Map<String, Object>> lines = r.json();
    assertThat(lines).hasSize(4);
    assertThat(lines).extracting(l -> (Object) ((Map<?, ?>) l.get("metadata")).get("orgName"))
        .containsExactly("google.com", "Mail.Ru", "Sample Reporter", "Yahoo");
    assertThat(lines).extracting(l -> l.get("schema")).containsExactly("rfc7489", "rfc7489", "rfc9990", "rfc7489");
    assertThat(tmp.resolve("store/reports/dt=2026-09-26/google.com!13954812003218823372.json")).exists();
    assertThat(tmp.resolve("store/reports/dt=1979-08-07/Sample_Reporter!3v98abbp8ya9n3va8yr8oa3ya.json")).exists();
  }

  @Test
  void ingestRecordsForwardConfirmedSourceNamesOnRequest() throws IOException {
    Path xml = write("a.xml", Samples.bytes("google-like.xml"));
    Path zone = write("zone.txt", String.join("\n",
        "10.2.0.192.in-addr.arpa. PTR mail-out.mailgate.example.",
        "mail-out.mailgate.example. A 192.0.2.10",
        "66.113.0.203.in-addr.arpa. PTR mail.google.com.", "").getBytes(StandardCharsets.UTF_8));
    VerifyCommandTest.Run r = VerifyCommandTest.run("report", "ingest", "--reverse-dns", "--dns-fixture",
        zone.toString(), xml.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"sourceIp\":\"192.0.2.10\",\"sourceName\":\"mail-out.mailgate.example\"")
        .doesNotContain("mail.google.com");
  }

  @Test
  void ingestNamesRefusedInputsOnStderrWithExitOne() throws IOException {
    Path good = write("ok.xml", Samples.bytes("google-like.xml"));
    Path xxe = write("xxe.xml", ("<!DOCTYPE feedback [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><feedback>&x;</feedback>")
        .getBytes(StandardCharsets.UTF_8));
    VerifyCommandTest.Run r = VerifyCommandTest.run("report", "ingest", good.toString(), xxe.toString(),
        tmp.resolve("missing.xml").toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.INPUT_ERROR);
    assertThat(r.json()).hasSize(1);
    assertThat(r.err()).contains(xxe + ": dtd-refused: ").contains("missing.xml: cannot read");
    assertThat(r.out()).doesNotContain("root:");
  }

  @Test
  void summaryWritesOnePageFromAFolder() throws IOException {
    write("in/a.xml", Samples.bytes("google-like.xml"));
    write("in/sub/b.xml.gz", Samples.gzip(Samples.bytes("microsoft-like.xml")));
    write("in/notes.txt", "skipped".getBytes(StandardCharsets.UTF_8));
    write("in/bad.json", "{}".getBytes(StandardCharsets.UTF_8));
    Path out = tmp.resolve("summary.html");
    VerifyCommandTest.Run r = VerifyCommandTest.run("report", "summary", tmp.resolve("in").toString(), "-o",
        out.toString(), "--from", "2026-09-01", "--to", "2026-09-30");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("2 reports (3 files, 1 not read)");
    String html = Files.readString(out);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<div class=\"value\">1,248</div>")
        .contains("bad.json</span>: not a normalised report");
  }

  @Test
  void summaryRefusesBadDates() {
    VerifyCommandTest.Run r = VerifyCommandTest.run("report", "summary", tmp.toString(), "--from", "yesterday");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--from: not a date");
    assertThat(VerifyCommandTest.run("report", "summary", tmp.toString(), "--from", "2026-02-01", "--to",
        "2026-01-01").err()).contains("--to: before --from");
    assertThat(VerifyCommandTest.run("report", "summary", tmp.resolve("nope").toString()).exit())
        .isEqualTo(ExitCodes.USAGE);
  }

  /** A report mail lands in the bucket folder, the gateway runs on its S3 event, the summary shows it. */
  @Test
  void aReportMailThroughALocalRunOfTheGatewayEndToEnd() throws IOException {
    Path bucket = tmp.resolve("bucket");
    Files.createDirectories(bucket);
    Files.write(bucket.resolve("rpt0001"), Samples.mail("dmarc@mailgate.example", "application/zip",
        "google.com!mailgate.example!1790380800!1790467199.zip",
        Samples.zip("report.xml", Samples.bytes("google-like.xml"))));
    String config = Files.readString(Path.of("events/config.json")).trim();
    config = config.substring(0, config.lastIndexOf('}'))
        + ", \"reports\": {\"addresses\": [\"dmarc@mailgate.example\"]}}";
    Path configFile = write("config.json", config.getBytes(StandardCharsets.UTF_8));
    String event = Files.readString(Path.of("events/s3-put.json"))
        .replace("0s2u4w6y8a1c3e5g7i9k1m3o5q7s9u1w3y5a7c9e", "rpt0001");
    Path eventFile = write("event.json", event.getBytes(StandardCharsets.UTF_8));
    Path state = tmp.resolve("state");

    VerifyCommandTest.Run run = VerifyCommandTest.run("invoke", "--dns-fixture", "events/dns-fixture.zone",
        "--config", configFile.toString(), "--bucket-dir", bucket.toString(), "--state-dir", state.toString(),
        "--outbox", tmp.resolve("outbox").toString(), eventFile.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("verdict:  discard (rule dmarc-report)")
        .contains("report: dmarc@mailgate.example -> reports/dt=2026-09-26/google.com!13954812003218823372.json: done")
        .contains("state:    discarded");
    Path stored = state.resolve("reports/dt=2026-09-26/google.com!13954812003218823372.json");
    ReportJson.Stored report = ReportJson.fromJson(Files.readAllBytes(stored));
    assertThat(report.report().messageCount()).isEqualTo(1241);
    // The sample mail is not signed and the sample DNS has no record for google.com: not authenticated.
    assertThat(report.authentication().result()).isEqualTo(ReportAuthentication.Result.NONE);
    assertThat(report.authentication().from()).isEqualTo("google.com");
    assertThat(tmp.resolve("outbox")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());

    Path page = tmp.resolve("page.html");
    VerifyCommandTest.Run summary = VerifyCommandTest.run("report", "summary", state.resolve("reports").toString(),
        "-o", page.toString());
    assertThat(summary.exit()).as(summary.err()).isZero();
    assertThat(summary.err()).contains("0 reports (1 files, 0 not read; 1 not authenticated, not counted)");
    assertThat(Files.readString(page)).contains("<div class=\"value\">0</div>").doesNotContain("203.0.113.66")
        .contains("<section id=\"unauthenticated\">").contains("<td>google.com</td><td>13954812003218823372</td>")
        .contains("no DMARC record for google.com and no aligned SPF or DKIM pass");

    VerifyCommandTest.Run all = VerifyCommandTest.run("report", "summary", state.resolve("reports").toString(),
        "-o", page.toString(), "--include-unauthenticated");
    assertThat(all.exit()).as(all.err()).isZero();
    assertThat(all.err()).contains("1 reports (1 files, 0 not read; 1 not authenticated, included)");
    assertThat(Files.readString(page)).contains("<div class=\"value\">1,241</div>").contains("203.0.113.66")
        .contains("<strong>is included</strong>").contains("<section id=\"unauthenticated\">");
  }

  @Test
  void ingestMarksFileReportsUnverifiedUnlessTrusted() throws IOException {
    Path xml = write("a.xml", Samples.bytes("google-like.xml"));
    VerifyCommandTest.Run r = VerifyCommandTest.run("report", "ingest", "--store", tmp.resolve("plain").toString(),
        xml.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("cannot be authenticated: marked \"unverified\"");
    assertThat(((Map<?, ?>) r.json().get(0).get("authentication")).get("result")).isEqualTo("unverified");
    VerifyCommandTest.Run t = VerifyCommandTest.run("report", "ingest", "--trusted", "--store",
        tmp.resolve("trusted").toString(), xml.toString());
    assertThat(t.exit()).as(t.err()).isZero();
    assertThat(t.err()).isEmpty();
    assertThat(((Map<?, ?>) t.json().get(0).get("authentication")).get("result")).isEqualTo("trusted");

    // The summary counts the trusted copy and leaves the unverified one out, naming why.
    Path page = tmp.resolve("p.html");
    VerifyCommandTest.Run plain = VerifyCommandTest.run("report", "summary", tmp.resolve("plain").toString(), "-o",
        page.toString());
    assertThat(plain.err()).contains("0 reports (1 files, 0 not read; 1 not authenticated, not counted)");
    assertThat(Files.readString(page)).contains("read from a file: no envelope or DNS check, not verified");
    VerifyCommandTest.Run trusted = VerifyCommandTest.run("report", "summary", tmp.resolve("trusted").toString(),
        "-o", page.toString());
    assertThat(trusted.err()).contains("1 reports (1 files, 0 not read)");
    assertThat(Files.readString(page)).contains("<div class=\"value\">1,241</div>")
        .doesNotContain("id=\"unauthenticated\"").doesNotContain("unknown authentication");

    // Ingesting the same file again without --trusted keeps the trusted verdict (never a downgrade).
    VerifyCommandTest.Run again = VerifyCommandTest.run("report", "ingest", "--store",
        tmp.resolve("trusted").toString(), xml.toString());
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.err()).contains("already holds this report with an authenticated verdict: kept");
    VerifyCommandTest.Run still = VerifyCommandTest.run("report", "summary", tmp.resolve("trusted").toString(),
        "-o", page.toString());
    assertThat(still.err()).contains("1 reports (1 files, 0 not read)");
  }
}
