package dev.mailgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailgate.dkim.DkimKeys;
import dev.mailgate.dkim.DkimSigner;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.dns.DnsTempFailure;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.dns.MxHost;
import dev.mailgate.dns.RecordType;
import dev.mailgate.message.RawMessage;
import dev.mailgate.policy.SesVerdicts;
import dev.mailgate.report.ingest.ReportAuthentication;
import dev.mailgate.report.ingest.ReportJson;
import dev.mailgate.report.ingest.ReportReader;
import dev.mailgate.report.ingest.Samples;
import dev.mailgate.report.summary.ReportSummary;
import dev.mailgate.report.summary.StoredReports;
import dev.mailgate.report.summary.SummaryHtml;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mail to the report addresses: recognised, authenticated, parsed, stored through the store with the
 * verdict on its mail, handled per configuration; only reports whose mail was authenticated count.
 */
class GatewayReportsTest {
  static final String REPORTS = "\"reports\": {\"addresses\": [\"dmarc@mailgate.example\"]}";
  static final String REPORTS_DELIVERED = "\"reports\": {\"addresses\": [\"dmarc@mailgate.example\"], \"deliver\": true}";
  static final String GOOGLE_KEY = "reports/dt=2026-09-26/google.com!13954812003218823372.json";
  /** google.com's (test) DKIM key: made once per run, it signs only test mail. */
  static final KeyPair GOOGLE_KEY_PAIR = rsa();
  /** An address inside google.com's SPF record below, and one outside it. */
  static final String GOOGLE_IP = "209.85.220.41";
  static final String FORGER_IP = "203.0.113.200";

  @TempDir Path dir;

  /**
   * The reporters' DNS: google.com with a DKIM key, SPF and DMARC p=reject; smallmail.example with SPF
   * on its bounce domain and no DMARC record anywhere up its tree.
   */
  static InMemoryResolver.Builder reporterDns() {
    return dnsWithoutGoogleDmarc()
        .txt("_dmarc.google.com", "v=DMARC1; p=reject; rua=mailto:mailauth-reports@google.com");
  }

  /** The same, but the query for google.com's DMARC record times out. */
  static InMemoryResolver slowDmarcDns() {
    return dnsWithoutGoogleDmarc().timeout("_dmarc.google.com", RecordType.TXT).build();
  }

  private static InMemoryResolver.Builder dnsWithoutGoogleDmarc() {
    return InMemoryResolver.builder()
        .txt("s2026._domainkey.google.com", DkimKeys.keyRecord(GOOGLE_KEY_PAIR.getPublic()))
        .txt("google.com", "v=spf1 ip4:209.85.128.0/17 -all")
        .txt("bounces.smallmail.example", "v=spf1 ip4:192.0.2.77 -all")
        .txt("unrelated.example", "v=spf1 ip4:192.0.2.77 -all");
  }

  Harness harness(String extra) {
    return new Harness(dir, extra, reporterDns().build(), Gateway.SES_MAX_MESSAGE_BYTES);
  }

  static byte[] googleReportMail(String to) {
    return Samples.mail(to, "application/zip", "google.com!mailgate.example!1790380800!1790467199.zip",
        Samples.zip("google.com!mailgate.example!1790380800!1790467199.xml", Samples.bytes("google-like.xml")));
  }

  /** {@code message} signed by google.com (d=google.com, s=s2026). */
  static byte[] signedByGoogle(byte[] message) throws GeneralSecurityException {
    return DkimSigner.builder("google.com", "s2026", GOOGLE_KEY_PAIR.getPrivate()).build()
        .signAndPrepend(RawMessage.parse(message));
  }

  /** {@code message} as SES stores it: its Return-Path and Received (client IP, HELO, recipient) on top. */
  static byte[] viaSes(String mailFrom, String ip, byte[] message) {
    String trace = "Return-Path: <" + mailFrom + ">\r\n"
        + "Received: from mail-out (mail-out [" + ip + "])\r\n"
        + " by inbound-smtp.us-east-1.amazonaws.com with SMTP id testid0001\r\n"
        + " for dmarc@mailgate.example;\r\n"
        + " Sat, 28 Nov 2026 09:14:07 +0000 (UTC)\r\n";
    byte[] t = trace.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[t.length + message.length];
    System.arraycopy(t, 0, out, 0, t.length);
    System.arraycopy(message, 0, out, t.length, message.length);
    return out;
  }

  /** google.com's real report: DKIM-signed, sent from an address its SPF record lists. */
  static byte[] authenticGoogleReport() throws GeneralSecurityException {
    return viaSes("bounces@google.com", GOOGLE_IP, signedByGoogle(googleReportMail("dmarc@mailgate.example")));
  }

  /** The same report forged: unsigned, from an address google.com's SPF does not list. */
  static byte[] forgedGoogleReport(byte[] mail) {
    return viaSes("bounces@google.com", FORGER_IP, mail);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> authentication(Path json) throws Exception {
    return (Map<String, Object>) JSON.std.mapFrom(Files.readAllBytes(json)).get("authentication");
  }

  ReportSummary summary(boolean includeUnauthenticated) throws Exception {
    StoredReports stored = new StoredReports(new ReportReader());
    stored.addFolder(dir.resolve("reports"), 1 << 20);
    return ReportSummary.ofEntries(stored.entries(), stored.problems(), null, null, includeUnauthenticated);
  }

  @Test
  void aReportMailIsParsedStoredAndNotDelivered() throws Exception {
    Harness h = harness(REPORTS);
    Outcome o = h.runS3(h.put("r1", authenticGoogleReport()));
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
    assertThat(stored.authentication().result()).isEqualTo(ReportAuthentication.Result.PASS);
    assertThat(authentication(dir.resolve(GOOGLE_KEY))).containsEntry("result", "pass")
        .containsEntry("from", "google.com").containsEntry("dmarc", "pass").containsEntry("dkim", List.of("google.com"))
        .containsEntry("spf", "google.com");
    assertThat(stored.source()).isEqualTo("r1/google.com!mailgate.example!1790380800!1790467199.zip"
        + "!google.com!mailgate.example!1790380800!1790467199.xml");

    // The log: the report's metrics line, then the message's.
    List<String> lines = h.logLines();
    assertThat(lines).hasSize(2);
    Map<String, Object> metrics = JSON.std.mapFrom(lines.get(0));
    assertThat(metrics).containsEntry("event", "dmarc-report").containsEntry("ReportingOrg", "google.com")
        .containsEntry("Domain", "mailgate.example").containsEntry("SpoofingAttempts", 37)
        .containsEntry("ReportedMessages", 1241).containsEntry("ReportsUnauthenticated", 0)
        .containsEntry("authentication", "pass").containsKey("_aws");
    assertThat(JSON.std.mapFrom(lines.get(1))).containsEntry("Verdict", "dmarc-report")
        .containsEntry("Action", "discard");
  }

  @Test
  void theSameReportTwiceIsStoredOnce() throws Exception {
    Harness h = harness(REPORTS);
    h.runS3(h.put("r1", authenticGoogleReport()));
    h.runS3(h.put("r2", authenticGoogleReport()));
    try (var files = Files.list(dir.resolve("reports/dt=2026-09-26"))) {
      assertThat(files).hasSize(1);
    }
    // Counted once in the metrics too: a re-send (or a Lambda retry) must not double the reported
    // messages and spoofing attempts.
    assertThat(h.logLines().stream().filter(l -> l.contains("\"event\":\"dmarc-report\""))).hasSize(1);
  }

  /**
   * RFC 9990 3.5.2: the same report forged (unsigned, from an address outside google.com's SPF, whose
   * DMARC policy is reject) is stored and marked, but counts nowhere: not in the metrics, not in the
   * summary's totals, which list it apart.
   */
  @Test
  void aForgedReportIsStoredMarkedAndNotCounted() throws Exception {
    Harness h = harness(REPORTS);
    Outcome o = h.runS3(h.put("forged", forgedGoogleReport(googleReportMail("dmarc@mailgate.example"))));
    assertThat(o.state()).isEqualTo(ObjectState.DISCARDED);
    assertThat(o.verdict().rule()).isEqualTo("dmarc-report");
    assertThat(o.auth().dmarc().word()).isEqualTo("fail");
    assertThat(o.actions()).singleElement().satisfies(a -> {
      assertThat(a.targets()).containsExactly(GOOGLE_KEY);
      assertThat(a.detail()).contains("1 report stored, authentication fail (DMARC fail for google.com");
    });
    assertThat(authentication(dir.resolve(GOOGLE_KEY))).containsEntry("result", "fail")
        .containsEntry("from", "google.com").containsEntry("dmarc", "fail").containsEntry("dkim", List.of())
        .doesNotContainKey("spf");

    Map<String, Object> metrics = JSON.std.mapFrom(h.logLines().get(0));
    assertThat(metrics).containsEntry("event", "dmarc-report").containsEntry("ReportsUnauthenticated", 1)
        .containsEntry("SpoofingAttempts", 0).containsEntry("ReportedMessages", 0).containsEntry("ReportedPass", 0)
        .containsEntry("ReportedFail", 0).containsEntry("claimedMessages", 1241).containsEntry("authentication", "fail")
        .containsEntry("authenticationFrom", "google.com").containsEntry("level", "WARN")
        .containsEntry("Domain", "mailgate.example");
    assertThat((List<?>) metrics.get("spoofingSources")).isEmpty();

    ReportSummary s = summary(false);
    assertThat(s.reports()).isZero();
    assertThat(s.messages()).isZero();
    assertThat(s.sources()).isEmpty();
    assertThat(s.unauthenticated()).singleElement().satisfies(u -> {
      assertThat(u.orgName()).isEqualTo("google.com");
      assertThat(u.domain()).isEqualTo("mailgate.example");
      assertThat(u.messages()).isEqualTo(1241);
      assertThat(u.authentication().result()).isEqualTo(ReportAuthentication.Result.FAIL);
    });
    String html = SummaryHtml.render(s, Clock.systemUTC());
    assertThat(html).contains("<section id=\"unauthenticated\">").contains("Reports not authenticated")
        .contains("<td>google.com</td><td>13954812003218823372</td><td>mailgate.example</td><td class=\"n\">1,241</td>")
        .contains("DMARC fail for google.com").doesNotContain("203.0.113.66");
    ReportSummary all = summary(true);
    assertThat(all.messages()).isEqualTo(1241);
    assertThat(all.unauthenticated()).hasSize(1);
  }

  /** Report mail need not pass DMARC to be stored: a different report claiming the same org and ID replaces nothing. */
  @Test
  void aDifferentReportWithTheSameOrgAndIdIsKeptBesideTheFirst() throws Exception {
    Harness h = harness(REPORTS);
    h.runS3(h.put("r1", authenticGoogleReport()));
    String forged = new String(Samples.bytes("google-like.xml"), StandardCharsets.UTF_8)
        .replaceFirst("<count>[0-9]+</count>", "<count>999999</count>");
    Outcome o = h.runS3(h.put("forged", forgedGoogleReport(Samples.mail("dmarc@mailgate.example", "application/zip",
        "r.zip", Samples.zip("r.xml", forged.getBytes(StandardCharsets.UTF_8))))));
    String other = GOOGLE_KEY.replace(".json", "!forged.json");
    assertThat(o.actions()).singleElement().satisfies(a -> assertThat(a.targets()).containsExactly(other));
    assertThat(ReportJson.fromJson(Files.readAllBytes(dir.resolve(GOOGLE_KEY))).source()).startsWith("r1/");
    assertThat(ReportJson.fromJson(Files.readAllBytes(dir.resolve(other))).source()).startsWith("forged/");
    assertThat(authentication(dir.resolve(GOOGLE_KEY))).containsEntry("result", "pass");
    assertThat(authentication(dir.resolve(other))).containsEntry("result", "fail");

    // The summary counts the authentic report only, and lists the forged one apart; with
    // --include-unauthenticated the authentic one still wins over the forged one with its org and ID.
    for (boolean include : new boolean[] {false, true}) {
      ReportSummary s = summary(include);
      assertThat(s.reports()).isEqualTo(1);
      assertThat(s.messages()).isEqualTo(1241);
      assertThat(s.unauthenticated()).singleElement().satisfies(u -> assertThat(u.messages()).isGreaterThan(999_999));
    }
  }

  /** The same report first forged, then from its reporter: the stored copy is now marked authenticated. */
  @Test
  void anAuthenticCopyOfAStoredForgedReportMarksItAuthenticated() throws Exception {
    Harness h = harness(REPORTS);
    h.runS3(h.put("forged", forgedGoogleReport(googleReportMail("dmarc@mailgate.example"))));
    assertThat(authentication(dir.resolve(GOOGLE_KEY))).containsEntry("result", "fail");
    h.runS3(h.put("r1", authenticGoogleReport()));
    assertThat(authentication(dir.resolve(GOOGLE_KEY))).containsEntry("result", "pass");
    // And never the other way round: a forged copy of an authenticated report changes nothing.
    h.runS3(h.put("forged2", forgedGoogleReport(googleReportMail("dmarc@mailgate.example"))));
    assertThat(authentication(dir.resolve(GOOGLE_KEY))).containsEntry("result", "pass");
    try (var files = Files.list(dir.resolve("reports/dt=2026-09-26"))) {
      assertThat(files).hasSize(1);
    }
  }

  /** A reporter without a DMARC record: SPF pass for its bounce domain, aligned with From, authenticates. */
  @Test
  void withoutADmarcRecordAnAlignedSpfPassAuthenticates() throws Exception {
    Harness h = harness(REPORTS);
    h.runS3(h.put("small", viaSes("rpt@bounces.smallmail.example", "192.0.2.77",
        Samples.wholeBodyMail("dmarc@mailgate.example", "application/gzip", Samples.gzip(Samples.bytes("yahoo-like.xml"))))));
    Path stored = onlyReport();
    assertThat(authentication(stored)).containsEntry("result", "pass").containsEntry("from", "smallmail.example")
        .containsEntry("dmarc", "none").containsEntry("spf", "bounces.smallmail.example");
    assertThat((String) authentication(stored).get("reason")).contains("SPF pass for aligned bounces.smallmail.example");
    assertThat(JSON.std.mapFrom(h.logLines().get(0))).containsEntry("ReportsUnauthenticated", 0)
        .containsEntry("SpoofingAttempts", 12);
  }

  /** The same, but SPF passed for a domain that is not aligned with From: nothing authenticates it. */
  @Test
  void withoutADmarcRecordAnUnalignedSpfPassDoesNotAuthenticate() throws Exception {
    Harness h = harness(REPORTS);
    h.runS3(h.put("small", viaSes("rpt@unrelated.example", "192.0.2.77",
        Samples.wholeBodyMail("dmarc@mailgate.example", "application/gzip", Samples.gzip(Samples.bytes("yahoo-like.xml"))))));
    assertThat(authentication(onlyReport())).containsEntry("result", "none").containsEntry("spf", "unrelated.example");
    assertThat(JSON.std.mapFrom(h.logLines().get(0))).containsEntry("ReportsUnauthenticated", 1)
        .containsEntry("SpoofingAttempts", 0);
  }

  /**
   * A temporary DNS error is retried as for any message (Lambda retries; nothing is stored meanwhile);
   * once DNS answers, the report is stored authenticated.
   */
  @Test
  void aTemporaryDnsErrorIsRetriedThenTheReportIsStoredAuthenticated() throws Exception {
    Flaky dns = new Flaky(slowDmarcDns(), reporterDns().build());
    Harness h = new Harness(dir, REPORTS, dns, Gateway.SES_MAX_MESSAGE_BYTES);
    MessageRef ref = h.put("r1", authenticGoogleReport());
    Outcome first = h.runS3(ref);
    assertThat(first.state()).isEqualTo(ObjectState.DEFERRED);
    assertThat(first.retryLater()).isTrue();
    assertThat(first.actions()).singleElement().satisfies(a -> assertThat(a.action()).isEqualTo("retry"));
    assertThat(Files.exists(dir.resolve("reports"))).isFalse();
    dns.recovered = true;
    Outcome second = h.runS3(ref);
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.state()).isEqualTo(ObjectState.DISCARDED);
    assertThat(authentication(dir.resolve(GOOGLE_KEY))).containsEntry("result", "pass");
  }

  /** DNS never answers: the last attempt stores the report marked temperror, and it does not count. */
  @Test
  void aTemporaryDnsErrorOnTheLastAttemptStoresTheReportAsTemperror() throws Exception {
    Harness h = new Harness(dir, REPORTS, slowDmarcDns(),
        Gateway.SES_MAX_MESSAGE_BYTES);
    MessageRef ref = h.put("r1", authenticGoogleReport());
    assertThat(h.runS3(ref).state()).isEqualTo(ObjectState.DEFERRED);
    assertThat(h.runS3(ref).state()).isEqualTo(ObjectState.DEFERRED);
    Outcome last = h.runS3(ref);
    assertThat(last.attempt()).isEqualTo(3);
    assertThat(last.state()).isEqualTo(ObjectState.DISCARDED);
    assertThat(last.retryLater()).isFalse();
    assertThat(authentication(dir.resolve(GOOGLE_KEY))).containsEntry("result", "temperror")
        .containsEntry("dmarc", "temperror");
    Map<String, Object> metrics = JSON.std.mapFrom(h.logLines().stream().filter(l -> l.contains("dmarc-report\""))
        .filter(l -> l.contains("ReportsUnauthenticated")).findFirst().orElseThrow());
    assertThat(metrics).containsEntry("ReportsUnauthenticated", 1).containsEntry("SpoofingAttempts", 0)
        .containsEntry("authentication", "temperror");
    assertThat(summary(false).unauthenticated()).singleElement()
        .satisfies(u -> assertThat(u.authentication().reason()).contains("temperror"));
  }

  /** In sync mode SES will not ask again: the report is stored marked temperror in the same invocation. */
  @Test
  void aTemporaryDnsErrorInSyncModeStoresTheReportAsTemperror() throws Exception {
    Harness h = new Harness(dir, REPORTS, slowDmarcDns(),
        Gateway.SES_MAX_MESSAGE_BYTES);
    Outcome o = h.run(h.put("r1", authenticGoogleReport()), Harness.receipt("r1", "bounces@google.com",
        List.of("dmarc@mailgate.example"), SesVerdicts.NONE, true), true);
    assertThat(o.state()).isEqualTo(ObjectState.DISCARDED);
    assertThat(authentication(dir.resolve(GOOGLE_KEY))).containsEntry("result", "temperror");
  }

  Path onlyReport() throws Exception {
    try (var files = Files.walk(dir.resolve("reports"))) {
      return files.filter(Files::isRegularFile).reduce((a, b) -> {
        throw new AssertionError("more than one report: " + a + ", " + b);
      }).orElseThrow();
    }
  }

  /** Answers from {@code before} until {@link #recovered}, then from {@code after}. */
  static final class Flaky implements DnsResolver {
    final DnsResolver before;
    final DnsResolver after;
    volatile boolean recovered;

    Flaky(DnsResolver before, DnsResolver after) {
      this.before = before;
      this.after = after;
    }

    DnsResolver now() {
      return recovered ? after : before;
    }

    @Override
    public List<String> txt(String name) throws DnsTempFailure {
      return now().txt(name);
    }

    @Override
    public List<InetAddress> addresses(String name) throws DnsTempFailure {
      return now().addresses(name);
    }

    @Override
    public List<MxHost> mx(String name) throws DnsTempFailure {
      return now().mx(name);
    }

    @Override
    public List<String> ptr(InetAddress ip) throws DnsTempFailure {
      return now().ptr(ip);
    }
  }

  static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void withDeliverTheReportMailAlsoGoesItsRoute() throws Exception {
    InMemoryResolver dns = reporterDns().logQueries(true).build();
    Harness h = new Harness(dir, REPORTS_DELIVERED, dns, Gateway.SES_MAX_MESSAGE_BYTES);
    Outcome o = h.run(h.put("r3", authenticGoogleReport()), Harness.receipt("r3",
        "noreply-dmarc-support@google.com", List.of("dmarc@mailgate.example"), SesVerdicts.NONE, false), false);
    assertThat(o.actions()).extracting(ActionResult::action).first().isEqualTo("report");
    assertThat(o.actions()).hasSizeGreaterThan(1);
    assertThat(o.verdict().rule()).isNotEqualTo("dmarc-report");
    assertThat(Files.exists(dir.resolve(GOOGLE_KEY))).isTrue();
    assertThat(authentication(dir.resolve(GOOGLE_KEY))).containsEntry("result", "pass");
    // The message was authenticated once, for the report and its delivery alike.
    assertThat(dns.queries()).filteredOn(q -> q.equals("TXT _dmarc.google.com")).hasSize(1);
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
