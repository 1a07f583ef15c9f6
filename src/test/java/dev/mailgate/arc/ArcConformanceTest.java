package dev.mailgate.arc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.message.RawMessage;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The published ARC test data in src/test/resources/conformance/arc/ (see the README there): the
 * ValiMail validation suite (171 tests after YAML loading) and signing suite (17 tests), and the two
 * stalwart ARC samples. Where our expectation is not the source's, deviations.yaml says ours and why,
 * and the test checks ours. unused_tests.yml is not run: the suite's own harness does not run it.
 */
class ArcConformanceTest {
  /**
   * The suite's t= values are 12345 to 12349 (1970) and no signature has x=, so nothing in it can
   * expire: any later time fits. The suite's last change (2018-11-23) is used, fixed for determinism.
   */
  private static final Clock SUITE_TIME = Clock.fixed(Instant.parse("2018-11-23T00:00:00Z"), ZoneOffset.UTC);
  /** The stalwart samples' t= go up to 1674137914 (2023-01-19), no x=; verified the day after. */
  private static final Clock STALWART_TIME = Clock.fixed(Instant.parse("2023-01-20T00:00:00Z"), ZoneOffset.UTC);

  private static final String VALIDATION = "arc-draft-validation-tests.yml";
  private static final String SIGNING = "arc-draft-sign-tests.yml";

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> deviations(String suite) {
    Object d = ((Map<String, Object>) ArcSuite.scenarios("deviations.yaml").get(0)).get(suite);
    return d == null ? Map.of() : (Map<String, Map<String, Object>>) d;
  }

  private static String cv(Object value) {
    return value == null ? "" : value.toString().strip().toLowerCase(Locale.ROOT);
  }

  @TestFactory
  Stream<DynamicTest> validationSuite() {
    Map<String, Map<String, Object>> deviations = deviations("validation");
    List<DynamicTest> tests = new ArrayList<>();
    for (Map<String, Object> scenario : ArcSuite.scenarios(VALIDATION)) {
      InMemoryResolver dns = ArcSuite.resolver(scenario);
      ArcValidator validator = new ArcValidator(dns, SUITE_TIME);
      ArcSuite.tests(scenario).forEach((name, test) -> {
        String source = cv(test.get("cv"));
        Map<String, Object> deviation = deviations.get(name);
        String expected = deviation == null ? source : cv(deviation.get("ours"));
        String label = scenario.get("description") + ": " + name + " (" + test.get("description") + ") -> "
            + expected + (deviation == null ? "" : " [deviation: suite says '" + source + "']");
        tests.add(dynamicTest(label, () -> {
          if (deviation != null) {
            assertThat(source).as("deviations.yaml source for " + name).isEqualTo(cv(deviation.get("source")));
          }
          ArcResult r = validator.validate(ArcSuite.message(test));
          assertThat(r.status().word()).as(r.reason()).isEqualTo(expected);
        }));
      });
    }
    return tests.stream();
  }

  @Test
  void validationSuiteHas171TestsAndEveryDeviationNamesOne() {
    Set<String> names = new HashSet<>();
    int count = 0;
    for (Map<String, Object> scenario : ArcSuite.scenarios(VALIDATION)) {
      count += ArcSuite.tests(scenario).size();
      names.addAll(ArcSuite.tests(scenario).keySet());
    }
    // 175 entries in the text, 4 duplicate keys in "Arc Seal Fields" (the later copy wins).
    assertThat(count).isEqualTo(171);
    assertThat(names).hasSize(171).containsAll(deviations("validation").keySet());
  }

  /**
   * Signing: each test seals its message with the scenario's key, at t=, over sig-headers, with the
   * results of the message's Authentication-Results fields for srv-id (the SCHEMA-README's merging
   * rule), after validating the existing chain. AS, AMS and AAR are compared as sets of tag=value
   * items with all whitespace deleted, as the suite's harness does; an empty expectation means no
   * set. Both signatures use RSA PKCS#1 v1.5, which is deterministic, so b= must match exactly.
   */
  @TestFactory
  Stream<DynamicTest> signingSuite() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    assertThat(deviations("signing")).isEmpty();
    for (Map<String, Object> scenario : ArcSuite.scenarios(SIGNING)) {
      InMemoryResolver dns = ArcSuite.resolver(scenario);
      PrivateKey key = ArcSuite.rsaPrivateKey((String) scenario.get("privatekey"));
      String domain = (String) scenario.get("domain");
      String selector = (String) scenario.get("sel");
      ArcSuite.tests(scenario).forEach((name, test) -> tests.add(dynamicTest(
          scenario.get("description") + ": " + name + " (" + test.get("description") + ")", () -> {
            RawMessage message = ArcSuite.message(test);
            long t = ((Number) test.get("t")).longValue();
            String srvId = (String) test.get("srv-id");
            ArcSealer sealer = ArcSealer.builder(domain, selector, key)
                .headers(List.of(((String) test.get("sig-headers")).split(":")))
                .clock(Clock.fixed(Instant.ofEpochSecond(t), ZoneOffset.UTC))
                .build();
            ArcResult chain = new ArcValidator(dns, SUITE_TIME).validate(message);
            Optional<ArcSet> set = sealer.seal(message, chain, srvId, ArcSuite.mergedResults(message, srvId));
            if (((String) test.get("AS")).isBlank()) {
              assertThat(set).as("no ARC Set expected (%s)", chain.reason()).isEmpty();
              return;
            }
            assertThat(set).as(chain.reason()).isPresent();
            assertThat(items(set.get().seal())).as("ARC-Seal").isEqualTo(items((String) test.get("AS")));
            assertThat(items(set.get().messageSignature())).as("ARC-Message-Signature")
                .isEqualTo(items((String) test.get("AMS")));
            assertThat(items(set.get().authenticationResults())).as("ARC-Authentication-Results")
                .isEqualTo(items((String) test.get("AAR")));
            // And the sealed message validates: pass after a valid chain or none, fail after a failed one.
            ArcResult after = new ArcValidator(dns, SUITE_TIME).validate(RawMessage.parse(set.get().prependTo(message)));
            AuthStatus expected = chain.status() == AuthStatus.FAIL ? AuthStatus.FAIL : AuthStatus.PASS;
            assertThat(after.status()).as(after.reason()).isEqualTo(expected);
            assertThat(after.instances()).isEqualTo(chain.instances() + 1);
          })));
    }
    assertThat(tests).hasSize(17);
    return tests.stream();
  }

  /** The suite's comparison: the value split at ';', all whitespace deleted, as a set. */
  private static Set<String> items(String field) {
    String value = field;
    int colon = field.indexOf(':');
    if (colon > 0 && field.substring(0, colon).toLowerCase(Locale.ROOT).startsWith("arc-")) {
      value = field.substring(colon + 1);
    }
    Set<String> out = new HashSet<>();
    for (String item : value.split(";")) {
      String s = item.replaceAll("\\s+", "");
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  @Test
  void stalwart001RealGoogleChainPasses() {
    ArcResult r = new ArcValidator(ArcSuite.recordList("stalwart-mail-auth/001.dns.txt"), STALWART_TIME)
        .validate(RawMessage.parse(ArcSuite.bytes("stalwart-mail-auth/001.eml")));
    assertThat(r.status()).as(r.reason()).isEqualTo(AuthStatus.PASS);
    assertThat(r.instances()).isEqualTo(1);
    assertThat(r.sealers()).containsExactly(new ArcResult.Sealer(1, "google.com", "arc-20160816"));
  }

  /**
   * 002: i=1 sealed with ed25519-sha256 (the RFC 8463 key), i=2 with rsa-sha256. Optional per the
   * README (dkimpy rejects Ed25519 in ARC). RFC 8617 section 5.2 imports DKIM's "signature validation
   * methods", and RFC 8463 added ed25519-sha256 to DKIM, so we accept it, and the chain passes, as
   * stalwart expects.
   */
  @Test
  void stalwart002Ed25519SealPasses() {
    ArcResult r = new ArcValidator(ArcSuite.recordList("stalwart-mail-auth/002.dns.txt"), STALWART_TIME)
        .validate(RawMessage.parse(ArcSuite.bytes("stalwart-mail-auth/002.eml")));
    assertThat(r.status()).as(r.reason()).isEqualTo(AuthStatus.PASS);
    assertThat(r.sealerDomains()).containsExactly("scamorza.org", "manchego.org");
  }
}
