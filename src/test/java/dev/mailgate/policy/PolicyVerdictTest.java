package dev.mailgate.policy;

import static dev.mailgate.authres.AuthStatus.FAIL;
import static dev.mailgate.authres.AuthStatus.NONE;
import static dev.mailgate.authres.AuthStatus.PASS;
import static dev.mailgate.authres.AuthStatus.SOFTFAIL;
import static dev.mailgate.authres.AuthStatus.TEMPERROR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dmarc.Disposition;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The built-in rules and the guards of {@link Policy#verdict}, with the default configuration. */
class PolicyVerdictTest {
  private static final Policy POLICY = Configs.policy(Configs.BASE);

  static Stream<Arguments> defaults() {
    return Stream.of(
        row("clean mail is delivered", PASS, PASS, PASS, NONE, Disposition.NONE, SesVerdict.PASS, SesVerdict.PASS, true,
            Action.DELIVER, "clean"),
        row("DMARC fail under p=none is delivered", FAIL, FAIL, FAIL, NONE, Disposition.NONE, SesVerdict.PASS,
            SesVerdict.PASS, true, Action.DELIVER, "clean"),
        row("DMARC reject is quarantined by default", FAIL, FAIL, FAIL, NONE, Disposition.REJECT, SesVerdict.PASS,
            SesVerdict.PASS, true, Action.QUARANTINE, "dmarc-reject"),
        row("DMARC quarantine is tagged by default", SOFTFAIL, NONE, FAIL, NONE, Disposition.QUARANTINE,
            SesVerdict.PASS, SesVerdict.PASS, true, Action.TAG, "dmarc-quarantine"),
        row("a virus is quarantined by default", PASS, PASS, PASS, NONE, Disposition.NONE, SesVerdict.PASS,
            SesVerdict.FAIL, true, Action.QUARANTINE, "virus"),
        row("spam is tagged by default", PASS, PASS, PASS, NONE, Disposition.NONE, SesVerdict.FAIL, SesVerdict.PASS,
            true, Action.TAG, "spam"),
        row("SES spam gray is not spam", PASS, PASS, PASS, NONE, Disposition.NONE, SesVerdict.GRAY, SesVerdict.PASS,
            true, Action.DELIVER, "clean"),
        row("SPF temperror is retried while attempts remain", TEMPERROR, NONE, NONE, NONE, Disposition.NONE,
            SesVerdict.PASS, SesVerdict.PASS, true, Action.RETRY, "temperror"),
        row("DMARC temperror on the last attempt gets the safe action (tag)", PASS, PASS, TEMPERROR, NONE,
            Disposition.NONE, SesVerdict.PASS, SesVerdict.PASS, false, Action.TAG, "temperror"),
        row("a virus outranks a temperror", TEMPERROR, NONE, NONE, NONE, Disposition.NONE, SesVerdict.PASS,
            SesVerdict.FAIL, true, Action.QUARANTINE, "virus"),
        row("a DKIM temperror outranks DMARC reject", PASS, TEMPERROR, FAIL, NONE, Disposition.REJECT,
            SesVerdict.PASS, SesVerdict.PASS, false, Action.TAG, "temperror"),
        row("DMARC reject outranks spam", FAIL, FAIL, FAIL, NONE, Disposition.REJECT, SesVerdict.FAIL,
            SesVerdict.PASS, true, Action.QUARANTINE, "dmarc-reject"));
  }

  private static Arguments row(String name, AuthStatus spf, AuthStatus dkim, AuthStatus dmarc, AuthStatus arc,
      Disposition disposition, SesVerdict spam, SesVerdict virus, boolean retryPossible, Action action, String rule) {
    return Arguments.of(name, AuthSummary.of(spf, dkim, dmarc, arc, disposition), spam, virus, retryPossible, action,
        rule);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("defaults")
  void builtInRules(String name, AuthSummary auth, SesVerdict spam, SesVerdict virus, boolean retryPossible,
      Action action, String rule) {
    Verdict v = POLICY.verdict(input(auth, SesVerdicts.scans(spam, virus), "alice@sender.example", retryPossible));
    assertThat(v.action()).as(v.reason()).isEqualTo(action);
    assertThat(v.rule()).isEqualTo(rule);
  }

  @Test
  void ourLoopHeaderQuarantinesWhateverTheAuthentication() {
    PolicyInput in = new PolicyInput(clean(), SesVerdicts.NONE, "a@b.example", List.of("bob@mailgate.example"), 3,
        true, true);
    Verdict v = POLICY.verdict(in);
    assertThat(v.action()).isEqualTo(Action.QUARANTINE);
    assertThat(v.reason()).contains("X-Mailgate-Loop", "mailgate-test");
  }

  @Test
  void moreReceivedFieldsThanTheLimitIsALoop() {
    PolicyInput at = new PolicyInput(clean(), SesVerdicts.NONE, "a@b.example", List.of("bob@mailgate.example"), 50,
        false, true);
    PolicyInput over = new PolicyInput(clean(), SesVerdicts.NONE, "a@b.example", List.of("bob@mailgate.example"), 51,
        false, true);
    assertThat(POLICY.verdict(at).action()).isEqualTo(Action.DELIVER);
    assertThat(POLICY.verdict(over).action()).isEqualTo(Action.QUARANTINE);
    assertThat(POLICY.verdict(over).reason()).contains("51 Received", "limit 50");
  }

  @Test
  void configuredDefaultsReplaceTheBuiltInActions() {
    Policy p = Configs.policy(Configs.baseWith("""
        "defaults": {"dmarcReject": "discard", "dmarcQuarantine": "quarantine", "virus": "discard",
                     "spam": "quarantine", "temperror": "quarantine", "temperrorRetry": false}
        """));
    assertThat(p.verdict(input(AuthSummary.of(FAIL, FAIL, FAIL, NONE, Disposition.REJECT), SesVerdicts.NONE, "a@b.example",
        true)).action()).isEqualTo(Action.DISCARD);
    assertThat(p.verdict(input(AuthSummary.of(FAIL, FAIL, FAIL, NONE, Disposition.QUARANTINE), SesVerdicts.NONE,
        "a@b.example", true)).action()).isEqualTo(Action.QUARANTINE);
    assertThat(p.verdict(input(clean(), SesVerdicts.scans(SesVerdict.PASS, SesVerdict.FAIL), "a@b.example", true))
        .action()).isEqualTo(Action.DISCARD);
    assertThat(p.verdict(input(clean(), SesVerdicts.scans(SesVerdict.FAIL, SesVerdict.PASS), "a@b.example", true))
        .action()).isEqualTo(Action.QUARANTINE);
    // temperrorRetry false: the safe action at once, even with attempts left.
    assertThat(p.verdict(input(AuthSummary.of(TEMPERROR, NONE, NONE, NONE, Disposition.NONE), SesVerdicts.NONE,
        "a@b.example", true)).action()).isEqualTo(Action.QUARANTINE);
  }

  @Test
  void theFirstMatchingRuleWins() {
    Policy p = Configs.policy(Configs.baseWith("""
        "rules": [
          {"name": "strict-spf", "when": {"spf": ["fail", "softfail"], "dkim": "none"}, "action": "quarantine"},
          {"name": "any-spf-fail", "when": {"spf": "fail"}, "action": "discard"}
        ]
        """));
    Verdict v = p.verdict(input(AuthSummary.of(FAIL, NONE, NONE, NONE, Disposition.NONE), SesVerdicts.NONE,
        "a@b.example", true));
    assertThat(v.rule()).isEqualTo("strict-spf");
    assertThat(v.action()).isEqualTo(Action.QUARANTINE);
    Verdict second = p.verdict(input(AuthSummary.of(FAIL, PASS, NONE, NONE, Disposition.NONE), SesVerdicts.NONE,
        "a@b.example", true));
    assertThat(second.rule()).isEqualTo("any-spf-fail");
    assertThat(second.action()).isEqualTo(Action.DISCARD);
  }

  @Test
  void aRuleReadingAuthenticationNeverDiscardsOnATemperror() {
    Policy p = Configs.policy(Configs.baseWith("""
        "rules": [{"name": "spf-fail", "when": {"spf": "fail"}, "action": "discard"}],
        "defaults": {"temperror": "quarantine"}
        """));
    PolicyInput last = input(AuthSummary.of(FAIL, TEMPERROR, NONE, NONE, Disposition.NONE), SesVerdicts.NONE,
        "a@b.example", false);
    Verdict v = p.verdict(last);
    assertThat(v.action()).isEqualTo(Action.QUARANTINE);
    assertThat(v.reason()).contains("discard withheld because of a temporary error");
    PolicyInput early = input(AuthSummary.of(FAIL, TEMPERROR, NONE, NONE, Disposition.NONE), SesVerdicts.NONE,
        "a@b.example", true);
    assertThat(p.verdict(early).action()).isEqualTo(Action.RETRY);
  }

  @Test
  void aRuleOnTheVirusScanAloneStillDiscardsDuringATemperror() {
    Policy p = Configs.policy(Configs.baseWith("""
        "rules": [{"name": "virus", "when": {"virus": "fail"}, "action": "discard"}]
        """));
    Verdict v = p.verdict(input(AuthSummary.of(TEMPERROR, NONE, NONE, NONE, Disposition.NONE),
        SesVerdicts.scans(SesVerdict.PASS, SesVerdict.FAIL), "a@b.example", false));
    assertThat(v.action()).isEqualTo(Action.DISCARD);
  }

  static Stream<Arguments> bounces() {
    return Stream.of(
        Arguments.of("SPF pass for MAIL FROM: bounced", new AuthSummary(PASS, NONE, FAIL, NONE, Disposition.REJECT,
            true, "t"), "alice@sender.example", Action.BOUNCE),
        Arguments.of("DMARC pass: bounced", new AuthSummary(FAIL, PASS, PASS, NONE, Disposition.NONE, false, "t"),
            "alice@sender.example", Action.BOUNCE),
        Arguments.of("SPF pass for HELO only: no backscatter, discarded", new AuthSummary(PASS, NONE, FAIL, NONE,
            Disposition.REJECT, false, "t"), "alice@sender.example", Action.DISCARD),
        Arguments.of("forged sender: no backscatter, discarded", new AuthSummary(FAIL, FAIL, FAIL, NONE,
            Disposition.REJECT, false, "t"), "alice@sender.example", Action.DISCARD),
        Arguments.of("null sender is never bounced", new AuthSummary(PASS, PASS, PASS, NONE, Disposition.NONE, true,
            "t"), "", Action.DISCARD),
        Arguments.of("unknown sender is never bounced", new AuthSummary(PASS, PASS, PASS, NONE, Disposition.NONE, true,
            "t"), null, Action.DISCARD));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bounces")
  void bouncesGoOnlyToAuthenticatedSenders(String name, AuthSummary auth, String mailFrom, Action expected) {
    Policy p = Configs.policy(Configs.baseWith("""
        "rules": [{"name": "refuse", "when": {}, "action": "bounce"}]
        """));
    Verdict v = p.verdict(input(auth, SesVerdicts.NONE, mailFrom, true));
    assertThat(v.action()).as(v.reason()).isEqualTo(expected);
  }

  @Test
  void decideNeverThrowsForAnyCombinationOfResults() {
    int combinations = 0;
    for (AuthStatus spf : AuthStatus.values()) {
      for (AuthStatus dmarc : AuthStatus.values()) {
        for (Disposition d : Disposition.values()) {
          for (SesVerdict spam : SesVerdict.values()) {
            for (boolean retry : new boolean[] {true, false}) {
              PolicyResult r = POLICY.decide(input(AuthSummary.of(spf, NONE, dmarc, NONE, d),
                  SesVerdicts.scans(spam, SesVerdict.PASS), "a@b.example", retry));
              assertThat(r.decisions()).isNotEmpty();
              if (spf == TEMPERROR || dmarc == TEMPERROR) {
                assertThat(r.verdict().action().isPermanent()).as("permanent on temperror: " + r.verdict()).isFalse();
              }
              combinations++;
            }
          }
        }
      }
    }
    assertThat(combinations).isEqualTo(8 * 8 * 3 * 6 * 2);
  }

  static AuthSummary clean() {
    return AuthSummary.of(PASS, PASS, PASS, NONE, Disposition.NONE);
  }

  static PolicyInput input(AuthSummary auth, SesVerdicts ses, String mailFrom, boolean retryPossible) {
    return new PolicyInput(auth, ses, mailFrom, List.of("bob@mailgate.example"), 2, false, retryPossible);
  }
}
