package dev.mailgate.spf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.dns.InetAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The processing limits of RFC 7208 section 4.6.4 (and 11.1). */
class SpfLimitsTest {
  private static final String CLIENT = "192.0.2.1";

  /** Names h0..h{n-1}.example.net, each with one address that is not the client's. */
  private static List<String> hosts(int n) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add("h" + i + ".example.net A 198.51.100." + (i + 1));
      lines.add("h" + i + ".example.net AAAA 2001:db8:ffff::" + (i + 1));
      lines.add("h" + i + ".example.net MX 10 h" + i + ".example.net");
      lines.add("h" + i + ".example.net TXT v=spf1 ip4:198.51.100.0/24 -all");
    }
    lines.add("1.2.0.192.in-addr.arpa PTR other.example.org");
    lines.add("other.example.org A 192.0.2.1");
    return lines;
  }

  /** A record at example.com with {@code n} copies of {@code term} (term may use %n for the index). */
  private static String record(String term, int n, String end) {
    StringBuilder sb = new StringBuilder("v=spf1");
    for (int i = 0; i < n; i++) {
      sb.append(' ').append(term.replace("%n", Integer.toString(i)));
    }
    return sb.append(' ').append(end).toString();
  }

  private static Arguments limitCase(String name, AuthStatus expected, String reasonPart, String... zone) {
    return Arguments.of(name, List.of(zone), expected, reasonPart);
  }

  private static Arguments limitCase(String name, AuthStatus expected, String reasonPart, List<String> zone) {
    return Arguments.of(name, zone, expected, reasonPart);
  }

  private static List<String> with(List<String> base, String... more) {
    List<String> out = new ArrayList<>(base);
    out.addAll(List.of(more));
    return out;
  }

  static Stream<Arguments> limits() {
    List<String> h = hosts(12);
    List<Arguments> cases = new ArrayList<>();
    // Each kind of DNS-querying term as the 10th (evaluated) and as the 11th (permerror) term, after
    // a:h0.. terms that look up existing names and do not match.
    String[][] kinds = {
        {"a", "a:h10.example.net"},
        {"mx", "mx:h10.example.net"},
        {"ptr", "ptr:h10.example.net"},
        {"exists", "exists:nothere.example.net"},
        {"include", "include:h10.example.net"},
    };
    for (String[] kind : kinds) {
      cases.add(limitCase("RFC 7208 4.6.4: " + kind[0] + " as the 10th lookup is evaluated", AuthStatus.PASS,
          "matched ip4:192.0.2.1", with(h, "example.com TXT " + record("a:h%n.example.net", 9, kind[1]
              + " ip4:192.0.2.1 -all"))));
      cases.add(limitCase("RFC 7208 4.6.4: 11th lookup (" + kind[0] + ") -> permerror", AuthStatus.PERMERROR,
          "more than 10 DNS-querying terms (reached at " + kind[1] + " in example.com",
          with(h, "example.com TXT " + record("a:h%n.example.net", 10, kind[1] + " ip4:192.0.2.1 -all"))));
    }
    cases.add(limitCase("RFC 7208 4.6.4: redirect counts as the 11th lookup -> permerror", AuthStatus.PERMERROR,
        "redirect=h10.example.net", with(h, "example.com TXT " + record("a:h%n.example.net", 10, "redirect=h10.example.net"))));
    cases.add(limitCase("RFC 7208 4.6.4: redirect as the 10th lookup is evaluated", AuthStatus.FAIL,
        "matched -all in h9.example.net", with(h, "example.com TXT " + record("a:h%n.example.net", 9, "redirect=h9.example.net"))));
    cases.add(limitCase("RFC 7208 4.6.4: all, ip4, ip6 and exp do not count", AuthStatus.PASS, "matched ip4:192.0.2.1",
        with(h, "example.com TXT " + record("a:h%n.example.net", 10,
            "ip4:10.0.0.1 ip4:10.0.0.2 ip6:2001:db8::1 ip6:2001:db8::2 ip4:10.0.0.3 ip4:192.0.2.1 exp=h0.example.net"))));
    cases.add(limitCase("RFC 7208 4.1: the limit is global across include levels", AuthStatus.PERMERROR,
        "more than 10 DNS-querying terms",
        with(h, "example.com TXT v=spf1 a:h0.example.net include:inc.example.com ip4:192.0.2.1 -all",
            "inc.example.com TXT " + record("a:h%n.example.net", 9, "-all"))));
    cases.add(limitCase("RFC 7208 4.6.4: 2 void lookups are allowed", AuthStatus.PASS, "matched ip4:192.0.2.1",
        "example.com TXT v=spf1 a:void1.example.net mx:void2.example.net ip4:192.0.2.1 -all"));
    cases.add(limitCase("RFC 7208 4.6.4: 3rd void lookup (a, mx, exists) -> permerror", AuthStatus.PERMERROR,
        "more than 2 void DNS lookups",
        "example.com TXT v=spf1 a:void1.example.net mx:void2.example.net exists:void3.example.net ip4:192.0.2.1"));
    cases.add(limitCase("RFC 7208 4.6.4: 3rd void lookup (NODATA counts too) -> permerror", AuthStatus.PERMERROR,
        "more than 2 void DNS lookups", "nodata.example.net EXISTS",
        "example.com TXT v=spf1 a:nodata.example.net exists:nodata.example.net mx:nodata.example.net ip4:192.0.2.1"));
    cases.add(limitCase("RFC 7208 4.6.4: 3rd void lookup (ptr with no PTR record) -> permerror", AuthStatus.PERMERROR,
        "more than 2 void DNS lookups", "example.com TXT v=spf1 ptr a:void1.example.net a:void2.example.net ip4:192.0.2.1"));
    cases.add(limitCase("RFC 7208 4.6.4: a name with only AAAA is not void for an IPv4 client", AuthStatus.PASS,
        "matched ip4:192.0.2.1", "v6only.example.net AAAA 2001:db8::99",
        "example.com TXT v=spf1 a:v6only.example.net a:v6only.example.net a:v6only.example.net ip4:192.0.2.1"));
    cases.add(limitCase("RFC 7208 4.6.4: exp= lookups do not count as void", AuthStatus.FAIL, "matched -all",
        "example.com TXT v=spf1 a:void1.example.net a:void2.example.net exp=void3.example.net -all"));
    List<String> mx10 = new ArrayList<>(h);
    List<String> mx11 = new ArrayList<>(h);
    for (int i = 0; i < 11; i++) {
      if (i < 10) {
        mx10.add("many.example.com MX " + i + " h" + i + ".example.net");
      }
      mx11.add("many.example.com MX " + i + " h" + i + ".example.net");
    }
    mx10.add("many.example.com MX 99 mx.example.com");
    mx10.remove("many.example.com MX 9 h9.example.net");
    mx10.add("mx.example.com A 192.0.2.1");
    mx10.add("example.com TXT v=spf1 mx:many.example.com -all");
    cases.add(limitCase("RFC 7208 4.6.4: 10 MX names are looked up", AuthStatus.PASS, "matched mx:many.example.com",
        mx10));
    mx11.add("example.com TXT v=spf1 mx:many.example.com ip4:192.0.2.1 -all");
    cases.add(limitCase("RFC 7208 4.6.4: 11 MX names -> permerror", AuthStatus.PERMERROR, "11 MX records", mx11));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("limits")
  void limit(String name, List<String> zone, AuthStatus expected, String reasonPart) {
    InMemoryResolver dns = Zone.of(zone.toArray(String[]::new));
    SpfResult r = new SpfChecker(dns).checkHost(InetAddresses.parse(CLIENT), "example.com", "user@example.com", "h");
    assertThat(r.status()).as(r.toString()).isEqualTo(expected);
    assertThat(r.reason()).contains(reasonPart);
  }

  @Test
  void ptrNamesBeyondTheTenthAreIgnored() {
    // RFC 7208 4.6.4: "all records other than the first 10 MUST be ignored" (not permerror).
    List<String> zone = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      zone.add("1.2.0.192.in-addr.arpa PTR p" + i + ".example.com");
      zone.add("p" + i + ".example.com A 192.0.2.1");
    }
    zone.add("tenth.example.com TXT v=spf1 ptr:p9.example.com -all");
    zone.add("eleventh.example.com TXT v=spf1 ptr:p10.example.com -all");
    SpfChecker checker = new SpfChecker(Zone.of(zone.toArray(String[]::new)));
    assertThat(checker.checkHost(InetAddresses.parse(CLIENT), "tenth.example.com", null, "h").status())
        .isEqualTo(AuthStatus.PASS);
    assertThat(checker.checkHost(InetAddresses.parse(CLIENT), "eleventh.example.com", null, "h").status())
        .isEqualTo(AuthStatus.FAIL);
  }

  @Test
  void queriesStayBoundedForAnIncludeLoop() {
    // RFC 7208 11.1: the limits bound the DNS load a hostile record can cause.
    InMemoryResolver dns = Zone.of("a.example.com TXT v=spf1 include:b.example.com -all",
        "b.example.com TXT v=spf1 include:a.example.com -all");
    SpfResult r = new SpfChecker(dns).checkHost(InetAddresses.parse(CLIENT), "a.example.com", null, "h");
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(dns.queries()).hasSizeLessThanOrEqualTo(11);
  }

  @Test
  void mxAddressLookupsPerMechanismAreBounded() {
    List<String> zone = new ArrayList<>(hosts(10));
    for (int i = 0; i < 10; i++) {
      zone.add("ten.example.com MX " + i + " h" + i + ".example.net");
    }
    zone.add("example.com TXT v=spf1 mx:ten.example.com -all");
    InMemoryResolver dns = Zone.of(zone.toArray(String[]::new));
    SpfResult r = new SpfChecker(dns).checkHost(InetAddresses.parse(CLIENT), "example.com", null, "h");
    assertThat(r.status()).isEqualTo(AuthStatus.FAIL);
    // one TXT, one MX and ten A lookups; no exp= and the default explanation needs no DNS
    assertThat(dns.queries()).hasSize(12);
  }
}
