package dev.mailgate.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.dns.RecordType;
import dev.mailgate.spf.SpfResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Test cases for DMARC evaluation: a zone in a one-line-per-record notation, the message's identifiers,
 * the expected result as key=value pairs, and optionally the exact DNS query sequence.
 *
 * <p>Zone lines: {@code TXT <name> <value>}, {@code A <name> <ip>}, {@code AAAA <name> <ip>},
 * {@code MX <name> <host>}, {@code TIMEOUT <name> [TYPE]}, {@code SERVFAIL <name> [TYPE]}.
 *
 * <p>Expectation keys: status, policyDomain, org, tag, policy, effective, disposition, spf (y/n), dkim
 * (y/n), dkimDomain, overrides (comma-separated types); "-" means null / none.
 */
final class Fixture {
  private Fixture() {}

  static final class Case {
    final String name;
    final List<String> zone = new ArrayList<>();
    String author = "example.com";
    SpfResult spf;
    final List<DkimIdentifier> dkim = new ArrayList<>();
    ArcInfo arc = ArcInfo.NONE;
    String expect = "";
    List<String> queries;
    DmarcOptions options = DmarcOptions.defaults();

    Case(String name) {
      this.name = name;
    }

    Case zone(String... lines) {
      zone.addAll(Arrays.asList(lines));
      return this;
    }

    Case author(String d) {
      author = d;
      return this;
    }

    Case spfPass(String domain) {
      spf = Fixture.spf(AuthStatus.PASS, domain);
      return this;
    }

    Case spf(SpfResult r) {
      spf = r;
      return this;
    }

    Case dkimPass(String... domains) {
      for (String d : domains) {
        dkim.add(DkimIdentifier.pass(d, "s1"));
      }
      return this;
    }

    Case dkim(String domain, AuthStatus status) {
      dkim.add(new DkimIdentifier(domain, status, "s1"));
      return this;
    }

    Case arc(boolean pass, String... sealers) {
      arc = new ArcInfo(pass, List.of(sealers));
      return this;
    }

    Case options(DmarcOptions o) {
      options = o;
      return this;
    }

    Case rfc7489() {
      options = options.withMode(DmarcMode.RFC7489).withPublicSuffixList(Fixture::psl);
      return this;
    }

    Case expect(String e) {
      expect = e;
      return this;
    }

    /** The exact TXT/A/AAAA/MX queries, as "TYPE name", in order. */
    Case queries(String... q) {
      queries = List.of(q);
      return this;
    }

    /** Runs the case and checks every expectation. */
    DmarcResult check() {
      InMemoryResolver dns = resolver(zone);
      DmarcResult r = new DmarcEvaluator(dns, options).evaluate(author, spf, dkim, arc);
      Map<String, String> got = summary(r);
      for (String pair : expect.trim().split("\\s+")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        assertThat(got).as("expectation %s", pair).containsKey(pair.substring(0, eq));
        assertThat(got.get(pair.substring(0, eq))).as("%s (reason: %s)", pair.substring(0, eq), r.reason())
            .isEqualTo(pair.substring(eq + 1));
      }
      if (queries != null) {
        assertThat(dns.queries()).as("DNS queries (reason: %s)", r.reason()).containsExactlyElementsOf(queries);
      }
      return r;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Case c(String name) {
    return new Case(name);
  }

  static SpfResult spf(AuthStatus status, String domain) {
    return new SpfResult(status, SpfResult.Identity.MAILFROM, domain, "bounce@" + domain, null, null, "test");
  }

  /** The SPF result for a null reverse-path: the HELO identity, postmaster@HELO (RFC 7208 2.4). */
  static SpfResult heloSpf(AuthStatus status, String helo) {
    return new SpfResult(status, SpfResult.Identity.HELO, helo, "postmaster@" + helo, null, null, "test");
  }

  private static PublicSuffixList psl;

  static synchronized PublicSuffixList psl() {
    if (psl == null) {
      try (var in = Fixture.class.getResourceAsStream("/conformance/psl/public_suffix_list.dat")) {
        psl = PublicSuffixList.parse(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return psl;
  }

  static InMemoryResolver resolver(List<String> zone) {
    InMemoryResolver.Builder b = InMemoryResolver.builder();
    for (String line : zone) {
      String[] f = line.split(" ", 3);
      switch (f[0]) {
        case "TXT" -> b.txt(f[1], f[2]);
        case "A", "AAAA" -> b.address(f[1], f[2]);
        case "MX" -> b.mx(f[1], 10, f[2]);
        case "TIMEOUT" -> b.timeout(f[1], types(f));
        case "SERVFAIL" -> b.servfail(f[1], types(f));
        default -> throw new IllegalArgumentException("zone line: " + line);
      }
    }
    return b.build();
  }

  private static RecordType[] types(String[] f) {
    return f.length < 3 ? new RecordType[0] : new RecordType[] {RecordType.valueOf(f[2])};
  }

  static Map<String, String> summary(DmarcResult r) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("status", r.status().word());
    m.put("domain", dash(r.domain()));
    m.put("policyDomain", dash(r.policyDomain()));
    m.put("org", dash(r.organizationalDomain()));
    m.put("tag", r.policyTag() == null ? "-" : r.policyTag().tag());
    m.put("policy", r.policy() == null ? "-" : r.policy().word());
    m.put("effective", r.effectivePolicy() == null ? "-" : r.effectivePolicy().word());
    m.put("disposition", r.disposition().word());
    m.put("spf", r.spfAligned() ? "y" : "n");
    m.put("dkim", r.dkimAligned() ? "y" : "n");
    m.put("dkimDomain", dash(r.alignedDkimDomain()));
    m.put("overrides", r.overrides().isEmpty() ? "-"
        : r.overrides().stream().map(o -> o.type().word()).collect(Collectors.joining(",")));
    return m;
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }
}
