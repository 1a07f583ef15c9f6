package dev.mailgate.authres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.spf.SpfResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthResultsParserTest {

  private static AuthResults parse(String v) {
    return AuthResultsParser.parse(v).orElseThrow();
  }

  @Test
  void rfc8601_appendixB2_noResultsWithVersion() {
    AuthResults ar = parse(" example.org 1; none");
    assertThat(ar.authservId()).isEqualTo("example.org");
    assertThat(ar.version()).isEqualTo(1);
    assertThat(ar.results()).isEmpty();
    assertThat(ar.complete()).isTrue();
  }

  @Test
  void rfc8601_appendixB4_severalResultsWithCommentsAndProperties() {
    AuthResults ar = parse(" example.com;\r\n          auth=pass (cram-md5) smtp.auth=sender@example.net;\r\n"
        + "          spf=pass smtp.mailfrom=example.net");
    assertThat(ar.results()).hasSize(2);
    AuthResults.Result auth = ar.results().get(0);
    assertThat(auth.method()).isEqualTo("auth");
    assertThat(auth.comment()).isEqualTo("cram-md5");
    assertThat(auth.property("smtp", "auth")).contains("sender@example.net");
    assertThat(ar.first("spf").orElseThrow().status()).contains(AuthStatus.PASS);
    assertThat(ar.first("SPF").orElseThrow().property("smtp", "mailfrom")).contains("example.net");
  }

  @Test
  void rfc8601_appendixB6_reasonSpecsAndAtDomainValues() {
    AuthResults ar = parse(" example.com;\r\n dkim=pass reason=\"good signature\"\r\n header.i=@mail-router.example.net;\r\n"
        + " dkim=fail reason=\"bad signature\"\r\n header.i=@newyork.example.com");
    assertThat(ar.results()).extracting(AuthResults.Result::reason).containsExactly("good signature", "bad signature");
    assertThat(ar.results().get(1).property("header", "i")).contains("@newyork.example.com");
    assertThat(ar.complete()).isTrue();
  }

  @Test
  void rfc8601_appendixB8_commentHeavyButLegal() {
    AuthResults ar = parse(" foo.example.net (foobar) 1 (baz);\r\n"
        + "    dkim (Because I like it) / 1 (One yay) = (wait for it) fail\r\n"
        + "      policy (A dot can go here) . (like that) expired\r\n"
        + "      (this surprised me) = (as I wasn't expecting it) 1362471462");
    assertThat(ar.authservId()).isEqualTo("foo.example.net");
    AuthResults.Result dkim = ar.first("dkim").orElseThrow();
    assertThat(dkim.result()).isEqualTo("fail");
    assertThat(dkim.property("policy", "expired")).contains("1362471462");
    assertThat(ar.complete()).isTrue();
  }

  @Test
  void sesStyleBareKeysAreSkippedButTheResultsKept() {
    AuthResults ar = parse(" amazonses.com;\r\n spf=pass (spf: domain of a@example.com designates 192.0.2.1 as"
        + " permitted sender) client-ip=192.0.2.1; envelope-from=a@example.com; helo=mail.example.com;\r\n"
        + " dkim=pass header.i=@example.com;\r\n dmarc=none header.from=example.com;");
    assertThat(ar.authservId()).isEqualTo("amazonses.com");
    assertThat(ar.first("spf").orElseThrow().result()).isEqualTo("pass");
    assertThat(ar.first("dkim").orElseThrow().property("header", "i")).contains("@example.com");
    assertThat(ar.first("dmarc").orElseThrow().property("header", "from")).contains("example.com");
    assertThat(ar.complete()).isFalse();
  }

  @Test
  void quotedAuthservIdAndIpv6AndBase64Values() {
    AuthResults ar = parse(" \"my server\"; iprev=pass policy.iprev=2001:db8::1; dkim=pass header.b=ab+c/d=");
    assertThat(ar.authservId()).isEqualTo("my server");
    assertThat(ar.first("iprev").orElseThrow().property("policy", "iprev")).contains("2001:db8::1");
    assertThat(ar.first("dkim").orElseThrow().property("header", "b")).contains("ab+c/d=");
  }

  @Test
  void garbageGivesNoResultOrAnIncompleteOneNeverAnException() {
    assertThat(AuthResultsParser.parse("")).isEmpty();
    assertThat(AuthResultsParser.parse("   ;;;")).isEmpty();
    assertThat(AuthResultsParser.parse(" (unterminated comment")).isEmpty();
    AuthResults ar = parse(" host; ===; spf=pass; \"unterminated");
    assertThat(ar.first("spf")).isPresent();
    assertThat(ar.complete()).isFalse();
    String hostile = " host" + "; a=b".repeat(10_000);
    assertThat(parse(hostile).results()).hasSize(AuthResultsParser.MAX_RESULTS);
  }

  @Test
  void whatWeFormatWeParseBack() {
    SpfResult spf = new SpfResult(AuthStatus.SOFTFAIL, SpfResult.Identity.MAILFROM, "example.com",
        "x@example.com", "~all", null, "192.0.2.1 is not (quite) allowed \\ here");
    String field = AuthResultsHeader.format("mx.example.org", List.of(AuthResultsHeader.spf(spf)));
    AuthResults ar = parse(field.substring(field.indexOf(':') + 1));
    AuthResults.Result r = ar.first("spf").orElseThrow();
    assertThat(r.status()).contains(AuthStatus.SOFTFAIL);
    assertThat(r.comment()).isEqualTo(spf.reason());
    assertThat(r.property("smtp", "mailfrom")).contains("example.com");
    assertThat(ar.complete()).isTrue();
  }
}
