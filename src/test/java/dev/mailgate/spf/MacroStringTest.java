package dev.mailgate.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.dns.InetAddresses;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Macro expansion, RFC 7208 section 7. */
class MacroStringTest {
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

  /** The section 7.4 setting: sender, the two client addresses, and mx.example.org as their PTR name. */
  private static final InMemoryResolver DNS = InMemoryResolver.builder()
      .ptr(InetAddresses.parse("192.0.2.3"), "mx.example.org")
      .ptr(InetAddresses.parse("2001:db8::cb01"), "mx.example.org")
      .address("mx.example.org", "192.0.2.3")
      .address("mx.example.org", "2001:db8::cb01")
      .build();

  private static Evaluation evaluation(String ip, String local, String senderDomain, String helo) {
    return new Evaluation(DNS, new RecordCache(0), CLOCK, "mx.receiver.example", ClientIp.of(InetAddresses.parse(ip)),
        local, senderDomain, helo);
  }

  private static String expand(String macro, String ip) throws SpfSyntaxException {
    return MacroString.parse(macro, MacroString.Kind.DOMAIN_SPEC)
        .expand(evaluation(ip, "strong-bad", "email.example.com", "mail.example.net"), "email.example.com");
  }

  @ParameterizedTest(name = "RFC 7208 7.4: {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "%{s}|strong-bad@email.example.com",
      "%{o}|email.example.com",
      "%{d}|email.example.com",
      "%{d4}|email.example.com",
      "%{d3}|email.example.com",
      "%{d2}|example.com",
      "%{d1}|com",
      "%{dr}|com.example.email",
      "%{d2r}|example.email",
      "%{l}|strong-bad",
      "%{l-}|strong.bad",
      "%{lr}|strong-bad",
      "%{lr-}|bad.strong",
      "%{l1r-}|strong",
      "%{ir}.%{v}._spf.%{d2}|3.2.0.192.in-addr._spf.example.com",
      "%{lr-}.lp._spf.%{d2}|bad.strong.lp._spf.example.com",
      "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}|bad.strong.lp.3.2.0.192.in-addr._spf.example.com",
      "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}|3.2.0.192.in-addr.strong.lp._spf.example.com",
      "%{d2}.trusted-domains.example.net|example.com.trusted-domains.example.net",
  })
  void rfc7208Section74Ipv4(String macro, String expansion) throws Exception {
    assertThat(expand(macro, "192.0.2.3")).isEqualTo(expansion);
  }

  @Test
  void rfc7208Section74Ipv6() throws Exception {
    assertThat(expand("%{ir}.%{v}._spf.%{d2}", "2001:db8::cb01"))
        .isEqualTo("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com");
  }

  @ParameterizedTest(name = "RFC 7208 7.3: {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      // i for IPv6 is the dot-format nibbles, not reversed
      "%{i}|2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1",
      "%{v}|ip6",
      "%{d127}|email.example.com",
      "%{d1000}|email.example.com",
      "%{d2r.}|example.email",
      "%{h}|mail.example.net",
      "%{H}|mail.example.net",
      "%{p}|mx.example.org",
      "%{P2}|example.org",
  })
  void otherLetters(String macro, String expansion) throws Exception {
    assertThat(expand(macro, "2001:db8::cb01")).isEqualTo(expansion);
  }

  @ParameterizedTest(name = "RFC 7208 7.1: escape {0} -> [{1}]")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "%%|%",
      "%_|\" \"",
      "%-|%20",
      "a%%b%_c%-d|\"a%b c%20d\"",
  })
  void escapes(String macro, String expansion) throws Exception {
    assertThat(expand(macro, "192.0.2.3")).isEqualTo(expansion);
  }

  @Test
  void upperCaseLettersAreUrlEscapedAfterTransformation() throws Exception {
    // RFC 7208 7.3: uppercase macros expand as lowercase ones and are then URL escaped (RFC 3986 unreserved kept).
    Evaluation e = evaluation("192.0.2.3", "~jack&jill=up-a_b3.c", "e8.example.com", "h");
    assertThat(MacroString.parse("%{L}", MacroString.Kind.EXPLANATION).expand(e, "x"))
        .isEqualTo("~jack%26jill%3Dup-a_b3.c");
    assertThat(MacroString.parse("%{Lr=}", MacroString.Kind.EXPLANATION).expand(e, "x"))
        .isEqualTo("up-a_b3.c.~jack&jill".replace("&", "%26"));
    Evaluation unicode = evaluation("192.0.2.3", "j\u00fcrgen/x y", "example.com", "h");
    assertThat(MacroString.parse("%{L}", MacroString.Kind.EXPLANATION).expand(unicode, "x"))
        .isEqualTo("j%C3%BCrgen%2Fx%20y");
    assertThat(MacroString.parse("%{l}", MacroString.Kind.EXPLANATION).expand(unicode, "x"))
        .isEqualTo("j\u00fcrgen/x y");
  }

  @Test
  void explanationOnlyLetters() throws Exception {
    // RFC 7208 7.2: c, r and t only in exp text.
    MacroString exp = MacroString.parse("%{c} rejected by %{r} at %{t}; %{i}", MacroString.Kind.EXPLANATION);
    assertThat(exp.expand(evaluation("2001:db8::cb01", "a", "b.example", "h"), "b.example"))
        .isEqualTo("2001:db8::cb01 rejected by mx.receiver.example at 1700000000; "
            + "2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1");
    assertThat(exp.expand(evaluation("::ffff:192.0.2.3", "a", "b.example", "h"), "b.example"))
        .isEqualTo("192.0.2.3 rejected by mx.receiver.example at 1700000000; 192.0.2.3");
    for (String letter : new String[] {"c", "r", "t", "C", "R", "T"}) {
      assertThatThrownBy(() -> MacroString.parse("%{" + letter + "}.example.com", MacroString.Kind.DOMAIN_SPEC))
          .isInstanceOf(SpfSyntaxException.class).hasMessageContaining("macro letter");
    }
  }

  @Test
  void emptyPartsAreKept() throws Exception {
    // RFC 7208 7.3: "no special treatment is given to leading, trailing, or consecutive delimiters".
    Evaluation e = evaluation("192.0.2.3", ".a..b.", "example.com", "h");
    assertThat(MacroString.parse("%{l}", MacroString.Kind.DOMAIN_SPEC).expand(e, "x")).isEqualTo(".a..b.");
    assertThat(MacroString.parse("%{lr}", MacroString.Kind.DOMAIN_SPEC).expand(e, "x")).isEqualTo(".b..a.");
    assertThat(MacroString.parse("%{l2}", MacroString.Kind.DOMAIN_SPEC).expand(e, "x")).isEqualTo("b.");
    assertThat(MacroString.parse("%{l+-.}", MacroString.Kind.DOMAIN_SPEC).expand(
        evaluation("192.0.2.3", "foo-bar+zip+quux", "e", "h"), "x")).isEqualTo("foo.bar.zip.quux");
  }

  @Test
  void pMacroIsUnknownWithoutValidatedName() throws Exception {
    MacroString p = MacroString.parse("%{p}", MacroString.Kind.DOMAIN_SPEC);
    assertThat(p.expand(evaluation("192.0.2.99", "a", "example.com", "h"), "example.com")).isEqualTo("unknown");
  }

  @Test
  void constantStringsNeedNoValues() throws Exception {
    MacroString m = MacroString.parse("plain.example.com", MacroString.Kind.DOMAIN_SPEC);
    assertThat(m.constant()).isEqualTo("plain.example.com");
    assertThat(m.expand((letter, domain) -> {
      throw new AssertionError("no letter to expand");
    }, "x")).isEqualTo("plain.example.com");
  }

  @Test
  void spacesOnlyInExplanations() throws Exception {
    assertThat(MacroString.parse("See http://%{d}/why.html?s=%{S}&i=%{I}", MacroString.Kind.EXPLANATION)
        .expand(evaluation("192.0.2.3", "strong-bad", "email.example.com", "h"), "email.example.com"))
        .isEqualTo("See http://email.example.com/why.html?s=strong-bad%40email.example.com&i=192.0.2.3");
    assertThatThrownBy(() -> MacroString.parse("a b", MacroString.Kind.DOMAIN_SPEC))
        .isInstanceOf(SpfSyntaxException.class);
    assertThatThrownBy(() -> MacroString.parse("The %{x}-files.", MacroString.Kind.EXPLANATION))
        .isInstanceOf(SpfSyntaxException.class);
  }
}
