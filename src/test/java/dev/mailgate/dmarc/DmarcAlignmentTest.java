package dev.mailgate.dmarc;

import static dev.mailgate.dmarc.Fixture.c;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dmarc.Fixture.Case;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Identifier Alignment: RFC 9989 sections 3.2.10, 4.4, 4.10.2 and the examples of Appendix B.1, B.3.1 and
 * B.4; RFC 7489 section 3.1 with the Public Suffix List.
 */
class DmarcAlignmentTest {
  private static final String EXAMPLE_COM = "TXT _dmarc.example.com v=DMARC1; p=reject";

  static Stream<Case> rfc9989() {
    return Stream.of(
        c("RFC 9989 3.2.10.1 Table 1: foo.example.com and news.example.com are in relaxed alignment")
            .zone(EXAMPLE_COM).author("news.example.com").dkimPass("foo.example.com")
            .expect("status=pass dkim=y dkimDomain=foo.example.com org=example.com disposition=none"),
        c("RFC 9989 3.2.10.2 Table 1: news.example.com and news.example.com are in strict alignment")
            .zone("TXT _dmarc.example.com v=DMARC1; p=reject; adkim=s").author("news.example.com").dkimPass("news.example.com")
            .expect("status=pass dkim=y")
            .queries("TXT _dmarc.news.example.com", "TXT _dmarc.example.com", "TXT _dmarc.com"),
        c("RFC 9989 3.2.10 Table 1: foo.example.net and news.example.com are not aligned")
            .zone(EXAMPLE_COM).author("news.example.com").dkimPass("foo.example.net")
            .expect("status=fail dkim=n disposition=reject"),
        c("RFC 9989 B.1.1 Example 1: SPF in strict alignment")
            .zone("TXT _dmarc.example.com v=DMARC1; p=reject; aspf=s").author("example.com").spfPass("example.com")
            .expect("status=pass spf=y").queries("TXT _dmarc.example.com"),
        c("RFC 9989 B.1.1 Example 2: SPF child.example.com in relaxed alignment with example.com")
            .zone(EXAMPLE_COM).author("example.com").spfPass("child.example.com")
            .expect("status=pass spf=y"),
        c("RFC 9989 B.1.1 Example 2 under aspf=s: not aligned")
            .zone("TXT _dmarc.example.com v=DMARC1; p=reject; aspf=s").author("example.com").spfPass("child.example.com")
            .expect("status=fail spf=n disposition=reject"),
        c("RFC 9989 B.1.1 Example 3: SPF example.net and child.example.com are not aligned")
            .zone(EXAMPLE_COM).author("child.example.com").spfPass("example.net")
            .expect("status=fail spf=n"),
        c("RFC 9989 B.1.2 Example 1: DKIM d=example.com in strict alignment")
            .zone("TXT _dmarc.example.com v=DMARC1; p=reject; adkim=s").author("example.com").dkimPass("example.com")
            .expect("status=pass dkim=y").queries("TXT _dmarc.example.com"),
        c("RFC 9989 B.1.2 Example 2: DKIM d=example.com in relaxed alignment with child.example.com")
            .zone(EXAMPLE_COM).author("child.example.com").dkimPass("example.com")
            .expect("status=pass dkim=y dkimDomain=example.com"),
        c("RFC 9989 B.1.2 Example 2 under adkim=s: not aligned")
            .zone("TXT _dmarc.example.com v=DMARC1; p=reject; adkim=s").author("child.example.com").dkimPass("example.com")
            .expect("status=fail dkim=n"),
        c("RFC 9989 B.1.2 Example 3: DKIM d=example.net and child.example.com are not aligned")
            .zone(EXAMPLE_COM).author("child.example.com").dkimPass("example.net")
            .expect("status=fail dkim=n"),
        c("RFC 9989 4.4.1: one aligned signature among several is enough")
            .zone(EXAMPLE_COM).author("example.com").dkimPass("esp.example.net", "mail.example.com")
            .expect("status=pass dkim=y dkimDomain=mail.example.com"),
        c("RFC 9989 B.1.2: a signature that did not validate never aligns")
            .zone(EXAMPLE_COM).author("example.com").dkim("example.com", AuthStatus.FAIL)
            .expect("status=fail dkim=n"),
        c("RFC 9989 B.1.1: an SPF result other than pass never aligns")
            .zone(EXAMPLE_COM).author("example.com").spf(Fixture.spf(AuthStatus.SOFTFAIL, "example.com"))
            .expect("status=fail spf=n"),
        c("RFC 9989 5.3.5: no Authenticated Identifier at all: fail")
            .zone(EXAMPLE_COM).author("example.com")
            .expect("status=fail spf=n dkim=n disposition=reject"),
        c("RFC 9989 3.2.4: null reverse-path: the HELO identity's domain is the SPF Domain that aligns")
            .zone(EXAMPLE_COM).author("example.com").spf(Fixture.heloSpf(AuthStatus.PASS, "mx1.example.com"))
            .expect("status=pass spf=y"),
        c("RFC 9989 3.2.4: null reverse-path from an unrelated HELO name does not align")
            .zone(EXAMPLE_COM).author("example.com").spf(Fixture.heloSpf(AuthStatus.PASS, "mx.esp.example.net"))
            .expect("status=fail spf=n"),
        c("RFC 9989 4.10.2: identical domains with a record there: no alignment walk at all")
            .zone(EXAMPLE_COM).author("example.com").spfPass("example.com").dkimPass("example.com")
            .expect("status=pass spf=y dkim=y org=-")
            .queries("TXT _dmarc.example.com"),
        c("RFC 9989 4.10.2: an identifier outside the Author Domain's Organizational Domain needs no walk")
            .zone(EXAMPLE_COM).author("example.com").dkimPass("esp.example.net")
            .expect("status=fail dkim=n")
            .queries("TXT _dmarc.example.com", "TXT _dmarc.com"),
        c("RFC 9989 4.10.2 example 1: records at mail.example.com and example.com: Organizational Domain example.com")
            .zone("TXT _dmarc.mail.example.com v=DMARC1; p=none", EXAMPLE_COM)
            .author("a.mail.example.com").dkimPass("example.com")
            .expect("status=pass org=example.com dkim=y"),
        c("RFC 9989 4.10.2 example 2: psd=n at mail.example.com makes it the Organizational Domain")
            .zone("TXT _dmarc.mail.example.com v=DMARC1; p=reject; psd=n", "TXT _dmarc.example.com v=DMARC1; p=none")
            .author("a.mail.example.com").dkimPass("example.com").spfPass("b.mail.example.com")
            .expect("status=pass org=mail.example.com policyDomain=mail.example.com spf=y dkim=n"),
        c("RFC 9989 4.10.2 example 2: ... so the parent's signature alone fails under mail.example.com's policy")
            .zone("TXT _dmarc.mail.example.com v=DMARC1; p=reject; psd=n", "TXT _dmarc.example.com v=DMARC1; p=none")
            .author("a.mail.example.com").dkimPass("example.com")
            .expect("status=fail org=mail.example.com policyDomain=mail.example.com tag=p policy=reject disposition=reject"),
        c("RFC 9989 4.10.2 example 3: only _dmarc.com with psd=y: Organizational Domain example.com")
            .zone("TXT _dmarc.com v=DMARC1; p=reject; psd=y")
            .author("a.mail.example.com").dkimPass("example.com")
            .expect("status=pass org=example.com policyDomain=com dkim=y"),
        c("RFC 9989 4.10.2: a record at com without psd=y makes com everyone's Organizational Domain")
            .zone("TXT _dmarc.com v=DMARC1; p=none")
            .author("example.com").dkimPass("other.com")
            .expect("status=pass org=com dkim=y"),
        c("RFC 9989 B.4.1: simple Organizational and Policy example")
            .zone(EXAMPLE_COM, "TXT _dmarc.signing.example.com v=DMARC1; p=none")
            .author("example.com").spfPass("example.com").dkimPass("signing.example.com")
            .expect("status=pass policyDomain=example.com org=example.com spf=y dkim=y dkimDomain=signing.example.com")
            .queries("TXT _dmarc.example.com", "TXT _dmarc.com", "TXT _dmarc.signing.example.com"),
        c("RFC 9989 B.4.2: deep tree walk example")
            .zone(EXAMPLE_COM, "TXT _dmarc.signing.example.com v=DMARC1; p=none")
            .author("a.b.c.d.e.f.g.h.i.j.k.example.com").spfPass("example.com").dkimPass("signing.example.com")
            .expect("status=pass policyDomain=example.com org=example.com spf=y dkim=y")
            .queries("TXT _dmarc.a.b.c.d.e.f.g.h.i.j.k.example.com", "TXT _dmarc.g.h.i.j.k.example.com",
                "TXT _dmarc.h.i.j.k.example.com", "TXT _dmarc.i.j.k.example.com", "TXT _dmarc.j.k.example.com",
                "TXT _dmarc.k.example.com", "TXT _dmarc.example.com", "TXT _dmarc.com", "TXT _dmarc.signing.example.com"),
        c("RFC 9989 B.4.3: example with a PSD DMARC Policy Record")
            .zone("TXT _dmarc.bank.example v=DMARC1; p=reject; psd=y", "TXT _dmarc.giant.bank.example v=DMARC1; p=quarantine")
            .author("giant.bank.example").spfPass("mail.giant.bank.example").dkimPass("mail.mega.bank.example")
            .expect("status=pass policyDomain=giant.bank.example org=giant.bank.example spf=y dkim=n")
            .queries("TXT _dmarc.giant.bank.example", "TXT _dmarc.bank.example", "TXT _dmarc.mail.giant.bank.example"),
        c("RFC 9989 B.4.3: the DKIM identifier's own Organizational Domain is mega.bank.example: not aligned alone")
            .zone("TXT _dmarc.bank.example v=DMARC1; p=reject; psd=y", "TXT _dmarc.giant.bank.example v=DMARC1; p=quarantine")
            .author("giant.bank.example").dkimPass("mail.mega.bank.example")
            .expect("status=fail dkim=n policy=quarantine disposition=quarantine"),
        c("RFC 9989 B.3.1: SMTP session example, both identifiers aligned")
            .zone("TXT _dmarc.example.com v=DMARC1; p=reject; aspf=r; rua=mailto:dmarc-feedback@example.com")
            .author("example.com").spfPass("mail.example.com").dkimPass("example.com")
            .expect("status=pass spf=y dkim=y disposition=none effective=reject"),
        c("RFC 9989 4.10.2: relaxed alignment with a psd=n split below the identifier")
            .zone(EXAMPLE_COM, "TXT _dmarc.shop.example.com v=DMARC1; p=none; psd=n")
            .author("example.com").dkimPass("mail.shop.example.com")
            .expect("status=fail dkim=n")
            .queries("TXT _dmarc.example.com", "TXT _dmarc.com", "TXT _dmarc.mail.shop.example.com", "TXT _dmarc.shop.example.com"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc9989")
  void rfc9989(Case c) {
    c.check();
  }

  static Stream<Case> rfc7489() {
    return Stream.of(
        c("RFC 7489 3.1.1: d=example.co.uk aligns relaxed with news.example.co.uk (PSL)")
            .rfc7489().zone("TXT _dmarc.example.co.uk v=DMARC1; p=reject")
            .author("news.example.co.uk").dkimPass("example.co.uk")
            .expect("status=pass dkim=y org=example.co.uk"),
        c("RFC 7489 3.1.1: d=co.uk is a public suffix and never aligns with example.co.uk")
            .rfc7489().zone("TXT _dmarc.example.co.uk v=DMARC1; p=reject")
            .author("example.co.uk").dkimPass("co.uk")
            .expect("status=fail dkim=n"),
        c("RFC 7489 3.1.2: cbg.bounces.example.com aligns relaxed with example.com")
            .rfc7489().zone(EXAMPLE_COM).author("example.com").spfPass("cbg.bounces.example.com")
            .expect("status=pass spf=y").queries("TXT _dmarc.example.com"),
        c("RFC 7489 3.1.2: ... but not in strict mode")
            .rfc7489().zone("TXT _dmarc.example.com v=DMARC1; p=reject; aspf=s").author("example.com")
            .spfPass("cbg.bounces.example.com")
            .expect("status=fail spf=n"),
        c("RFC 7489 3.2: psd=n is unknown in RFC 7489: the PSL decides, shop.example.com aligns with example.com")
            .rfc7489().zone(EXAMPLE_COM, "TXT _dmarc.shop.example.com v=DMARC1; p=none; psd=n")
            .author("example.com").dkimPass("mail.shop.example.com")
            .expect("status=pass dkim=y").queries("TXT _dmarc.example.com"),
        c("RFC 7489 3.2: private-section suffix: a.blogspot.com and b.blogspot.com are different organizations")
            .rfc7489().zone("TXT _dmarc.a.blogspot.com v=DMARC1; p=reject")
            .author("a.blogspot.com").dkimPass("b.blogspot.com")
            .expect("status=fail dkim=n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc7489")
  void rfc7489(Case c) {
    c.check();
  }

  @Test
  void reasonSaysWhichIdentifiersAligned() {
    DmarcResult r = c("reason").zone(EXAMPLE_COM).author("example.com").spfPass("esp.example.net")
        .dkimPass("example.com").check();
    assertThat(r.reason()).contains("SPF esp.example.net not aligned").contains("DKIM d=example.com aligned")
        .contains("p=reject at example.com");
  }

  @Test
  void hostileNumberOfPassingSignaturesIsBounded() {
    Case c = c("many signatures").zone("TXT _dmarc.example.com v=DMARC1; p=reject; adkim=r").author("example.com");
    for (int i = 0; i < 200; i++) {
      c.dkimPass("s" + i + ".x.example.com");
    }
    var dns = Fixture.resolver(c.zone);
    DmarcResult r = new DmarcEvaluator(dns).evaluate(c.author, null, c.dkim, null);
    // Each subdomain of example.com would align; the bound stops after the first aligned one anyway,
    // and no more than MAX_DKIM_DOMAINS walks are made when none aligns.
    assertThat(r.status()).isEqualTo(AuthStatus.PASS);
    assertThat(dns.queries()).hasSizeLessThanOrEqualTo(5);

    Case split = c("many unaligned").zone("TXT _dmarc.example.com v=DMARC1; p=reject", "TXT _dmarc.x.example.com v=DMARC1; p=none; psd=n")
        .author("example.com");
    for (int i = 0; i < 200; i++) {
      split.dkimPass("s" + i + ".x.example.com");
    }
    var dns2 = Fixture.resolver(split.zone);
    DmarcResult r2 = new DmarcEvaluator(dns2).evaluate(split.author, null, split.dkim, null);
    assertThat(r2.status()).isEqualTo(AuthStatus.FAIL);
    // _dmarc.example.com and _dmarc.com, one query per checked signature, _dmarc.x.example.com once.
    assertThat(dns2.queries()).hasSize(2 + DmarcEvaluator.MAX_DKIM_DOMAINS + 1);
  }
}
