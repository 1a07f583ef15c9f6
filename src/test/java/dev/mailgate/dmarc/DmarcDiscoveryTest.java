package dev.mailgate.dmarc;

import static dev.mailgate.dmarc.Fixture.c;

import dev.mailgate.dmarc.Fixture.Case;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Policy discovery: RFC 9989 section 4.10.1 and the DNS Tree Walk limits of section 4.10 (with the
 * examples of sections 4.10, 5.1.8 and Appendix B.4), and RFC 7489 section 6.6.3 in RFC 7489 mode.
 */
class DmarcDiscoveryTest {

  static Stream<Case> rfc9989() {
    return Stream.of(
        c("RFC 9989 4.10.1: the Author Domain's own record applies, with its p")
            .zone("TXT _dmarc.example.com v=DMARC1; p=reject; sp=none")
            .author("example.com").spfPass("other.net")
            .expect("status=fail policyDomain=example.com tag=p policy=reject disposition=reject")
            .queries("TXT _dmarc.example.com", "TXT _dmarc.com"),
        c("RFC 9989 4.10.1: no record at the Author Domain: the Organizational Domain's sp applies")
            .zone("TXT _dmarc.example.com v=DMARC1; p=reject; sp=quarantine")
            .author("a.b.example.com").spfPass("other.net")
            .expect("status=fail policyDomain=example.com org=example.com tag=sp policy=quarantine disposition=quarantine")
            .queries("TXT _dmarc.a.b.example.com", "TXT _dmarc.b.example.com", "TXT _dmarc.example.com", "TXT _dmarc.com"),
        c("RFC 9989 4.10.1: a subdomain without sp in the record gets p")
            .zone("TXT _dmarc.example.com v=DMARC1; p=reject")
            .author("mail.example.com")
            .expect("status=fail policyDomain=example.com tag=p policy=reject disposition=reject"),
        c("RFC 9989 4.10.1: no record anywhere in the walk: DMARC does not apply")
            .zone("TXT _dmarc.example.net v=DMARC1; p=reject")
            .author("a.example.com").spfPass("a.example.com")
            .expect("status=none policyDomain=- policy=- disposition=none")
            .queries("TXT _dmarc.a.example.com", "TXT _dmarc.example.com", "TXT _dmarc.com"),
        c("RFC 9989 4.10 step 2: TXT records that are not DMARC records are discarded")
            .zone("TXT _dmarc.example.com v=spf1 -all", "TXT _dmarc.example.com v=DMARC1; p=reject",
                "TXT _dmarc.example.com some verification token")
            .author("example.com")
            .expect("status=fail policyDomain=example.com policy=reject"),
        c("RFC 9989 4.10 step 2: several DMARC records at the Author Domain are discarded and the walk goes on")
            .zone("TXT _dmarc.a.example.com v=DMARC1; p=none", "TXT _dmarc.a.example.com v=DMARC1; p=none; rua=mailto:x@example.com",
                "TXT _dmarc.example.com v=DMARC1; p=reject")
            .author("a.example.com")
            .expect("status=fail policyDomain=example.com tag=p policy=reject disposition=reject"),
        c("RFC 9989 4.10 step 2: several DMARC records at the only name that has any: none")
            .zone("TXT _dmarc.example.com v=DMARC1; p=reject", "TXT _dmarc.example.com v=DMARC1; p=quarantine")
            .author("example.com")
            .expect("status=none policyDomain=-"),
        c("RFC 9989 4.10.1: invalid p and no rua: no DMARC processing (permerror)")
            .zone("TXT _dmarc.example.com v=DMARC1; p=rejct")
            .author("example.com")
            .expect("status=permerror policyDomain=example.com policy=- disposition=none"),
        c("RFC 9989 4.10.1: an unusable record at the Author Domain still stops discovery there")
            .zone("TXT _dmarc.a.example.com v=DMARC1; p=rejct", "TXT _dmarc.example.com v=DMARC1; p=reject")
            .author("a.example.com")
            .expect("status=permerror policyDomain=a.example.com disposition=none"),
        c("RFC 9989 4.10.1: invalid p with a valid rua URI: act as p=none")
            .zone("TXT _dmarc.example.com v=DMARC1; p=rejct; rua=mailto:d@example.com")
            .author("example.com")
            .expect("status=fail policyDomain=example.com tag=p policy=none effective=none disposition=none"),
        c("RFC 9989 4.10.1: invalid sp with a valid rua URI: the whole record acts as p=none")
            .zone("TXT _dmarc.example.com v=DMARC1; p=reject; sp=bogus; rua=mailto:d@example.com")
            .author("a.example.com")
            .expect("status=fail policyDomain=example.com tag=p policy=none disposition=none"),
        c("RFC 9989 4.7 p: a record without p acts as p=none")
            .zone("TXT _dmarc.example.com v=DMARC1; sp=reject")
            .author("example.com")
            .expect("status=fail tag=p policy=none disposition=none"),
        c("RFC 9989 4.10.1 / B.4.2: the highest record is the policy, not an intermediate one")
            .zone("TXT _dmarc.mail.example.com v=DMARC1; p=none", "TXT _dmarc.example.com v=DMARC1; p=reject")
            .author("a.mail.example.com")
            .expect("status=fail policyDomain=example.com org=example.com tag=p policy=reject")
            .queries("TXT _dmarc.a.mail.example.com", "TXT _dmarc.mail.example.com", "TXT _dmarc.example.com", "TXT _dmarc.com"),
        c("RFC 9989 4.10.1: the PSD's record applies when the Organizational Domain has none")
            .zone("TXT _dmarc.bank.example v=DMARC1; p=quarantine; sp=reject; psd=y")
            .author("giant.bank.example")
            .expect("status=fail policyDomain=bank.example org=giant.bank.example tag=sp policy=reject disposition=reject")
            .queries("TXT _dmarc.giant.bank.example", "TXT _dmarc.bank.example"),
        c("RFC 9989 4.10.1 Note: a PSD policy is not used when the Organizational Domain has a record")
            .zone("TXT _dmarc.giant.bank.example v=DMARC1; p=none", "TXT _dmarc.bank.example v=DMARC1; p=reject; psd=y")
            .author("mail.giant.bank.example")
            .expect("status=fail policyDomain=giant.bank.example org=giant.bank.example tag=p policy=none disposition=none"),
        c("RFC 9989 4.10 step 2: psd=n at the Author Domain ends discovery with its own record")
            .zone("TXT _dmarc.dept.example.com v=DMARC1; p=quarantine; psd=n", "TXT _dmarc.example.com v=DMARC1; p=reject")
            .author("dept.example.com").spfPass("example.com")
            .expect("status=fail policyDomain=dept.example.com org=dept.example.com policy=quarantine spf=n")
            .queries("TXT _dmarc.dept.example.com"),
        c("RFC 9989 4.10: the illustration's 13-label Author Domain takes 8 queries, skipping to 7 labels")
            .author("a.b.c.d.e.f.g.h.i.j.mail.example.com")
            .expect("status=none")
            .queries("TXT _dmarc.a.b.c.d.e.f.g.h.i.j.mail.example.com", "TXT _dmarc.g.h.i.j.mail.example.com",
                "TXT _dmarc.h.i.j.mail.example.com", "TXT _dmarc.i.j.mail.example.com", "TXT _dmarc.j.mail.example.com",
                "TXT _dmarc.mail.example.com", "TXT _dmarc.example.com", "TXT _dmarc.com"),
        c("RFC 9989 4.10 step 4: eight labels: the shortening and the one-label step agree, 8 queries")
            .author("a.b.c.d.e.f.example.com")
            .expect("status=none")
            .queries("TXT _dmarc.a.b.c.d.e.f.example.com", "TXT _dmarc.b.c.d.e.f.example.com", "TXT _dmarc.c.d.e.f.example.com",
                "TXT _dmarc.d.e.f.example.com", "TXT _dmarc.e.f.example.com", "TXT _dmarc.f.example.com",
                "TXT _dmarc.example.com", "TXT _dmarc.com"),
        c("RFC 9989 4.10: a 40-label Author Domain still takes no more than 8 queries")
            .author("l.".repeat(37) + "a.example.com")
            .zone("TXT _dmarc.example.com v=DMARC1; p=reject")
            .expect("status=fail policyDomain=example.com policy=reject")
            .queries("TXT _dmarc." + "l.".repeat(37) + "a.example.com", "TXT _dmarc." + "l.".repeat(4) + "a.example.com",
                "TXT _dmarc." + "l.".repeat(3) + "a.example.com", "TXT _dmarc." + "l.".repeat(2) + "a.example.com",
                "TXT _dmarc.l.a.example.com", "TXT _dmarc.a.example.com", "TXT _dmarc.example.com", "TXT _dmarc.com"),
        c("RFC 9989 5.1.8: a psd=n record at a skipped name is never discovered")
            .zone("TXT _dmarc.example.com v=DMARC1; p=none", "TXT _dmarc.b.c.d.e.f.g.example.com v=DMARC1; p=reject; psd=n")
            .author("mail.a.b.c.d.e.f.g.example.com")
            .expect("status=fail policyDomain=example.com policy=none disposition=none")
            .queries("TXT _dmarc.mail.a.b.c.d.e.f.g.example.com", "TXT _dmarc.c.d.e.f.g.example.com",
                "TXT _dmarc.d.e.f.g.example.com", "TXT _dmarc.e.f.g.example.com", "TXT _dmarc.f.g.example.com",
                "TXT _dmarc.g.example.com", "TXT _dmarc.example.com", "TXT _dmarc.com"),
        c("RFC 9989 5.1.8: ... unless published at the Author Domain itself, which is always queried first")
            .zone("TXT _dmarc.example.com v=DMARC1; p=none", "TXT _dmarc.mail.a.b.c.d.e.f.g.example.com v=DMARC1; p=reject")
            .author("mail.a.b.c.d.e.f.g.example.com")
            .expect("status=fail policyDomain=mail.a.b.c.d.e.f.g.example.com policy=reject disposition=reject"),
        c("RFC 9989 5.3.1: a U-label Author Domain is looked up as A-labels")
            .zone("TXT _dmarc.xn--bcher-kva.example v=DMARC1; p=reject")
            .author("Bücher.example")
            .expect("status=fail domain=xn--bcher-kva.example policyDomain=xn--bcher-kva.example policy=reject")
            .queries("TXT _dmarc.xn--bcher-kva.example"),
        c("RFC 4343: the Author Domain is compared case-insensitively, a trailing dot dropped")
            .zone("TXT _dmarc.example.com v=DMARC1; p=quarantine")
            .author("Example.COM.").spfPass("EXAMPLE.com")
            .expect("status=pass domain=example.com spf=y")
            .queries("TXT _dmarc.example.com"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc9989")
  void rfc9989(Case c) {
    c.check();
  }

  static Stream<Case> rfc7489() {
    return Stream.of(
        c("RFC 7489 6.6.3 step 3: the Organizational Domain from the Public Suffix List (co.uk)")
            .rfc7489()
            .zone("TXT _dmarc.example.co.uk v=DMARC1; p=reject; sp=quarantine")
            .author("a.b.example.co.uk")
            .expect("status=fail policyDomain=example.co.uk org=example.co.uk tag=sp policy=quarantine disposition=quarantine")
            .queries("TXT _dmarc.a.b.example.co.uk", "TXT _dmarc.example.co.uk"),
        c("RFC 7489 6.6.3 step 1: the Author Domain's record applies")
            .rfc7489()
            .zone("TXT _dmarc.example.com v=DMARC1; p=reject", "TXT _dmarc.a.example.com v=DMARC1; p=none")
            .author("a.example.com")
            .expect("status=fail policyDomain=a.example.com tag=p policy=none")
            .queries("TXT _dmarc.a.example.com"),
        c("RFC 7489 6.6.3: intermediate names are never queried")
            .rfc7489()
            .zone("TXT _dmarc.mail.example.com v=DMARC1; p=none", "TXT _dmarc.example.com v=DMARC1; p=reject")
            .author("a.mail.example.com")
            .expect("status=fail policyDomain=example.com policy=reject")
            .queries("TXT _dmarc.a.mail.example.com", "TXT _dmarc.example.com"),
        c("RFC 7489 6.6.3 step 5: several records at the Author Domain: no DMARC processing, no fallback")
            .rfc7489()
            .zone("TXT _dmarc.a.example.com v=DMARC1; p=none", "TXT _dmarc.a.example.com v=DMARC1; p=reject",
                "TXT _dmarc.example.com v=DMARC1; p=reject")
            .author("a.example.com")
            .expect("status=none policyDomain=-")
            .queries("TXT _dmarc.a.example.com"),
        c("RFC 7489 6.6.3 step 5: several records at the Organizational Domain: none")
            .rfc7489()
            .zone("TXT _dmarc.example.com v=DMARC1; p=none", "TXT _dmarc.example.com v=DMARC1; p=reject")
            .author("a.example.com")
            .expect("status=none"),
        c("RFC 7489 6.6.3: no record at either name: none")
            .rfc7489()
            .author("a.example.com")
            .expect("status=none")
            .queries("TXT _dmarc.a.example.com", "TXT _dmarc.example.com"),
        c("RFC 7489 6.6.3: an Author Domain that is its own Organizational Domain is queried once")
            .rfc7489()
            .author("example.com")
            .expect("status=none")
            .queries("TXT _dmarc.example.com"),
        c("RFC 7489 6.6.3 step 6: no p and no rua: no DMARC processing (permerror)")
            .rfc7489()
            .zone("TXT _dmarc.example.com v=DMARC1; adkim=s")
            .author("example.com")
            .expect("status=permerror disposition=none"),
        c("RFC 7489: psd=y is an unknown tag: bank.example is the PSL's Organizational Domain and its p applies")
            .rfc7489()
            .zone("TXT _dmarc.bank.example v=DMARC1; p=reject; sp=none; psd=y")
            .author("giant.bank.example")
            .expect("status=fail policyDomain=bank.example org=bank.example tag=sp policy=none")
            .queries("TXT _dmarc.giant.bank.example", "TXT _dmarc.bank.example"),
        c("RFC 7489 3.2: an Author Domain under an unlisted TLD: the implicit * rule")
            .rfc7489()
            .zone("TXT _dmarc.example.test v=DMARC1; p=quarantine")
            .author("mail.example.test")
            .expect("status=fail policyDomain=example.test org=example.test policy=quarantine")
            .queries("TXT _dmarc.mail.example.test", "TXT _dmarc.example.test"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc7489")
  void rfc7489(Case c) {
    c.check();
  }
}
