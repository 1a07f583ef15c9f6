package dev.mailgate.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.message.RawMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthorDomainsTest {

  private static AuthorDomain of(String headers) {
    headers = headers.replace("<CRLF>", "\r\n");
    return AuthorDomains.fromMessage(RawMessage.parse((headers + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8)));
  }

  @ParameterizedTest(name = "RFC 9989 5.3.1: {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "From: alice@Example.COM|example.com",
    "From: \"Alice, Jr.\" <alice@example.com>|example.com",
    "From: alice@example.com (comment), bob@EXAMPLE.com|example.com",
    "From: =?utf-8?q?J=C3=B6rg?= <j@example.org>|example.org",
    "From: jörg@bücher.example|xn--bcher-kva.example",
    "From : obsolete@example.net|example.net",
  })
  void oneDomainIsTheAuthorDomain(String header, String domain) {
    assertThat(of(header)).isEqualTo(new AuthorDomain.Usable(domain));
  }

  @ParameterizedTest(name = "RFC 9989 5.3.1 / 11.5: {0} -> no Author Domain ({1})")
  @CsvSource(delimiter = '|', value = {
    "Subject: no from at all|no From",
    "From: a@example.com<CRLF>From: b@example.com|2 From",
    "From: a@example.com, b@example.org|2 domains",
    "From: undisclosed:;|no mailbox",
    "From: friends: a@example.com;|group",
    "From: attacker@evil.example <ceo@bank.example>|does not parse",
    "From: <@>|does not parse",
    "From:|",
    "From: user@[192.0.2.1]|not a usable domain",
  })
  void zeroOrSeveralDomainsGiveNoAuthorDomain(String header, String reasonPart) {
    AuthorDomain d = of(header);
    assertThat(d).isInstanceOf(AuthorDomain.Unusable.class);
    if (reasonPart != null) {
      assertThat(((AuthorDomain.Unusable) d).reason()).contains(reasonPart);
    }
  }
}
