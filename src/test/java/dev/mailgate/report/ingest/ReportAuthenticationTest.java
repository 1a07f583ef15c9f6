package dev.mailgate.report.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.authres.AuthReport;
import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dkim.DkimResult;
import dev.mailgate.dmarc.Disposition;
import dev.mailgate.dmarc.DmarcMode;
import dev.mailgate.dmarc.DmarcResult;
import dev.mailgate.policy.AuthSummary;
import dev.mailgate.policy.SesVerdicts;
import dev.mailgate.spf.SpfResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The verdict on a report's mail: how it is decided, and how it is stored and read back. */
class ReportAuthenticationTest {

  static DmarcResult dmarc(AuthStatus status, String from) {
    return new DmarcResult(status, from, null, null, null, null, null, null, Disposition.NONE, false, false, null,
        List.of(), DmarcMode.RFC9989, "dmarc " + status.word());
  }

  static DkimResult dkim(AuthStatus status, String d, boolean testing) {
    return new DkimResult(status, d, "s1", "rsa-sha256", 2048, "@" + d, "abcdefgh", "dkim " + status.word(), testing);
  }

  static SpfResult spf(AuthStatus status, String domain) {
    return new SpfResult(status, SpfResult.Identity.MAILFROM, domain, "bounce@" + domain, null, null, "spf");
  }

  static ReportAuthentication verdict(DmarcResult dm, SpfResult spf, DkimResult... dkim) {
    AuthReport r = new AuthReport(null, spf, List.of(dkim), null, dm);
    return ReportAuthentication.of(r, AuthSummary.from(r, SesVerdicts.NONE));
  }

  /**
   * The rule (docs/REPORTING.md, "Reports in"): DMARC pass; or, without a usable DMARC record, aligned
   * (same Organizational Domain by the Public Suffix List) SPF or DKIM pass.
   */
  @ParameterizedTest(name = "[{index}] dmarc={0} from={1} spf={2} {3} dkim={4} {5} -> {6}")
  @CsvSource({
    "pass,      google.com,       none,      ,                         none, ,                   pass",
    "fail,      google.com,       pass,      google.com,               pass, google.com,          fail",
    "temperror, google.com,       pass,      google.com,               pass, google.com,          temperror",
    "none,      smallmail.example, pass,     bounces.smallmail.example, none, ,                  pass",
    "none,      smallmail.example, none,     ,                         pass, mx.smallmail.example, pass",
    "none,      smallmail.example, pass,     unrelated.example,        pass, unrelated.example,   none",
    "none,      smallmail.example, fail,     smallmail.example,        fail, smallmail.example,   none",
    "none,      smallmail.example, temperror, smallmail.example,       none, ,                   temperror",
    "none,      smallmail.example, none,     ,                         temperror, smallmail.example, temperror",
    "none,      smallmail.example, temperror, unrelated.example,       none, ,                   none",
    "permerror, smallmail.example, pass,     smallmail.example,        none, ,                   pass",
    "none,      reports.co.uk,     pass,     other.co.uk,              none, ,                   none",
  })
  void theRule(String dm, String from, String spfStatus, String spfDomain, String dkimStatus, String dkimDomain,
      String expected) {
    DkimResult[] sigs = dkimDomain == null ? new DkimResult[0]
        : new DkimResult[] {dkim(AuthStatus.fromWord(dkimStatus), dkimDomain, false)};
    ReportAuthentication a = verdict(dmarc(AuthStatus.fromWord(dm), from),
        spf(AuthStatus.fromWord(spfStatus), spfDomain), sigs);
    assertThat(a.result().word()).as(a.reason()).isEqualTo(expected);
    assertThat(a.from()).isEqualTo(from);
    assertThat(a.dmarc()).isEqualTo(dm);
    assertThat(a.authenticated()).isEqualTo(expected.equals("pass"));
  }

  /** RFC 6376 3.6.1: a signature with a testing key (t=y) authenticates nothing. */
  @Test
  void aDkimKeyInTestingModeDoesNotAuthenticate() {
    ReportAuthentication a = verdict(dmarc(AuthStatus.NONE, "smallmail.example"), spf(AuthStatus.NONE, null),
        dkim(AuthStatus.PASS, "smallmail.example", true));
    assertThat(a.result()).isEqualTo(ReportAuthentication.Result.NONE);
    assertThat(a.dkim()).isEmpty();
  }

  @Test
  void aMailWithoutAUsableFromDomainFails() {
    ReportAuthentication a = verdict(dmarc(AuthStatus.PERMERROR, null), spf(AuthStatus.PASS, "google.com"));
    assertThat(a.result()).isEqualTo(ReportAuthentication.Result.FAIL);
    assertThat(a.reason()).startsWith("no usable From domain");
  }

  @Test
  void manySignaturesKeepABoundedListOfDomains() {
    DkimResult[] sigs = new DkimResult[40];
    for (int i = 0; i < sigs.length; i++) {
      sigs[i] = dkim(AuthStatus.PASS, "d" + i + ".example", false);
    }
    ReportAuthentication a = verdict(dmarc(AuthStatus.PASS, "d0.example"), null, sigs);
    assertThat(a.dkim()).hasSize(ReportAuthentication.MAX_DKIM).startsWith("d0.example");
  }

  @Test
  void theVerdictIsStoredWithTheReportAndReadBack() {
    ReceivedReport r = ((ReportParse.Parsed) AggregateReportParser.parse("g", Samples.bytes("google-like.xml"),
        ReportLimits.DEFAULT)).report();
    ReportAuthentication a = verdict(dmarc(AuthStatus.PASS, "google.com"), spf(AuthStatus.PASS, "google.com"),
        dkim(AuthStatus.PASS, "google.com", false));
    Instant at = Instant.parse("2026-09-27T06:12:03Z");
    String json = ReportJson.toString(r, "m/r.zip", at);
    assertThat(json).doesNotContain("authentication"); // unknown: the member is left out
    byte[] withAuth = ReportJson.toJson(r, "m/r.zip", at, a);
    assertThat(new String(withAuth, StandardCharsets.UTF_8)).contains("\"authentication\":{\"result\":\"pass\","
        + "\"from\":\"google.com\",\"dmarc\":\"pass\",\"dkim\":[\"google.com\"],\"spf\":\"google.com\","
        + "\"reason\":\"DMARC pass for google.com\"}");
    ReportJson.Stored back = ReportJson.fromJson(withAuth);
    assertThat(back.authentication()).isEqualTo(a);
    assertThat(back.report()).isEqualTo(r);
  }

  /** A report stored before this member existed: it loads, of unknown authentication, and counts as before. */
  @Test
  void aReportStoredBeforeLoadsAsUnknown() {
    String old = """
        {"format":1,"schema":"rfc7489","source":"m/r.zip","received":"2026-09-27T06:12:03Z",
         "metadata":{"orgName":"Yahoo","reportId":"1790380800.713208","begin":"2026-09-26T00:00:00Z",
                     "end":"2026-09-26T23:59:59Z"},
         "policy":{"domain":"mailgate.example","p":"quarantine"},
         "records":[{"sourceIp":"198.51.100.200","count":12,"dkim":"fail","spf":"fail","dmarc":"fail",
                     "headerFrom":"mailgate.example","dkimResults":[],"spfResults":[]}],
         "warnings":[]}
        """;
    ReportJson.Stored s = ReportJson.fromJson(old.getBytes(StandardCharsets.UTF_8));
    assertThat(s.report().messageCount()).isEqualTo(12);
    assertThat(s.authentication()).isSameAs(ReportAuthentication.UNKNOWN);
    assertThat(s.authentication().counted()).isTrue();
    assertThat(s.authentication().authenticated()).isFalse();
  }

  /** Nothing unreadable counts: an unknown result word or a member of the wrong type is "unverified". */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"{\"result\":\"PASS\"}", "{\"result\":\"verified\"}", "\"pass\"", "[]",
      "{\"result\":\"unknown\"}", "{}"})
  void anUnreadableMemberIsUnverified(String member) {
    String doc = "{\"metadata\":{\"orgName\":\"x\",\"reportId\":\"1\"},\"records\":[],\"authentication\":" + member + "}";
    ReportJson.Stored s = ReportJson.fromJson(doc.getBytes(StandardCharsets.UTF_8));
    assertThat(s.authentication().result()).isEqualTo(ReportAuthentication.Result.UNVERIFIED);
    assertThat(s.authentication().counted()).isFalse();
  }

  @Test
  void wordsRoundTrip() {
    for (ReportAuthentication.Result r : ReportAuthentication.Result.values()) {
      assertThat(ReportAuthentication.Result.fromWord(r.word())).isSameAs(r);
    }
    assertThat(ReportAuthentication.fromMap(Map.of("result", "trusted")).counted()).isTrue();
    assertThat(ReportAuthentication.fromMap(Map.of("result", "temperror")).counted()).isFalse();
  }
}
