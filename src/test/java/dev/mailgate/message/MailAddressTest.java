package dev.mailgate.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MailAddressTest {

  @ParameterizedTest(name = "RFC 5321 4.1.2: [{0}] -> local [{1}], domain [{2}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "user@Example.COM | user | example.com",
        "<user@example.com> | user | example.com",
        "  <User@EXAMPLE.com>\t | User | example.com",
        "first.last+tag@sub.example.co.uk | first.last+tag | sub.example.co.uk",
        "a!#$%&'*+-/=?^_`{}~@example.com | a!#$%&'*+-/=?^_`{}~ | example.com",
        "user@localhost | user | localhost",
        "user@123.example | user | 123.example",
        "SRS0=HHH=TT=example.org=alice@forwarder.example | SRS0=HHH=TT=example.org=alice | forwarder.example",
      })
  void rfc5321_4_1_2_mailbox(String text, String local, String domain) {
    MailAddress a = MailAddress.tryParse(text).orElseThrow();
    assertThat(a.localPart()).isEqualTo(local);
    assertThat(a.domain()).isEqualTo(domain);
    assertThat(a.toString()).isEqualTo(local + "@" + domain);
    assertThat(a.isAddressLiteral()).isFalse();
  }

  @ParameterizedTest(name = "RFC 5321 4.1.2 Quoted-string: [{0}] -> local [{1}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "\"a@b\"@example.com | \"a@b\"",
        "<\"john doe\"@example.com> | \"john doe\"",
        "\"a\\\"b\"@example.com | \"a\\\"b\"",
        "\"a\\\\b\"@example.com | \"a\\\\b\"",
        "\"\"@example.com | \"\"",
        "\"<x>,(y);\"@example.com | \"<x>,(y);\"",
      })
  void rfc5321_4_1_2_quotedLocalPartKeptAsWritten(String text, String local) {
    MailAddress a = MailAddress.tryParse(text).orElseThrow();
    assertThat(a.localPart()).isEqualTo(local);
    assertThat(a.domain()).isEqualTo("example.com");
  }

  @ParameterizedTest(name = "RFC 5321 4.1.1.3: source route dropped from {0}")
  @ValueSource(strings = {"<@relay.example:user@example.com>", "<@r1.example,@r2.example:user@example.com>",
      "<@[192.0.2.1]:user@example.com>"})
  void rfc5321_4_1_1_3_sourceRouteIsDropped(String text) {
    assertThat(MailAddress.tryParse(text)).get().hasToString("user@example.com");
  }

  @ParameterizedTest(name = "RFC 5321 4.1.3 address literal {0}")
  @ValueSource(strings = {"[192.0.2.1]", "[IPv6:2001:db8::1]", "[ipv6:2001:DB8::1]", "[IPv6:::ffff:192.0.2.1]",
      "[x-tag:opaque-content]"})
  void rfc5321_4_1_3_addressLiteralKeptAsWritten(String literal) {
    MailAddress a = MailAddress.tryParse("postmaster@" + literal).orElseThrow();
    assertThat(a.domain()).isEqualTo(literal);
    assertThat(a.isAddressLiteral()).isTrue();
  }

  @ParameterizedTest(name = "RFC 5890 2.3.2.1 / RFC 6531: {0} -> {1}")
  @CsvSource({
    "user@b\u00fccher.example, xn--bcher-kva.example",
    "user@B\u00dcCHER.Example, xn--bcher-kva.example",
    "user@xn--bcher-kva.example, xn--bcher-kva.example",
    "user@\u4f8b\u3048.\u30c6\u30b9\u30c8, xn--r8jz45g.xn--zckzah",
    // IDNA2003 (java.net.IDN) treats the ideographic full stop as a dot.
    "user@example\u3002com, example.com",
  })
  void uLabelsBecomeALabels(String text, String domain) {
    assertThat(MailAddress.tryParse(text)).get().extracting(MailAddress::domain).isEqualTo(domain);
  }

  @Test
  void rfc6531_utf8LocalPartAccepted() {
    MailAddress a = MailAddress.tryParse("\u00fcser.\u540d@example.com").orElseThrow();
    assertThat(a.localPart()).isEqualTo("\u00fcser.\u540d");
  }

  @Test
  void idna2003MapsSharpS() {
    // Documented limit: java.net.IDN is IDNA2003, which maps U+00DF to "ss" (IDNA2008: xn--fa-hia).
    assertThat(MailAddress.normalizeDomain("fa\u00df.example")).contains("fass.example");
  }

  @ParameterizedTest(name = "RFC 5321 4.1.2: [{0}] is malformed: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "<> | null reverse-path <>",
        "user | no @domain",
        "@example.com | malformed local-part",
        "user@ | empty domain",
        "user@@example.com | character not allowed in a domain name",
        ".user@example.com | malformed local-part",
        "user.@example.com | malformed local-part",
        "us..er@example.com | malformed local-part",
        "us er@example.com | no @domain",
        "user@exa mple.com | character not allowed in a domain name",
        "user@example..com | empty label in domain",
        "user@.example.com | empty label in domain",
        "user@example.com. | empty label in domain",
        "user@-example.com | domain label starts or ends with a hyphen",
        "user@example-.com | domain label starts or ends with a hyphen",
        "user@exa_mple.com | character not allowed in a domain name",
        "<user@example.com | unbalanced angle bracket",
        "user@example.com> | unbalanced angle bracket",
        "<@relay.example user@example.com> | malformed source route",
        "<@relay..example:user@example.com> | malformed source route",
        "\"unterminated@example.com | malformed local-part",
        "\"a\u0001b\"@example.com | malformed local-part",
        "\"a\\\u0001\"@example.com | malformed local-part",
        "user@[300.1.1.1] | malformed address literal",
        "user@[1.2.3] | malformed address literal",
        "user@[] | malformed address literal",
        "user@[IPv6:2001:db8::zz] | malformed address literal",
        "user@[tag:] | malformed address literal",
        "user@a\ufffdb.example | IDN conversion failed",
      })
  void rfc5321_4_1_2_malformed(String text, String reason) {
    assertThat(MailAddress.parse(text)).isEqualTo(new MailAddress.Invalid(reason));
    assertThat(MailAddress.tryParse(text)).isEmpty();
  }

  @ParameterizedTest(name = "blank input: [{0}]")
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "<", ">"})
  void blankInput(String text) {
    assertThat(MailAddress.parse(text)).isInstanceOf(MailAddress.Invalid.class);
  }

  @Test
  void rfc1035_2_3_4_labelAndNameLengthLimits() {
    String label63 = "a".repeat(63);
    assertThat(MailAddress.normalizeDomain(label63 + ".example")).contains(label63 + ".example");
    assertThat(MailAddress.parse("u@" + "a".repeat(64) + ".example"))
        .isEqualTo(new MailAddress.Invalid("domain label longer than 63 characters"));
    // 4 labels of 63 plus 3 dots: 255 characters, over the limit; 253 is the most that fits.
    String name253 = String.join(".", label63, label63, label63, "a".repeat(61));
    assertThat(name253).hasSize(253);
    assertThat(MailAddress.normalizeDomain(name253)).contains(name253);
    assertThat(MailAddress.parse("u@" + name253 + "a"))
        .isEqualTo(new MailAddress.Invalid("domain longer than 253 characters"));
    assertThat(MailAddress.parse("u@" + "a.".repeat(5000) + "example"))
        .isEqualTo(new MailAddress.Invalid("domain too long"));
  }

  @Test
  void idnLabelTooLongOnceEncodedFailsConversion() {
    // 60 non-ASCII characters: fine as text, far over 63 octets as an A-label.
    assertThat(MailAddress.parse("u@" + "\u00fc".repeat(60) + ".example"))
        .isEqualTo(new MailAddress.Invalid("IDN conversion failed"));
  }

  @Test
  void normalizeDomainLowersAndRejects() {
    assertThat(MailAddress.normalizeDomain("MAIL.Example.COM")).contains("mail.example.com");
    assertThat(MailAddress.normalizeDomain("")).isEmpty();
    assertThat(MailAddress.normalizeDomain(null)).isEmpty();
    assertThat(MailAddress.normalizeDomain("a b")).isEmpty();
  }

  @Test
  void validResultCarriesTheAddress() {
    MailAddress.Result r = MailAddress.parse("a@b.example");
    assertThat(r).isEqualTo(new MailAddress.Valid(new MailAddress("a", "b.example")));
    assertThat(r.address()).contains(new MailAddress("a", "b.example"));
  }
}
