package dev.mailgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.authres.AuthReport;
import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dmarc.Disposition;
import dev.mailgate.message.Envelope;
import dev.mailgate.spf.SpfResult;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How the policy's view of authentication is assembled from mailgate's report and SES's verdicts. */
class AuthSummaryTest {

  static Stream<Arguments> dkim() {
    return Stream.of(
        Arguments.of("no signature: none", List.of(), AuthStatus.NONE),
        Arguments.of("one passing signature among failures: pass", List.of(AuthStatus.FAIL, AuthStatus.PASS),
            AuthStatus.PASS),
        Arguments.of("a temperror outranks a fail (it might pass later)", List.of(AuthStatus.FAIL, AuthStatus.TEMPERROR),
            AuthStatus.TEMPERROR),
        Arguments.of("fail outranks permerror", List.of(AuthStatus.PERMERROR, AuthStatus.FAIL), AuthStatus.FAIL),
        Arguments.of("permerror alone", List.of(AuthStatus.PERMERROR), AuthStatus.PERMERROR));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dkim")
  void severalDkimSignaturesCombineIntoOneWord(String name, List<AuthStatus> results, AuthStatus expected) {
    assertThat(AuthSummary.combineDkim(results)).isEqualTo(expected);
  }

  @Test
  void ourSpfResultIsPreferredToSes() {
    AuthReport report = AuthReport.ofSpf(env(), spf(AuthStatus.FAIL, SpfResult.Identity.MAILFROM));
    SesVerdicts ses = new SesVerdicts(SesVerdict.PASS, SesVerdict.PASS, SesVerdict.PASS, SesVerdict.PASS,
        SesVerdict.PASS, null, "event");
    AuthSummary a = AuthSummary.from(report, ses);
    assertThat(a.spf()).isEqualTo(AuthStatus.FAIL);
    assertThat(a.mailFromAuthenticated()).isFalse();
    assertThat(a.sources()).startsWith("spf=mailgate");
  }

  @Test
  void sesFillsInWhatOurReportDoesNotHaveYet() {
    AuthReport report = AuthReport.ofSpf(env(), spf(AuthStatus.PASS, SpfResult.Identity.MAILFROM));
    SesVerdicts ses = new SesVerdicts(SesVerdict.PASS, SesVerdict.PASS, SesVerdict.PASS, SesVerdict.FAIL,
        SesVerdict.FAIL, Disposition.REJECT, "event");
    AuthSummary a = AuthSummary.from(report, ses);
    assertThat(a.words()).isEqualTo("spf=pass dkim=fail dmarc=fail arc=none");
    assertThat(a.dmarcDisposition()).isEqualTo(Disposition.REJECT);
    assertThat(a.mailFromAuthenticated()).isTrue();
    assertThat(a.sources()).isEqualTo("spf=mailgate dkim=ses dmarc=ses arc=none");
  }

  @Test
  void sesSpfIsUsedWhenOursCouldNotRunForWantOfAClientIp() {
    AuthReport report = AuthReport.ofSpf(noIp(), new SpfResult(AuthStatus.NONE, SpfResult.Identity.MAILFROM, null,
        "a@b.example", null, null, "client IP address unknown: SPF not evaluated"));
    SesVerdicts ses = new SesVerdicts(SesVerdict.PASS, SesVerdict.PASS, SesVerdict.PASS, SesVerdict.GRAY,
        SesVerdict.GRAY, null, "event");
    AuthSummary a = AuthSummary.from(report, ses);
    assertThat(a.spf()).isEqualTo(AuthStatus.PASS);
    assertThat(a.mailFromAuthenticated()).isTrue();
    assertThat(a.dkim()).isEqualTo(AuthStatus.NONE);
  }

  @Test
  void ourSpfNoneForADomainWithoutRecordIsNotReplacedBySes() {
    AuthReport report = AuthReport.ofSpf(env(), new SpfResult(AuthStatus.NONE, SpfResult.Identity.MAILFROM,
        "deals.example", "a@deals.example", null, null, "no SPF record"));
    SesVerdicts ses = new SesVerdicts(SesVerdict.PASS, SesVerdict.PASS, SesVerdict.PASS, SesVerdict.GRAY,
        SesVerdict.GRAY, null, "headers");
    AuthSummary a = AuthSummary.from(report, ses);
    assertThat(a.spf()).isEqualTo(AuthStatus.NONE);
    assertThat(a.mailFromAuthenticated()).isFalse();
    assertThat(a.sources()).startsWith("spf=mailgate");
  }

  @Test
  void sesProcessingFailedIsATemporaryError() {
    AuthReport report = AuthReport.ofSpf(env(), spf(AuthStatus.PASS, SpfResult.Identity.MAILFROM));
    SesVerdicts ses = new SesVerdicts(SesVerdict.PASS, SesVerdict.PASS, SesVerdict.PASS, SesVerdict.PASS,
        SesVerdict.PROCESSING_FAILED, null, "event");
    assertThat(AuthSummary.from(report, ses).dmarc()).isEqualTo(AuthStatus.TEMPERROR);
    assertThat(AuthSummary.from(report, ses).hasTempError()).isTrue();
  }

  @Test
  void aDmarcPolicyWithoutADmarcFailureIsNoDisposition() {
    AuthReport report = AuthReport.ofSpf(env(), spf(AuthStatus.PASS, SpfResult.Identity.MAILFROM));
    SesVerdicts ses = new SesVerdicts(SesVerdict.PASS, SesVerdict.PASS, SesVerdict.PASS, SesVerdict.PASS,
        SesVerdict.PASS, Disposition.REJECT, "event");
    assertThat(AuthSummary.from(report, ses).dmarcDisposition()).isEqualTo(Disposition.NONE);
  }

  @Test
  void spfPassForHeloDoesNotAuthenticateTheEnvelopeSender() {
    AuthReport report = AuthReport.ofSpf(env(), spf(AuthStatus.PASS, SpfResult.Identity.HELO));
    AuthSummary a = AuthSummary.from(report, SesVerdicts.NONE);
    assertThat(a.spf()).isEqualTo(AuthStatus.PASS);
    assertThat(a.mailFromAuthenticated()).isFalse();
  }

  @Test
  void withNothingKnownEveryMethodIsNone() {
    AuthSummary a = AuthSummary.from(AuthReport.ofSpf(noIp(), null), SesVerdicts.NONE);
    assertThat(a.words()).isEqualTo("spf=none dkim=none dmarc=none arc=none");
    assertThat(a.dmarcDisposition()).isEqualTo(Disposition.NONE);
  }

  /** An envelope with a client IP: our SPF check ran. */
  @Test
  void mailgatesOwnDkimDmarcAndArcResultsAreUsedWhenTheReportHasThem() throws Exception {
    var dns = dev.mailgate.dns.DnsFixture.load(java.nio.file.Path.of("events/dns-fixture.zone"));
    var auth = new dev.mailgate.authres.Authenticator(dns, java.time.Clock.systemUTC());
    byte[] bytes = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("events/messages/ses-inbound.eml"));
    var msg = dev.mailgate.message.RawMessage.parse(bytes);
    SesVerdicts sesSaysFail = new SesVerdicts(SesVerdict.PASS, SesVerdict.PASS, SesVerdict.FAIL, SesVerdict.FAIL,
        SesVerdict.FAIL, null, "event");
    AuthSummary good = AuthSummary.from(auth.authenticate(dev.mailgate.message.Envelope.fromSesHeaders(msg), msg), sesSaysFail);
    assertThat(good.words()).isEqualTo("spf=pass dkim=pass dmarc=pass arc=none");
    assertThat(good.sources()).isEqualTo("spf=mailgate dkim=mailgate dmarc=mailgate arc=mailgate");

    var tampered = dev.mailgate.message.RawMessage.parse(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)
        .replace("Subject: Quarterly figures", "Subject: Quarterly figures!").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    Envelope elsewhere = new Envelope(dev.mailgate.dns.InetAddresses.parse("203.0.113.9"), "x.example",
        "alice@sender.example", List.of("bob@mailgate.example"));
    AuthSummary bad = AuthSummary.from(auth.authenticate(elsewhere, tampered), SesVerdicts.NONE);
    assertThat(bad.words()).isEqualTo("spf=fail dkim=fail dmarc=fail arc=none");
    assertThat(bad.dmarcDisposition()).isEqualTo(Disposition.REJECT);
  }

  private static Envelope env() {
    return new Envelope(dev.mailgate.dns.InetAddresses.tryParse("192.0.2.10").orElseThrow(), "mail.sender.example",
        "alice@sender.example", List.of("bob@mailgate.example"));
  }

  /** An envelope without client IP: our SPF check could not run. */
  private static Envelope noIp() {
    return new Envelope(null, "mail.sender.example", "alice@sender.example", List.of("bob@mailgate.example"));
  }

  private static SpfResult spf(AuthStatus s, SpfResult.Identity id) {
    return new SpfResult(s, id, "sender.example", "alice@sender.example", null, null, "test");
  }
}
