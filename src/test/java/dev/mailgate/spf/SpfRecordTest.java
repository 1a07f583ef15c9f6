package dev.mailgate.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The record and term parser (RFC 7208 sections 4.5, 4.6.1, 5, 6, 7.1). */
class SpfRecordTest {

  private static SpfRecord valid(String text) {
    RecordParse p = SpfRecord.parse(text);
    assertThat(p).as(text).isInstanceOf(RecordParse.Valid.class);
    return ((RecordParse.Valid) p).record();
  }

  private static String invalid(String text) {
    RecordParse p = SpfRecord.parse(text);
    assertThat(p).as(text).isInstanceOf(RecordParse.Invalid.class);
    return ((RecordParse.Invalid) p).error();
  }

  @ParameterizedTest(name = "RFC 7208 4.5: {0} -> SPF record: {1}")
  @CsvSource(delimiter = '|', value = {
      "v=spf1 -all|true",
      "v=spf1|true",
      "V=SpF1 ~all|true",
      "'v=spf1 '|true",
      "v=spf10|false",
      "v=spf1mx|false",
      "v=spf2.0/pra -all|false",
      "spf1 -all|false",
      "' v=spf1 -all'|false",
  })
  void recordSelection(String txt, boolean isSpf) {
    assertThat(SpfRecord.isSpfRecord(txt)).isEqualTo(isSpf);
  }

  @Test
  void parsesEveryMechanismInOrder() {
    SpfRecord r = valid("v=spf1 +all include:_spf.example.com a a:mail.example.com/24//64 mx//48 mx:mx.example.com/28"
        + " ptr ptr:example.org ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{ir}.bl.example.com -all");
    List<Directive> d = r.directives();
    assertThat(d).extracting(Directive::text).containsExactly("+all", "include:_spf.example.com", "a",
        "a:mail.example.com/24//64", "mx//48", "mx:mx.example.com/28", "ptr", "ptr:example.org",
        "ip4:192.0.2.0/24", "ip6:2001:db8::/32", "exists:%{ir}.bl.example.com", "-all");
    assertThat(d.get(0).qualifier()).isEqualTo(Qualifier.PASS);
    assertThat(d.get(0).mechanism()).isInstanceOf(Mechanism.All.class);
    assertThat(((Mechanism.Include) d.get(1).mechanism()).target().text()).isEqualTo("_spf.example.com");
    Mechanism.A bareA = (Mechanism.A) d.get(2).mechanism();
    assertThat(bareA.target()).isNull();
    assertThat(bareA.cidr4()).isEqualTo(32);
    assertThat(bareA.cidr6()).isEqualTo(128);
    Mechanism.A a = (Mechanism.A) d.get(3).mechanism();
    assertThat(a.target().text()).isEqualTo("mail.example.com");
    assertThat(a.cidr4()).isEqualTo(24);
    assertThat(a.cidr6()).isEqualTo(64);
    Mechanism.Mx mx6 = (Mechanism.Mx) d.get(4).mechanism();
    assertThat(mx6.target()).isNull();
    assertThat(mx6.cidr4()).isEqualTo(32);
    assertThat(mx6.cidr6()).isEqualTo(48);
    Mechanism.Mx mx = (Mechanism.Mx) d.get(5).mechanism();
    assertThat(mx.target().text()).isEqualTo("mx.example.com");
    assertThat(mx.cidr4()).isEqualTo(28);
    assertThat(((Mechanism.Ptr) d.get(6).mechanism()).target()).isNull();
    assertThat(((Mechanism.Ptr) d.get(7).mechanism()).target().text()).isEqualTo("example.org");
    Mechanism.Ip4 ip4 = (Mechanism.Ip4) d.get(8).mechanism();
    assertThat(ip4.network()).isEqualTo(0xC0000200);
    assertThat(ip4.prefix()).isEqualTo(24);
    Mechanism.Ip6 ip6 = (Mechanism.Ip6) d.get(9).mechanism();
    assertThat(ip6.hi()).isEqualTo(0x20010db800000000L);
    assertThat(ip6.lo()).isZero();
    assertThat(ip6.prefix()).isEqualTo(32);
    assertThat(((Mechanism.Exists) d.get(10).mechanism()).target().isConstant()).isFalse();
    assertThat(d.get(11).qualifier()).isEqualTo(Qualifier.FAIL);
    assertThat(r.redirect()).isNull();
    assertThat(r.explanation()).isNull();
  }

  @ParameterizedTest(name = "RFC 7208 4.6.2: qualifier of {0}")
  @CsvSource({"all,PASS", "+all,PASS", "-all,FAIL", "~all,SOFTFAIL", "?all,NEUTRAL"})
  void qualifiers(String term, Qualifier expected) {
    assertThat(valid("v=spf1 " + term).directives().get(0).qualifier()).isEqualTo(expected);
  }

  @Test
  void namesAreCaseInsensitive() {
    SpfRecord r = valid("v=spf1 IP4:192.0.2.1 Include:example.com MX A:example.org PTR Exists:x.example.com"
        + " IP6:::1 -ALL Redirect=example.net EXP=exp.example.net");
    assertThat(r.directives()).hasSize(8);
    assertThat(r.redirect().text()).isEqualTo("example.net");
    assertThat(r.explanation().text()).isEqualTo("exp.example.net");
  }

  @Test
  void modifiersAndSpacing() {
    SpfRecord r = valid("v=spf1   mx  redirect=_spf.example.com   exp=explain.%{d}  foo-bar.baz=anything:/x  ");
    assertThat(r.directives()).hasSize(1);
    assertThat(r.redirect().text()).isEqualTo("_spf.example.com");
    assertThat(r.explanation().text()).isEqualTo("explain.%{d}");
  }

  @ParameterizedTest(name = "RFC 7208 4.6.1/6: unknown modifier {0} is ignored")
  @ValueSource(strings = {"default=pass", "default=+", "moo.cow-far_out=man:dog/cat", "a=b", "v=spf1",
      "x=%{c}%{r}%{t}", "x="})
  void unknownModifiersAreIgnored(String modifier) {
    SpfRecord r = valid("v=spf1 " + modifier + " -all");
    assertThat(r.directives()).extracting(Directive::text).containsExactly("-all");
  }

  @ParameterizedTest(name = "RFC 7208 {0}: {1} -> permerror")
  @CsvSource(delimiter = '|', value = {
      "4.6.1|v=spf1 ip4:1.2.3.4 -all moo",
      "4.6.1|v=spf1 moo.cow/far_out=man:dog/cat",
      "4.6.1|v=spf1 moo.cow:far_out=man:dog/cat",
      "4.6.1|v=spf1 redirect:example.com",
      "4.6.1|v=spf1 -redirect=example.com",
      "4.6.1|v=spf1 =all",
      "4.6.1|v=spf1 1up=foo",
      "4.6.1|v=spf1 +-all",
      "4.6.1|v=spf1 !a",
      "5.1|v=spf1 -all.",
      "5.1|v=spf1 -all:foobar",
      "5.1|v=spf1 -all/8",
      "5.2|v=spf1 include",
      "5.2|v=spf1 include:",
      "5.2|v=spf1 include:example.com/24",
      "5.3|v=spf1 a:",
      "5.3|v=spf1 a/33",
      "5.3|v=spf1 a//129",
      "5.3|v=spf1 a/24/64",
      "5.3|v=spf1 a/024",
      "5.3|v=spf1 a:example.com:8080",
      "5.3|v=spf1 a:abc.123",
      "5.3|v=spf1 a:111.222.33.44",
      "5.3|v=spf1 a:museum",
      "5.3|v=spf1 a:museum.",
      "5.3|v=spf1 a:example.-com",
      "5.3|v=spf1 a:example.com-",
      "5.4|v=spf1 mx:",
      "5.4|v=spf1 mx/33",
      "5.4|v=spf1 mxx",
      "5.5|v=spf1 ptr/0",
      "5.5|v=spf1 ptr:",
      "5.6|v=spf1 ip4",
      "5.6|v=spf1 ip4:",
      "5.6|v=spf1 ip4:1.2.3",
      "5.6|v=spf1 ip4:1.2.3.4.5",
      "5.6|v=spf1 ip4:1.2.3.256",
      "5.6|v=spf1 ip4:01.2.3.4",
      "5.6|v=spf1 ip4:1.2.3.4/33",
      "5.6|v=spf1 ip4:1.2.3.4/032",
      "5.6|v=spf1 ip4:1.2.3.4/",
      "5.6|v=spf1 ip4:1.2.3.4//32",
      "5.6|v=spf1 ip4:1.2.3.4:8080",
      "5.6|v=spf1 ip4:example.com",
      "5.6|v=spf1 ip6",
      "5.6|v=spf1 ip6::CAFE::BABE",
      "5.6|v=spf1 ip6:1:2:3:4:5:6:7:8:9",
      "5.6|v=spf1 ip6:1:2:3:4:5:6:7",
      "5.6|v=spf1 ip6:12345::1",
      "5.6|v=spf1 ip6:::1/129",
      "5.6|v=spf1 ip6:::1.1.1.1//33",
      "5.6|v=spf1 ip6:2001:db8::1%eth0",
      "5.6|v=spf1 ip6:[2001:db8::1]",
      "5.7|v=spf1 exists",
      "5.7|v=spf1 exists:",
      "5.7|v=spf1 exists:mail.example.com/24",
      "6|v=spf1 redirect=a.example.com redirect=b.example.com",
      "6|v=spf1 exp=a.example.com exp=b.example.com",
      "6.1|v=spf1 redirect=",
      "6.1|v=spf1 redirect=-all",
      "6.2|v=spf1 exp=",
      "6.2|v=spf1 exp=-all",
      "7.1|v=spf1 a:foo%.example.com",
      "7.1|v=spf1 exists:%(ir).sbl.example.com",
      "7.1|v=spf1 exists:%{x}.example.com",
      "7.1|v=spf1 exists:%{d0}.example.com",
      "7.1|v=spf1 exists:%{d2rr}.example.com",
      "7.1|v=spf1 exists:%{d2:}.example.com",
      "7.1|v=spf1 exists:%{}.example.com",
      "7.1|v=spf1 exists:%{d.example.com",
      "7.1|v=spf1 exists:%",
      "7.1|v=spf1 foo=%abc",
      "7.1|v=spf1 include:%{d}.",
      "7.2|v=spf1 exists:%{c}.example.com",
      "7.2|v=spf1 a:%{r}.example.com",
      "7.2|v=spf1 -all exp=%{t}.example.com",
  })
  void syntaxErrors(String section, String record) {
    assertThat(invalid(record)).isNotBlank();
  }

  @ParameterizedTest(name = "RFC 7208 3.1: control or non-ASCII character U+{0} -> permerror")
  @ValueSource(strings = {"0000", "0009", "000A", "000D", "007F", "0080", "00A0", "00EF", "FEFF", "4E2D"})
  void controlAndNonAsciiCharacters(String hex) {
    char c = (char) Integer.parseInt(hex, 16);
    assertThat(invalid("v=spf1 a:ex" + c + "ample.com -all")).contains("U+" + hex);
    assertThat(invalid("v=spf1 " + c + "all")).contains("U+" + hex);
  }

  @ParameterizedTest(name = "RFC 7208 7.1: domain-spec {0} is valid")
  @ValueSource(strings = {"example.com", "example.com.", "foo:bar/baz.example.com", "foo.example.xn--zckzah",
      "x.123-456", "_spf.example.com", "%{d}", "%{ir}.%{v}._spf.%{d2}", "foo.%%", "a.%_", "b.%-",
      "%{l1r+-}._spf.%{d}", "%{H}.bar", "%{D2}", "%{p}.example.com", "macro%%percent%_%_space%-url-space.example.com"})
  void validDomainSpecs(String spec) {
    assertThat(valid("v=spf1 a:" + spec).directives()).hasSize(1);
  }

  @Test
  void constantDomainSpecResolvesAtParseTime() throws Exception {
    DomainSpec spec = DomainSpec.parse("Example.COM.");
    assertThat(spec.isConstant()).isTrue();
    assertThat(spec.targetName((letter, domain) -> {
      throw new AssertionError("no macro to expand");
    }, "unused")).isEqualTo("Example.COM");
    assertThat(spec.checkHostProblem("Example.COM")).isNull();
    DomainSpec emptyLabel = DomainSpec.parse("mail.example...com");
    assertThat(emptyLabel.targetName((l, d) -> "", "x")).isNull();
  }

  @Test
  void errorMessagesAreShortAndPrintable() {
    String huge = "v=spf1 a:" + "x".repeat(5000) + "\u0001.example.com";
    String error = invalid(huge);
    assertThat(error.length()).isLessThan(200);
    assertThat(error.chars().allMatch(ch -> ch >= 0x20 && ch <= 0x7e)).isTrue();
  }
}
