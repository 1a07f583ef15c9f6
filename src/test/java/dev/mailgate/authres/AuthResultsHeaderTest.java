package dev.mailgate.authres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.spf.SpfResult;
import dev.mailgate.spf.SpfResult.Identity;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthResultsHeaderTest {

  @Test
  void rfc8601_2_2_spfResultWithReasonAsCommentAndMailfromDomain() {
    SpfResult spf = new SpfResult(AuthStatus.PASS, Identity.MAILFROM, "example.net", "alice@example.net",
        "ip4:192.0.2.0/24", null, "192.0.2.1 matched ip4:192.0.2.0/24");
    String h = AuthResultsHeader.format("mx.example.org", AuthReport.ofSpf(null, spf));
    assertThat(h).isEqualTo("Authentication-Results: mx.example.org;\r\n"
        + "\tspf=pass (192.0.2.1 matched ip4:192.0.2.0/24) smtp.mailfrom=example.net");
  }

  @Test
  void rfc8601_2_7_2_heloIdentityUsesSmtpHelo() {
    SpfResult spf = new SpfResult(AuthStatus.NONE, Identity.HELO, "mail.example.net", "postmaster@mail.example.net",
        null, null, "no SPF record");
    String h = AuthResultsHeader.format("mx", AuthReport.ofSpf(null, spf));
    assertThat(h).endsWith("spf=none (no SPF record) smtp.helo=mail.example.net");
  }

  @Test
  void rfc8601_2_2_noResultsIsNone() {
    assertThat(AuthResultsHeader.format("mx.example.org", List.of()))
        .isEqualTo("Authentication-Results: mx.example.org; none");
  }

  @Test
  void rfc5322_3_2_2_commentsEscapeParenthesesAndBackslashesAndDropControls() {
    assertThat(AuthResultsHeader.comment("a (b) c\\d\r\ne")).isEqualTo("(a \\(b\\) c\\\\d  e)");
  }

  @ParameterizedTest(name = "RFC 8601 2.2 pvalue {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "example.com|example.com",
    "user@example.com|user@example.com",
    "@example.com|@example.com",
    "ab+c/d=|\"ab+c/d=\"",
    "first.last+tag@example.com|first.last+tag@example.com",
    "two words|\"two words\"",
    "a\"b@example.com|\"a\\\"b@example.com\"",
    "semi;colon|\"semi;colon\""
  })
  void rfc8601_2_2_pvaluesAreQuotedWhenTheGrammarNeedsIt(String in, String out) {
    assertThat(AuthResultsHeader.pvalue(in)).isEqualTo(out);
  }

  @Test
  void rfc8601_2_5_authservIdThatIsNotATokenIsQuoted() {
    assertThat(AuthResultsHeader.format("my server", List.of())).startsWith("Authentication-Results: \"my server\";");
  }

  @Test
  void rfc5322_2_1_1_longReasonsAreFoldedAtSpacesAndNoLineIsTooLong() {
    String reason = "word ".repeat(60).strip();
    SpfResult spf = new SpfResult(AuthStatus.FAIL, Identity.MAILFROM, "example.com", "a@example.com", "-all",
        "not allowed", reason);
    String h = AuthResultsHeader.format("mx.example.org", AuthReport.ofSpf(null, spf));
    for (String line : h.split("\r\n")) {
      assertThat(line.length()).isLessThanOrEqualTo(78);
    }
    assertThat(h.replaceAll("\r\n\t", " ")).contains("(" + reason + ")").endsWith("smtp.mailfrom=example.com");
    assertThat(h).doesNotContain("\r\n\r\n").doesNotEndWith("\r\n");
  }
}
