package dev.mailgate.spf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.dns.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The openspf.org SPF test suite (pyspf's copy, see src/test/resources/conformance/spf/) run against
 * {@link SpfChecker#check}, one dynamic test per case, named "test (RFC section ...)" inside a
 * container per scenario.
 *
 * <p>The reference driver accepts any result of a case's list and prefers the first. We are stricter:
 * every case must give the preferred (first) result, except the RFC 4408 cases listed in
 * {@link #RFC7208_CHANGED}.
 *
 * <p>rfc7208-tests.yml must pass completely. rfc4408-tests.yml is the RFC 4408 edition: where RFC 7208
 * changed the answer, that file usually lists both answers, the RFC 4408 one first. Those cases are
 * listed in {@link #RFC7208_CHANGED} with the reason; for them we assert our RFC 7208 answer, and that
 * the RFC 4408 preferred answer differs from it (so the list stays exact). Every other RFC 4408 case
 * must give its preferred result.
 */
class SpfConformanceTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  /** An RFC 4408 case whose preferred result RFC 7208 changed: what we answer instead, and why. */
  record Changed(String rfc7208Result, String reason) {}

  /**
   * rfc4408-tests.yml cases that RFC 7208 answers differently from the RFC 4408 edition's preferred
   * result. Keys are "scenario description / test name". In all ten the RFC 4408 file also accepts our
   * answer as an alternative, and rfc7208-tests.yml prefers it.
   */
  static final Map<String, Changed> RFC7208_CHANGED = Map.ofEntries(
      Map.entry("Record lookup / spfonly", new Changed("none",
          "RFC 7208 3.1 and 4.4 drop the SPF RR type (99): only TXT is queried, and this name has only a type-99 "
              + "record, so there is no policy")),
      Map.entry("Record lookup / txttimeout", new Changed("temperror",
          "RFC 7208 4.4: only TXT is queried and it times out; RFC 4408 could fall back to the type-99 record")),
      Map.entry("Selecting records / spfoverride", new Changed("fail",
          "RFC 7208 3.1 and 4.5: type-99 records no longer override TXT; the TXT record says -all")),
      Map.entry("Selecting records / multitxt1", new Changed("permerror",
          "RFC 7208 4.5: two v=spf1 TXT records are permerror; RFC 4408 let the single type-99 record win")),
      Map.entry("Selecting records / multispf2", new Changed("pass",
          "RFC 7208 3.1: the two conflicting type-99 records are not looked at; the one TXT record says +all")),
      Map.entry("Record evaluation / invalid-domain-empty-label", new Changed("fail",
          "RFC 7208 4.8 leaves a target name with an empty label undefined; we treat it as non-existent (as 4.3 "
              + "does), so the mechanism does not match and -all gives fail, the RFC 7208 suite's preferred result")),
      Map.entry("Record evaluation / invalid-domain-long", new Changed("fail",
          "RFC 7208 4.8 leaves a target name with a label over 63 characters undefined; treated as non-existent, "
              + "the RFC 7208 suite's preferred result")),
      Map.entry("Record evaluation / invalid-domain-long-via-macro", new Changed("fail",
          "RFC 7208 4.8 and 7.3: an over-long label made by macro expansion is undefined; treated as non-existent, "
              + "the RFC 7208 suite's preferred result")),
      Map.entry("EXISTS mechanism syntax / exists-dnserr", new Changed("temperror",
          "RFC 7208 section 5 (and 2.6.6): a DNS timeout while evaluating a mechanism is temperror; RFC 4408 "
              + "left it unclear and preferred no match")),
      Map.entry("Processing limits / mx-limit", new Changed("permerror",
          "RFC 7208 4.6.4 and 5.4: more than 10 MX names is permerror; RFC 4408 did not say, and preferred "
              + "evaluating only the first 10 (neutral)")));

  /**
   * rfc7208-tests.yml cases whose explanation we match only ignoring ASCII case, and why. The suite
   * writes %{ir} of an IPv6 address with upper-case nibbles; RFC 7208 section 7.4 shows them in lower
   * case (the "IPv6: %{ir}.%{v}._spf.%{d2}" example), which is what we produce and what
   * SpfMacroTest checks verbatim. DNS names are case-insensitive, so only this display text differs.
   */
  static final Map<String, String> EXPLANATION_CASE_ONLY = Map.of(
      "Macro expansion rules / v-macro-ip6",
      "suite writes the ip6.arpa nibbles of %{ir} in upper case; RFC 7208 section 7.4 writes them in lower case");

  @TestFactory
  Stream<DynamicNode> rfc7208() {
    return SpfSuite.load("/conformance/spf/rfc7208-tests.yml").stream()
        .map(s -> DynamicContainer.dynamicContainer(s.description(),
            s.cases().stream().map(c -> DynamicTest.dynamicTest(displayName(c), () -> runCase(s, c, null)))));
  }

  @TestFactory
  Stream<DynamicNode> rfc4408() {
    return SpfSuite.load("/conformance/spf/rfc4408-tests.yml").stream()
        .map(s -> DynamicContainer.dynamicContainer("RFC 4408 edition: " + s.description(),
            s.cases().stream().map(c -> {
              Changed changed = RFC7208_CHANGED.get(key(c));
              String name = displayName(c) + (changed == null ? "" : " [RFC 7208 answer: " + changed.rfc7208Result() + "]");
              return DynamicTest.dynamicTest(name, () -> runCase(s, c, changed));
            })));
  }

  private static void runCase(SpfSuite.Scenario scenario, SpfSuite.Case c, Changed changed) {
    SpfChecker checker = SpfChecker.builder(scenario.resolver()).clock(CLOCK).build();
    InetAddress ip = InetAddresses.parse(c.host());
    SpfResult result = checker.check(ip, c.helo(), c.mailFrom());
    String word = result.status().word();
    String context = key(c) + " (" + c.spec() + "): " + result;
    if (changed != null) {
      assertThat(word).as("our RFC 7208 answer for " + context).isEqualTo(changed.rfc7208Result());
      assertThat(c.results().get(0)).as("RFC 4408 preferred result must differ from ours, else drop the case "
          + "from RFC7208_CHANGED: " + context).isNotEqualTo(word);
      return;
    }
    assertThat(c.results()).as("accepted results: " + context).contains(word);
    assertThat(word).as("preferred (first) result: " + context).isEqualTo(c.results().get(0));
    if (c.explanation() != null) {
      String expected = c.explanation().equals("DEFAULT") ? defaultExplanation(c, ip) : c.explanation();
      if (EXPLANATION_CASE_ONLY.containsKey(key(c))) {
        assertThat(result.explanation()).as("explanation, ignoring case: " + context).isEqualToIgnoringCase(expected);
        assertThat(result.explanation()).as("our explanation uses lower-case nibbles: " + context)
            .isEqualTo(expected.toLowerCase(Locale.ROOT));
      } else {
        assertThat(result.explanation()).as("explanation: " + context).isEqualTo(expected);
      }
    }
  }

  /**
   * The suite's "DEFAULT": our default explanation, {@link SpfChecker#DEFAULT_EXPLANATION}
   * ("%{o} does not designate %{c} as a permitted sender"), expanded for this case.
   */
  private static String defaultExplanation(SpfSuite.Case c, InetAddress ip) {
    assertThat(ip).as("DEFAULT explanations in the suite use IPv4 clients").isInstanceOf(Inet4Address.class);
    String from = c.mailFrom().isEmpty() ? c.helo() : c.mailFrom();
    String domain = from.substring(from.lastIndexOf('@') + 1);
    return domain + " does not designate " + ip.getHostAddress() + " as a permitted sender";
  }

  /** A misspelt key in the lists above would silently not apply; every key must name a suite case. */
  @Test
  void everyListedCaseExistsInTheSuites() {
    Set<String> rfc4408 = keys("/conformance/spf/rfc4408-tests.yml");
    Set<String> rfc7208 = keys("/conformance/spf/rfc7208-tests.yml");
    assertThat(rfc4408).containsAll(RFC7208_CHANGED.keySet());
    assertThat(rfc7208).containsAll(EXPLANATION_CASE_ONLY.keySet());
    assertThat(rfc7208).hasSize(203);
    assertThat(rfc4408).hasSize(191);
  }

  private static Set<String> keys(String resource) {
    return SpfSuite.load(resource).stream().flatMap(s -> s.cases().stream()).map(SpfConformanceTest::key)
        .collect(Collectors.toSet());
  }

  private static String key(SpfSuite.Case c) {
    return c.scenario() + " / " + c.name();
  }

  private static String displayName(SpfSuite.Case c) {
    return c.name() + " (RFC section " + c.spec() + ")";
  }
}
