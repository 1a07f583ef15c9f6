package dev.mailgate.dmarc;

import static dev.mailgate.dmarc.Fixture.c;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dmarc.Fixture.Case;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The policy that applies and the disposition: RFC 9989 4.7 (sp, np, t) and 4.10.1, RFC 7489 6.6.4 (pct),
 * and local overrides reported as RFC 9990 3.1.6 / RFC 7489 Appendix C PolicyOverride reasons.
 */
class DmarcPolicyTest {
  private static final String ORG = "TXT _dmarc.example.com v=DMARC1; p=none; sp=quarantine; np=reject";

  static Stream<Case> subdomainPolicies() {
    return Stream.of(
        c("RFC 9989 4.7 np: a subdomain with no A, AAAA or MX record gets np")
            .zone(ORG).author("ghost.example.com")
            .expect("status=fail tag=np policy=reject disposition=reject")
            .queries("TXT _dmarc.ghost.example.com", "TXT _dmarc.example.com", "TXT _dmarc.com",
                "A ghost.example.com", "AAAA ghost.example.com", "MX ghost.example.com"),
        c("RFC 9989 4.7 sp: a subdomain with an MX record exists and gets sp")
            .zone(ORG, "MX mail.example.com mx.example.net").author("mail.example.com")
            .expect("status=fail tag=sp policy=quarantine disposition=quarantine"),
        c("RFC 9989 4.7 sp: a subdomain with only an A record exists")
            .zone(ORG, "A www.example.com 192.0.2.10").author("www.example.com")
            .expect("status=fail tag=sp policy=quarantine")
            .queries("TXT _dmarc.www.example.com", "TXT _dmarc.example.com", "TXT _dmarc.com", "A www.example.com"),
        c("RFC 9989 4.7 sp: a subdomain with only an AAAA record exists")
            .zone(ORG, "AAAA v6.example.com 2001:db8::1").author("v6.example.com")
            .expect("status=fail tag=sp policy=quarantine"),
        c("RFC 9989 4.7 np: absent: a non-existent subdomain gets sp, and existence is not checked")
            .zone("TXT _dmarc.example.com v=DMARC1; p=none; sp=quarantine").author("ghost.example.com")
            .expect("status=fail tag=sp policy=quarantine")
            .queries("TXT _dmarc.ghost.example.com", "TXT _dmarc.example.com", "TXT _dmarc.com"),
        c("RFC 9989 4.7 np: absent, sp absent: a non-existent subdomain gets p")
            .zone("TXT _dmarc.example.com v=DMARC1; p=quarantine").author("ghost.example.com")
            .expect("status=fail tag=p policy=quarantine"),
        c("RFC 9989 4.7 np: present but sp absent: an existing subdomain gets p")
            .zone("TXT _dmarc.example.com v=DMARC1; p=quarantine; np=reject", "A www.example.com 192.0.2.1")
            .author("www.example.com")
            .expect("status=fail tag=p policy=quarantine"),
        c("RFC 9989 4.7 np: does not apply to the domain itself, even when it has no address")
            .zone(ORG).author("example.com")
            .expect("status=fail tag=p policy=none disposition=none")
            .queries("TXT _dmarc.example.com"),
        c("RFC 9989 4.7 sp: ignored for the domain that published it")
            .zone("TXT _dmarc.example.com v=DMARC1; p=none; sp=reject").author("example.com")
            .expect("status=fail tag=p policy=none"),
        c("RFC 9989 4.7 sp: a record at the subdomain itself is applied with its p, not the parent's sp")
            .zone("TXT _dmarc.example.com v=DMARC1; p=none; sp=reject", "TXT _dmarc.a.example.com v=DMARC1; p=quarantine; sp=none")
            .author("a.example.com")
            .expect("status=fail policyDomain=a.example.com tag=p policy=quarantine"),
        c("RFC 9989 4.10.1: np from a PSD record for a non-existent name under it")
            .zone("TXT _dmarc.bank.example v=DMARC1; p=none; np=reject; psd=y").author("fake.bank.example")
            .expect("status=fail policyDomain=bank.example tag=np policy=reject"),
        c("RFC 9989 4.10.1: no existence check on pass (the policy is not applied)")
            .zone(ORG).author("ghost.example.com").dkimPass("example.com")
            .expect("status=pass tag=sp policy=quarantine disposition=none")
            .queries("TXT _dmarc.ghost.example.com", "TXT _dmarc.example.com", "TXT _dmarc.com"),
        c("RFC 7489: np is unknown; a non-existent subdomain gets sp, no existence check")
            .rfc7489().zone(ORG).author("ghost.example.com")
            .expect("status=fail tag=sp policy=quarantine")
            .queries("TXT _dmarc.ghost.example.com", "TXT _dmarc.example.com"),
        c("RFC 9989 4.7 t=y: reject is applied as quarantine")
            .zone("TXT _dmarc.example.com v=DMARC1; p=reject; t=y").author("example.com")
            .expect("status=fail policy=reject effective=quarantine disposition=quarantine overrides=policy_test_mode"),
        c("RFC 9989 4.7 t=y: quarantine is applied as none")
            .zone("TXT _dmarc.example.com v=DMARC1; p=quarantine; t=y").author("example.com")
            .expect("status=fail policy=quarantine effective=none disposition=none overrides=policy_test_mode"),
        c("RFC 9989 4.7 t=y: no effect on none")
            .zone("TXT _dmarc.example.com v=DMARC1; p=none; t=y").author("example.com")
            .expect("status=fail policy=none effective=none disposition=none overrides=-"),
        c("RFC 9989 4.7 t=y: applies to sp too")
            .zone("TXT _dmarc.example.com v=DMARC1; p=none; sp=reject; t=y", "A a.example.com 192.0.2.1").author("a.example.com")
            .expect("status=fail tag=sp policy=reject effective=quarantine disposition=quarantine"),
        c("RFC 9989 4.7 t=y: applies to np too")
            .zone("TXT _dmarc.example.com v=DMARC1; p=none; np=reject; t=y").author("ghost.example.com")
            .expect("status=fail tag=np policy=reject effective=quarantine disposition=quarantine"),
        c("RFC 9989 4.7 t=y: policy.dmarc on a pass shows the lowered policy")
            .zone("TXT _dmarc.example.com v=DMARC1; p=reject; t=y").author("example.com").dkimPass("example.com")
            .expect("status=pass policy=reject effective=quarantine disposition=none overrides=-"),
        c("RFC 7489: t=y is an unknown tag, reject stays reject")
            .rfc7489().zone("TXT _dmarc.example.com v=DMARC1; p=reject; t=y").author("example.com")
            .expect("status=fail effective=reject disposition=reject overrides=-"),
        c("RFC 9989 A.6: pct is gone; pct=0 does not sample anything out")
            .zone("TXT _dmarc.example.com v=DMARC1; p=reject; pct=0").author("example.com")
            .expect("status=fail effective=reject disposition=reject overrides=-"),
        c("RFC 7489 6.6.4: pct=0 samples every failure out: reject as quarantine")
            .rfc7489().zone("TXT _dmarc.example.com v=DMARC1; p=reject; pct=0").author("example.com")
            .expect("status=fail policy=reject effective=quarantine disposition=quarantine overrides=sampled_out"),
        c("RFC 7489 6.6.4: pct=0 and quarantine: none")
            .rfc7489().zone("TXT _dmarc.example.com v=DMARC1; p=quarantine; pct=0").author("example.com")
            .expect("status=fail effective=none disposition=none overrides=sampled_out"),
        c("RFC 7489 6.6.4: pct=100 (the default) applies the policy")
            .rfc7489().zone("TXT _dmarc.example.com v=DMARC1; p=reject").author("example.com")
            .expect("status=fail effective=reject disposition=reject overrides=-"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subdomainPolicies")
  void policies(Case c) {
    c.check();
  }

  /** A generator whose nextInt(bound) returns a fixed draw. */
  private static RandomGenerator draw(int value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException("only nextInt(bound) is expected");
      }

      @Override
      public int nextInt(int bound) {
        assertThat(bound).isEqualTo(100);
        return value;
      }
    };
  }

  @ParameterizedTest(name = "RFC 7489 6.3 pct=30: draw {0} -> {1}")
  @CsvSource({"0, reject", "29, reject", "30, quarantine", "99, quarantine"})
  void rfc7489_6_3_pctSelectsWhenTheDrawIsBelowPct(int drawn, String disposition) {
    DmarcResult r = c("pct").rfc7489().options(DmarcOptions.rfc7489().withPublicSuffixList(Fixture::psl).withRandom(draw(drawn)))
        .zone("TXT _dmarc.example.com v=DMARC1; p=reject; pct=30").author("example.com").check();
    assertThat(r.disposition().word()).isEqualTo(disposition);
    assertThat(r.overrides()).hasSize(disposition.equals("reject") ? 0 : 1);
  }

  @Test
  void rfc7489_6_6_4_pctIsAStatisticalApproximation() {
    DmarcEvaluator ev = new DmarcEvaluator(Fixture.resolver(List.of("TXT _dmarc.example.com v=DMARC1; p=reject; pct=25")),
        DmarcOptions.rfc7489().withPublicSuffixList(Fixture::psl).withRandom(new Random(42)));
    int rejected = 0;
    for (int i = 0; i < 4000; i++) {
      if (ev.evaluate("example.com", null, List.of(), null).disposition() == Disposition.REJECT) {
        rejected++;
      }
    }
    assertThat(rejected).isBetween(900, 1100); // 25% of 4000, seeded: deterministic
  }

  @Test
  void rfc7489_6_6_4_noDrawOnPass() {
    RandomGenerator mustNotDraw = new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new AssertionError("no sampling on pass");
      }

      @Override
      public int nextInt(int bound) {
        throw new AssertionError("no sampling on pass");
      }
    };
    DmarcResult r = c("pct pass").options(DmarcOptions.rfc7489().withPublicSuffixList(Fixture::psl).withRandom(mustNotDraw))
        .zone("TXT _dmarc.example.com v=DMARC1; p=reject; pct=10").author("example.com").dkimPass("example.com")
        .expect("status=pass effective=reject overrides=-").check();
    assertThat(r.disposition()).isEqualTo(Disposition.NONE);
  }

  static Stream<Case> overrides() {
    DmarcOptions opts = DmarcOptions.defaults().withOverrides(List.of(
        OverrideRule.trustedArcSealer("arc.example.net"),
        OverrideRule.mailingList("lists.example.org"),
        OverrideRule.trustedForwarder("fwd.example"),
        new OverrideRule("partner.example", PolicyOverride.OTHER, java.util.Set.of(OverrideRule.Evidence.DKIM),
            Disposition.QUARANTINE, "partner relay")));
    String reject = "TXT _dmarc.example.com v=DMARC1; p=reject";
    return Stream.of(
        c("RFC 8617 7.2.1: a trusted ARC sealer with a validated chain overrides reject (local_policy)")
            .options(opts).zone(reject).author("example.com").arc(true, "first.example", "arc.example.net")
            .expect("status=fail policy=reject effective=reject disposition=none overrides=local_policy"),
        c("RFC 8617 7.2.1: the same sealer on a chain that did not validate: no override")
            .options(opts).zone(reject).author("example.com").arc(false, "arc.example.net")
            .expect("status=fail disposition=reject overrides=-"),
        c("RFC 8617 7.2.1: an untrusted sealer: no override")
            .options(opts).zone(reject).author("example.com").arc(true, "other.example")
            .expect("status=fail disposition=reject overrides=-"),
        c("RFC 9990 3.1.6 mailing_list: the list's passing DKIM signature")
            .options(opts).zone(reject).author("example.com").dkimPass("lists.example.org")
            .expect("status=fail disposition=none overrides=mailing_list"),
        c("RFC 9990 3.1.6 mailing_list: a subdomain of the configured list domain")
            .options(opts).zone(reject).author("example.com").spfPass("bounces.lists.example.org")
            .expect("status=fail disposition=none overrides=mailing_list"),
        c("RFC 9990 3.1.6 mailing_list: a failing list signature is no evidence")
            .options(opts).zone(reject).author("example.com").dkim("lists.example.org", AuthStatus.FAIL)
            .expect("status=fail disposition=reject overrides=-"),
        c("RFC 9990 3.1.6 trusted_forwarder: SPF pass for the forwarder's MAIL FROM")
            .options(opts).zone(reject).author("example.com").spfPass("fwd.example")
            .expect("status=fail disposition=none overrides=trusted_forwarder"),
        c("RFC 9990 3.1.6 other: a rule may lower to quarantine only")
            .options(opts).zone(reject).author("example.com").dkimPass("partner.example")
            .expect("status=fail disposition=quarantine overrides=other"),
        c("RFC 9990 3.1.6: a DKIM-only rule does not match an ARC sealer")
            .options(opts).zone(reject).author("example.com").arc(true, "partner.example")
            .expect("status=fail disposition=reject overrides=-"),
        c("RFC 9990 3.1.6: no override on pass")
            .options(opts).zone(reject).author("example.com").dkimPass("example.com", "lists.example.org")
            .expect("status=pass disposition=none overrides=-"),
        c("RFC 9990 3.1.6: no override when the policy asks for nothing (p=none)")
            .options(opts).zone("TXT _dmarc.example.com v=DMARC1; p=none").author("example.com").dkimPass("lists.example.org")
            .expect("status=fail disposition=none overrides=-"),
        c("RFC 9990 3.1.6: testing mode and a local override are both reported, in order")
            .options(opts).zone("TXT _dmarc.example.com v=DMARC1; p=reject; t=y").author("example.com")
            .dkimPass("lists.example.org")
            .expect("status=fail effective=quarantine disposition=none overrides=policy_test_mode,mailing_list"),
        c("RFC 9990 3.1.6: an override rule never raises the disposition")
            .options(opts).zone("TXT _dmarc.example.com v=DMARC1; p=quarantine").author("example.com")
            .dkimPass("partner.example")
            .expect("status=fail disposition=quarantine overrides=-"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overrides")
  void localOverrides(Case c) {
    c.check();
  }

  @Test
  void rfc8617_7_2_2_arcOverrideCommentListsTheSealers() {
    DmarcResult r = c("arc comment")
        .options(DmarcOptions.defaults().withOverrides(List.of(OverrideRule.trustedArcSealer("d2.example"))))
        .zone("TXT _dmarc.example.com v=DMARC1; p=reject").author("example.com").arc(true, "d1.example", "d2.example")
        .check();
    assertThat(r.override()).isEqualTo(new OverrideReason(PolicyOverride.LOCAL_POLICY, "arc=pass as[2].d=d2.example as[1].d=d1.example"));
    assertThat(r.enforced()).isFalse();
    assertThat(r.reason()).contains("local_policy").endsWith("disposition none");
  }

  @Test
  void overrideRuleRejectsABadDomain() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OverrideRule.mailingList("not a domain"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
