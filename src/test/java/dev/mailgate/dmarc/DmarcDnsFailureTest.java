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
 * DNS failures (timeouts, SERVFAIL): RFC 9989 4.10.1 (receiver's discretion; we say temperror) and 5.3.6
 * (a DMARC result cannot be reached, the policy is not applied); RFC 7489 6.6.2 for temporary SPF/DKIM
 * errors.
 */
class DmarcDnsFailureTest {
  private static final String REJECT = "TXT _dmarc.example.com v=DMARC1; p=reject";

  static Stream<Case> cases() {
    return Stream.of(
        c("RFC 9989 5.3.6: timeout for _dmarc.<Author Domain> -> temperror")
            .zone("TIMEOUT _dmarc.example.com").author("example.com").dkimPass("example.com")
            .expect("status=temperror policyDomain=- disposition=none"),
        c("RFC 9989 4.10.1: SERVFAIL in the middle of the walk -> temperror, and the walk stops there")
            .zone("SERVFAIL _dmarc.b.example.com", REJECT).author("a.b.example.com")
            .expect("status=temperror disposition=none")
            .queries("TXT _dmarc.a.b.example.com", "TXT _dmarc.b.example.com"),
        c("RFC 9989 4.10.1: a failure above the record still matters: the Organizational Domain is unknown")
            .zone(REJECT, "TIMEOUT _dmarc.com").author("a.example.com")
            .expect("status=temperror"),
        c("RFC 9989 5.3.6: a failure in the Author Domain's alignment walk -> temperror")
            .zone(REJECT, "TIMEOUT _dmarc.com").author("example.com").dkimPass("mail.example.com")
            .expect("status=temperror policyDomain=example.com disposition=none"),
        c("RFC 9989 5.3.6: a failure in an identifier's alignment walk -> temperror")
            .zone(REJECT, "TIMEOUT _dmarc.mail.example.com").author("example.com").dkimPass("mail.example.com")
            .expect("status=temperror disposition=none"),
        c("RFC 9989 5.3.6: an alignment failure does not matter when another identifier aligned")
            .zone(REJECT, "TIMEOUT _dmarc.mail.example.com").author("example.com").dkimPass("mail.example.com")
            .spfPass("example.com")
            .expect("status=pass spf=y disposition=none"),
        c("RFC 9989 5.3.6: a failing walk for an unrelated identifier is never made")
            .zone(REJECT, "TIMEOUT _dmarc.attacker.example").author("example.com").dkimPass("attacker.example")
            .expect("status=fail disposition=reject")
            .queries("TXT _dmarc.example.com", "TXT _dmarc.com"),
        c("RFC 7489 6.6.2: SPF temperror for a domain that would align -> temperror")
            .zone(REJECT).author("example.com").spf(Fixture.spf(AuthStatus.TEMPERROR, "bounce.example.com"))
            .expect("status=temperror disposition=none"),
        c("RFC 7489 6.6.2: DKIM temperror for a domain that would align -> temperror")
            .zone(REJECT).author("example.com").dkim("example.com", AuthStatus.TEMPERROR)
            .expect("status=temperror disposition=none"),
        c("RFC 7489 6.6.2: a DKIM temperror from an unrelated domain cannot hide an aligned pass: fail")
            .zone(REJECT).author("example.com").dkim("broken-dns.example", AuthStatus.TEMPERROR)
            .expect("status=fail disposition=reject"),
        c("RFC 7489 6.6.2: a temperror does not matter once an identifier aligned")
            .zone(REJECT).author("example.com").dkim("example.com", AuthStatus.TEMPERROR).spfPass("example.com")
            .expect("status=pass"),
        c("RFC 9989 4.7 np: the existence check timing out -> temperror")
            .zone("TXT _dmarc.example.com v=DMARC1; p=none; np=reject", "TIMEOUT ghost.example.com A")
            .author("ghost.example.com")
            .expect("status=temperror policyDomain=example.com disposition=none"),
        c("RFC 9989 4.7 np: an MX query failing after A and AAAA answered empty -> temperror")
            .zone("TXT _dmarc.example.com v=DMARC1; p=none; np=reject", "SERVFAIL ghost.example.com MX")
            .author("ghost.example.com")
            .expect("status=temperror"),
        c("RFC 7489 6.6.3: timeout at the Organizational Domain -> temperror")
            .rfc7489().zone("TIMEOUT _dmarc.example.com").author("a.example.com")
            .expect("status=temperror"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void dnsFailures(Case c) {
    c.check();
  }

  @Test
  void aTimedOutNameIsAskedOnlyOncePerMessage() {
    // The Author Domain's walk and the identifier's walk share _dmarc.com; after it timed out once, the
    // second walk fails at once instead of waiting again.
    DmarcResult r = c("once").zone(REJECT, "TIMEOUT _dmarc.com").author("example.com")
        .dkimPass("a.example.com", "b.example.com")
        .queries("TXT _dmarc.example.com", "TXT _dmarc.com").check();
    assertThat(r.status()).isEqualTo(AuthStatus.TEMPERROR);
    assertThat(r.reason()).contains("_dmarc.com");
  }
}
