package dev.mailgate.spf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.dns.InetAddresses;
import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile and malformed DNS data (RFC 7208 section 11.1): every case ends in a clear result, never in an
 * exception, and within the processing limits.
 */
class SpfHostileInputTest {
  private static final InetAddress CLIENT = InetAddresses.parse("192.0.2.1");

  private static SpfResult check(InMemoryResolver dns, String domain) {
    return new SpfChecker(dns).checkHost(CLIENT, domain, "user@" + domain, "helo.example.org");
  }

  @Test
  void fiveThousandCharacterRecordOfValidTerms() {
    StringBuilder sb = new StringBuilder("v=spf1");
    for (int i = 0; sb.length() < 5000; i++) {
      sb.append(" ip4:10.").append(i / 256 % 256).append('.').append(i % 256).append(".0/24");
    }
    sb.append(" ip4:192.0.2.1 -all");
    assertThat(sb.length()).isGreaterThan(5000);
    SpfResult r = check(Zone.of("big.example.com TXT " + sb), "big.example.com");
    assertThat(r.status()).isEqualTo(AuthStatus.PASS);
    assertThat(r.mechanism()).isEqualTo("ip4:192.0.2.1");
  }

  @Test
  void fiveThousandCharacterGarbageRecord() {
    String garbage = "v=spf1 " + "a:%{x}".repeat(900);
    assertThat(garbage.length()).isGreaterThan(5000);
    SpfResult r = check(Zone.of("big.example.com TXT " + garbage), "big.example.com");
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(r.reason()).startsWith("invalid SPF record at big.example.com: macro letter 'x'").hasSizeLessThan(300);
  }

  @Test
  void fiveThousandCharacterDomainSpec() {
    String longName = "a.".repeat(2500) + "example.com";
    SpfResult r = check(Zone.of("big.example.com TXT v=spf1 a:" + longName + " include:" + longName + " -all"),
        "big.example.com");
    // The a: target is truncated to 253 characters (RFC 7208 7.3) and does not exist; the include target
    // then has no record: include of none is permerror (section 5.2).
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(r.reason()).contains("no SPF record at a.a.");
  }

  @Test
  void includeLoop() {
    SpfResult r = check(Zone.of("a.example.com TXT v=spf1 include:b.example.com -all",
        "b.example.com TXT v=spf1 include:a.example.com -all"), "a.example.com");
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(r.reason()).contains("more than 10 DNS-querying terms");
  }

  @Test
  void redirectLoops() {
    assertThat(check(Zone.of("self.example.com TXT v=spf1 redirect=self.example.com"), "self.example.com").status())
        .isEqualTo(AuthStatus.PERMERROR);
    SpfResult r = check(Zone.of("a.example.com TXT v=spf1 redirect=b.example.com",
        "b.example.com TXT v=spf1 ip4:10.0.0.1 redirect=a.example.com"), "a.example.com");
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(r.reason()).contains("more than 10 DNS-querying terms");
  }

  @Test
  void macroLoopThroughTheSenderDomain() {
    // include:%{o} points back at the sender's own record, every level the same.
    SpfResult r = check(Zone.of("loop.example.com TXT v=spf1 include:%{o} include:%{d} -all"), "loop.example.com");
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
  }

  @ParameterizedTest(name = "RFC 7208 5.6: malformed {0} -> permerror")
  @ValueSource(strings = {"ip4:1.2.3.4.5", "ip4:999.1.1.1", "ip4:1.2.3.4/-1", "ip4:", "ip4:::1", "ip4:1.2.3",
      "ip4:1.2.3.4/99999999999999999999", "ip4:1.2.3.4/+8", "ip4:1.2.3.4/ 8", "ip4:1.2.3.4/8/8", "ip4:-1.2.3.4",
      "ip4:1.2.3.4%", "ip4:1,2,3,4", "ip4:0x7f.0.0.1", "ip4:127.1", "ip4:1.2.3.4:25", "ip4:[1.2.3.4]",
      "ip4:\u0661.2.3.4", "ip6:1.2.3.4", "ip6:::ffff:1.2.3.256", "ip6:::/129", "ip6:g::"})
  void malformedAddresses(String term) {
    SpfResult r = check(Zone.of("bad.example.com TXT v=spf1 " + term + " ip4:192.0.2.1 -all"), "bad.example.com");
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(r.reason()).startsWith("invalid SPF record at bad.example.com");
  }

  @Test
  void hundredMechanisms() {
    StringBuilder ip4s = new StringBuilder("v=spf1");
    for (int i = 0; i < 99; i++) {
      ip4s.append(" ip4:10.0.").append(i).append(".0/24");
    }
    ip4s.append(" ip4:192.0.2.0/24");
    assertThat(check(Zone.of("many.example.com TXT " + ip4s), "many.example.com").status()).isEqualTo(AuthStatus.PASS);

    StringBuilder as = new StringBuilder("v=spf1");
    for (int i = 0; i < 100; i++) {
      as.append(" a:h").append(i).append(".example.net");
    }
    SpfResult r = check(Zone.of("many.example.com TXT " + as + " -all"), "many.example.com");
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(r.reason()).contains("void"); // the third missing host ends it before the tenth lookup
  }

  @ParameterizedTest(name = "non-ASCII or binary record {index} -> permerror")
  @ValueSource(strings = {"v=spf1 \u00ff\u00fe\u0000\u0001 -all", "v=spf1 a:\u4e2d\u6587.example.com -all",
      "v=spf1 ip4:192.0.2.1\u00a0-all", "v=spf1 \ud83d\ude00", "v=spf1 -all exp=\u00e9.example.com",
      "v=spf1 a:example.com\u0000"})
  void nonAsciiGarbage(String record) {
    SpfResult r = check(Zone.of("garbage.example.com TXT " + record), "garbage.example.com");
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(r.reason()).doesNotContainPattern("[^\\x20-\\x7e]");
  }

  @Test
  void garbageNextToTheRecordIsIgnored() {
    InMemoryResolver dns = Zone.of("g.example.com TXT \u0000\u00ff binary \ud800", "g.example.com TXT v=spf1 -all",
        "g.example.com TXT " + "x".repeat(10_000));
    assertThat(check(dns, "g.example.com").status()).isEqualTo(AuthStatus.FAIL);
  }

  @Test
  void hostileIdentities() {
    SpfChecker checker = new SpfChecker(Zone.of("example.com TXT v=spf1 -all"));
    String[] identities = {"\u0000@example.com", "@", "@@", "a@", "x".repeat(100_000) + "@example.com",
        "user@" + "x".repeat(100_000), "user@exa\u0000mple.com", "user@\ud800.com", "<>>", "<", "%{l}@example.com"};
    for (String from : identities) {
      SpfResult r = checker.check(CLIENT, "\u0000\u00ff", from);
      assertThat(r.status()).as(from.length() > 40 ? from.substring(0, 40) : from).isIn(AuthStatus.NONE,
          AuthStatus.FAIL);
      assertThat(r.reason()).hasSizeLessThan(400);
    }
  }

  @Test
  void hugeExplanationIsCutAndAsciiOnly() {
    InMemoryResolver dns = Zone.of("e.example.com TXT v=spf1 -all exp=x.example.com",
        "x.example.com TXT " + "%{l}%{l}%{l}".repeat(200));
    SpfResult r = new SpfChecker(dns).check(CLIENT, "h.example", "\u00e9\u00e9\u00e9@e.example.com");
    assertThat(r.status()).isEqualTo(AuthStatus.FAIL);
    assertThat(r.explanation()).hasSize(Evaluation.MAX_EXPLANATION).matches("[?]+");
  }

  @Test
  void macroExpansionsThatExplode() {
    // Long local part repeated in a domain-spec: truncated to 253 characters, then too-long labels make
    // the name unusable, so the mechanism does not match.
    InMemoryResolver dns = Zone.of("m.example.com TXT v=spf1 exists:%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.%{l}.x.example"
        + " exists:%{lr}.%{d999999999}.%{ir}.%{o1}.example -all");
    SpfResult r = new SpfChecker(dns).check(CLIENT, "h.example", "y".repeat(5000) + "@m.example.com");
    assertThat(r.status()).isEqualTo(AuthStatus.FAIL);
  }

  @Test
  void randomRecordsNeverThrow() {
    // A seeded fuzz over record text built from SPF fragments and arbitrary characters.
    String[] pieces = {"v=spf1", " ", "  ", "a", "mx", "ptr", "ip4:", "ip6:", "include:", "exists:", "redirect=",
        "exp=", "all", "-", "+", "~", "?", ":", "/", "//", "=", ".", "%{", "}", "%%", "%_", "%-", "%", "d", "l", "ir",
        "r", "2", "0", "128", "33", "192.0.2.1", "::1", "example.com", "x.example.com", "\u0000", "\u00e9", "\t",
        "%{d2r+-}", "%{p}", "%{c}", "1.2.3.4/24", "foo=bar"};
    InMemoryResolver.Builder zone = InMemoryResolver.builder()
        .address("example.com", "192.0.2.1")
        .address("x.example.com", "2001:db8::1")
        .mx("example.com", 10, "x.example.com")
        .ptr(CLIENT, "x.example.com");
    Random random = new Random(7208);
    String[] records = new String[400];
    for (int i = 0; i < records.length; i++) {
      StringBuilder sb = new StringBuilder(i % 3 == 0 ? "v=spf1 " : "v=spf1");
      int n = random.nextInt(12);
      for (int j = 0; j < n; j++) {
        sb.append(random.nextInt(5) == 0 ? Character.toString((char) random.nextInt(0x3000))
            : pieces[random.nextInt(pieces.length)]);
      }
      records[i] = sb.toString();
      zone.txt("r" + i + ".example.com", records[i]);
      zone.txt("x.example.com", records[i].replace("x.example.com", "example.com"));
    }
    SpfChecker checker = new SpfChecker(zone.build());
    for (int i = 0; i < records.length; i++) {
      for (String ip : new String[] {"192.0.2.1", "2001:db8::1"}) {
        SpfResult r = checker.checkHost(InetAddresses.parse(ip), "r" + i + ".example.com", "u@r" + i + ".example.com",
            "h.example.com");
        assertThat(r.status()).as(records[i]).isNotNull();
        assertThat(r.reason()).as(records[i]).isNotBlank();
      }
    }
  }
}
