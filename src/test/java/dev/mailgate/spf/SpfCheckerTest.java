package dev.mailgate.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.dns.InetAddresses;
import dev.mailgate.spf.SpfResult.Identity;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SpfChecker's public behaviour: identities, result fields, reasons and explanations. */
class SpfCheckerTest {
  private static final InetAddress CLIENT = InetAddresses.parse("192.0.2.10");

  private static final InMemoryResolver DNS = Zone.of(
      "example.com TXT v=spf1 ip4:192.0.2.0/24 include:_spf.example.com -all",
      "example.com TXT google-site-verification=abc",
      "_spf.example.com TXT v=spf1 include:_spf2.example.com ~all",
      "_spf2.example.com TXT v=spf1 ip6:2001:db8::/32 ip4:198.51.100.0/24 -all",
      "mail.example.com TXT v=spf1 a -all",
      "mail.example.com A 192.0.2.10",
      "soft.example.com TXT v=spf1 ~all",
      "neutral.example.com TXT v=spf1 ip4:10.0.0.1",
      "explained.example.com TXT v=spf1 -all exp=why.example.com",
      "why.example.com TXT %{i} is not allowed to send for %{d} (sender %{s}, helo %{h}, at %{t} by %{r})",
      "redirector.example.com TXT v=spf1 redirect=example.com",
      "alias.example.com CNAME example.com",
      "broken.example.com TXT v=spf1 ip4:192.0.2.300 -all",
      "temp.example.com TIMEOUT",
      "tempa.example.com TXT v=spf1 a:down.example.com -all",
      "down.example.com SERVFAIL",
      "tempptr.example.com TXT v=spf1 ptr -all",
      "10.2.0.192.in-addr.arpa TIMEOUT");

  private static SpfChecker checker() {
    return SpfChecker.builder(DNS)
        .clock(Clock.fixed(Instant.ofEpochSecond(1_234_567_890L), ZoneOffset.UTC))
        .receivingHost("mx.receiver.example")
        .build();
  }

  @Test
  void passByIp4InTheTopRecord() {
    SpfResult r = checker().check(CLIENT, "helo.example.org", "alice@example.com");
    assertThat(r).isEqualTo(new SpfResult(AuthStatus.PASS, Identity.MAILFROM, "example.com", "alice@example.com",
        "ip4:192.0.2.0/24", null, "192.0.2.10 matched ip4:192.0.2.0/24 in example.com"));
  }

  @Test
  void passThroughAnIncludeChainNamesTheTopTermAndTheInnermostMatch() {
    SpfResult r = checker().check(InetAddresses.parse("198.51.100.7"), "helo.example.org", "bob@example.com");
    assertThat(r.status()).isEqualTo(AuthStatus.PASS);
    assertThat(r.mechanism()).isEqualTo("include:_spf.example.com");
    assertThat(r.reason()).isEqualTo(
        "198.51.100.7 matched ip4:198.51.100.0/24 in _spf2.example.com via include:_spf.example.com in example.com");
    SpfResult v6 = checker().check(InetAddresses.parse("2001:db8:1::25"), "h.example.org", "bob@example.com");
    assertThat(v6.status()).isEqualTo(AuthStatus.PASS);
    assertThat(v6.reason()).startsWith("2001:db8:1::25 matched ip6:2001:db8::/32 in _spf2.example.com");
  }

  @Test
  void failCarriesTheDefaultExplanation() {
    SpfResult r = checker().check(InetAddresses.parse("203.0.113.5"), "helo.example.org", "bob@example.com");
    assertThat(r.status()).isEqualTo(AuthStatus.FAIL);
    assertThat(r.mechanism()).isEqualTo("-all");
    assertThat(r.reason()).isEqualTo("203.0.113.5 matched -all in example.com");
    assertThat(r.explanation()).isEqualTo("example.com does not designate 203.0.113.5 as a permitted sender");
  }

  @Test
  void failWithExpExpandsTheExplanationWithAllLetters() {
    SpfResult r = checker().check(CLIENT, "helo.example.org", "carol@explained.example.com");
    assertThat(r.status()).isEqualTo(AuthStatus.FAIL);
    assertThat(r.explanation()).isEqualTo("192.0.2.10 is not allowed to send for explained.example.com "
        + "(sender carol@explained.example.com, helo helo.example.org, at 1234567890 by mx.receiver.example)");
  }

  @Test
  void customDefaultExplanation() {
    SpfChecker c = SpfChecker.builder(DNS).defaultExplanation("See https://%{d}/spf?ip=%{I}").build();
    InetAddress v6 = InetAddresses.parse("2001:db9::1");
    assertThat(c.check(v6, "h.example", "x@soft.example.com").explanation()).isNull();
    assertThat(c.check(v6, "h.example", "x@example.com").explanation())
        .isEqualTo("See https://example.com/spf?ip=2.0.0.1.0.d.b.9." + "0.".repeat(23) + "1");
    assertThatThrownBy(() -> SpfChecker.builder(DNS).defaultExplanation("100%")).isInstanceOf(
        IllegalArgumentException.class);
  }

  @Test
  void softfailNeutralAndNone() {
    SpfResult soft = checker().check(CLIENT, "h.example", "x@soft.example.com");
    assertThat(soft.status()).isEqualTo(AuthStatus.SOFTFAIL);
    assertThat(soft.mechanism()).isEqualTo("~all");
    assertThat(soft.explanation()).isNull();
    SpfResult neutral = checker().check(CLIENT, "h.example", "x@neutral.example.com");
    assertThat(neutral.status()).isEqualTo(AuthStatus.NEUTRAL);
    assertThat(neutral.mechanism()).isNull();
    assertThat(neutral.reason()).isEqualTo("no mechanism matched 192.0.2.10 in neutral.example.com, default neutral");
    SpfResult none = checker().check(CLIENT, "h.example", "x@nothing.example.com");
    assertThat(none).isEqualTo(new SpfResult(AuthStatus.NONE, Identity.MAILFROM, "nothing.example.com",
        "x@nothing.example.com", null, null, "no SPF record at nothing.example.com"));
  }

  @Test
  void redirectAndCname() {
    SpfResult r = checker().check(InetAddresses.parse("203.0.113.5"), "h.example", "x@redirector.example.com");
    assertThat(r.status()).isEqualTo(AuthStatus.FAIL);
    assertThat(r.domain()).isEqualTo("redirector.example.com");
    assertThat(r.reason()).isEqualTo("203.0.113.5 matched -all in example.com (redirected from redirector.example.com)");
    // RFC 7208 6.2: after redirect, %{d} and the explanation belong to the target.
    assertThat(r.explanation()).isEqualTo("redirector.example.com does not designate 203.0.113.5 as a permitted sender");
    assertThat(checker().check(CLIENT, "h.example", "x@ALIAS.Example.COM.").status()).isEqualTo(AuthStatus.PASS);
  }

  @Test
  void errorsAreResults() {
    SpfResult perm = checker().check(CLIENT, "h.example", "x@broken.example.com");
    assertThat(perm.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(perm.mechanism()).isNull();
    assertThat(perm.reason()).isEqualTo(
        "invalid SPF record at broken.example.com: invalid IPv4 network in 'ip4:192.0.2.300'");
    SpfResult temp = checker().check(CLIENT, "h.example", "x@temp.example.com");
    assertThat(temp.status()).isEqualTo(AuthStatus.TEMPERROR);
    assertThat(temp.reason()).startsWith("DNS failure looking up TXT temp.example.com");
    SpfResult tempA = checker().check(CLIENT, "h.example", "x@tempa.example.com");
    assertThat(tempA.status()).isEqualTo(AuthStatus.TEMPERROR);
    assertThat(tempA.reason()).startsWith("DNS failure at a:down.example.com in tempa.example.com");
    // RFC 7208 5.5: a DNS error on the PTR lookup only makes ptr not match.
    assertThat(checker().check(CLIENT, "h.example", "x@tempptr.example.com").status()).isEqualTo(AuthStatus.FAIL);
  }

  @Test
  void nullReversePathChecksHeloAsPostmaster() {
    // RFC 7208 2.4: for the null reverse-path the identity is postmaster@HELO.
    for (String nullSender : new String[] {"", "<>", " <> "}) {
      SpfResult r = checker().check(CLIENT, "mail.example.com", nullSender);
      assertThat(r).isEqualTo(new SpfResult(AuthStatus.PASS, Identity.HELO, "mail.example.com",
          "postmaster@mail.example.com", "a", null, "192.0.2.10 matched a in mail.example.com"));
    }
    assertThat(checker().checkHelo(CLIENT, "mail.example.com")).isEqualTo(checker().check(CLIENT, "mail.example.com", ""));
  }

  @ParameterizedTest(name = "RFC 7208 2.3: HELO {0} cannot be checked -> none")
  @ValueSource(strings = {"[192.0.2.10]", "192.0.2.10", "OEMCOMPUTER", "localhost", "JUMPIN' JUPITER", "-",
      "mail..example.com", "m\u00fcller.example.com"})
  void unusableHeloWithNullSender(String helo) {
    SpfResult r = checker().check(CLIENT, helo, "");
    assertThat(r.status()).isEqualTo(AuthStatus.NONE);
    assertThat(r.identity()).isEqualTo(Identity.HELO);
    assertThat(r.domain()).isNull();
    assertThat(r.reason()).startsWith("HELO name ").contains("cannot be checked");
    assertThat(checker().checkHelo(CLIENT, helo).status()).isEqualTo(AuthStatus.NONE);
  }

  @Test
  void missingInputs() {
    SpfResult unknownFrom = checker().check(CLIENT, "mail.example.com", null);
    assertThat(unknownFrom.status()).isEqualTo(AuthStatus.NONE);
    assertThat(unknownFrom.identity()).isEqualTo(Identity.MAILFROM);
    assertThat(unknownFrom.reason()).contains("MAIL FROM unknown");
    assertThat(checker().check(CLIENT, null, "").reason()).contains("HELO name unknown");
    assertThat(checker().checkHelo(CLIENT, " ").status()).isEqualTo(AuthStatus.NONE);
    SpfResult noIp = checker().check(null, "h.example", "x@example.com");
    assertThat(noIp.status()).isEqualTo(AuthStatus.NONE);
    assertThat(noIp.reason()).contains("client IP address unknown");
    SpfResult noDomain = checker().checkHost(CLIENT, null, null, null);
    assertThat(noDomain.status()).isEqualTo(AuthStatus.NONE);
    assertThat(noDomain.reason()).isEqualTo("domain (none) cannot be checked: empty domain");
    // %{h} with no HELO expands to "unknown" rather than failing.
    SpfResult noHelo = checker().checkHost(InetAddresses.parse("203.0.113.1"), "explained.example.com", "x@y.example",
        null);
    assertThat(noHelo.explanation()).contains("helo unknown");
  }

  @ParameterizedTest(name = "RFC 7208 4.3: MAIL FROM {0} -> sender {1}")
  @CsvSource({
      "@example.com, postmaster@example.com",
      "example.com, postmaster@example.com",
      "alice@example.com, alice@example.com",
      "\"a@b\"@example.com, \"a@b\"@example.com",
      "<bob@example.com>, bob@example.com",
      "carol@example.com., carol@example.com",
  })
  void senderWithoutLocalPartBecomesPostmaster(String mailFrom, String sender) {
    SpfResult r = checker().check(CLIENT, "h.example", mailFrom);
    assertThat(r.sender()).isEqualTo(sender);
    assertThat(r.identity()).isEqualTo(Identity.MAILFROM);
    assertThat(r.status()).isEqualTo(AuthStatus.PASS);
  }

  @ParameterizedTest(name = "RFC 7208 4.3: domain {0} -> none")
  @ValueSource(strings = {"com", "example", "a123456789012345678901234567890123456789012345678901234567890123.example.com",
      "a...example.com", ".example.com", "[192.0.2.1]", "192.0.2.1", "example.123", "exa mple.com", "\u00e9.example"})
  void malformedDomainsGiveNone(String domain) {
    SpfResult r = checker().checkHost(CLIENT, domain, "x@" + domain, "h");
    assertThat(r.status()).isEqualTo(AuthStatus.NONE);
    assertThat(r.reason()).contains("cannot be checked");
  }

  @Test
  void ipv4MappedClientIsCheckedAsIpv4() {
    SpfResult r = checker().check(InetAddresses.parse("::ffff:192.0.2.10"), "h.example", "x@example.com");
    assertThat(r.status()).isEqualTo(AuthStatus.PASS);
    assertThat(r.reason()).startsWith("192.0.2.10 matched ip4:192.0.2.0/24");
  }

  @Test
  void concurrentChecksShareOneChecker() throws Exception {
    SpfChecker shared = checker();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 500; i++) {
            if (shared.check(InetAddresses.parse("198.51.100." + (i % 200)), "h.example", "x@example.com").status()
                != AuthStatus.PASS
                || shared.check(InetAddresses.parse("203.0.113.1"), "h.example", "x@example.com").status()
                != AuthStatus.FAIL) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : futures) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void recordCacheIsBounded() {
    RecordCache cache = new RecordCache(3);
    for (int i = 0; i < 20; i++) {
      assertThat(cache.parse("v=spf1 ip4:10.0.0." + i + " -all")).isInstanceOf(RecordParse.Valid.class);
      assertThat(cache.size()).isLessThanOrEqualTo(3);
    }
    String same = "v=spf1 ip4:10.0.0.1 -all";
    assertThat(cache.parse(same)).isSameAs(cache.parse(same));
    RecordCache off = new RecordCache(0);
    off.parse(same);
    assertThat(off.size()).isZero();
    String giant = "v=spf1" + " ip4:10.0.0.1".repeat(300);
    cache.parse(giant);
    assertThat(cache.parse(giant)).isNotSameAs(cache.parse(giant));
  }
}
