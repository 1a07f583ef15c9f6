package dev.mailgate.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.message.HeaderField;
import dev.mailgate.message.RawMessage;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.SignatureException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The published DKIM test data in src/test/resources/conformance/dkim/ (see the README there), one
 * dynamic test per case. Every case of every suite is listed; where our expectation is not the
 * source's, deviations.yaml says ours and why, and the test checks ours.
 */
class DkimConformanceTest {
  /** Mail::DKIM's corpus has no time of its own; any fixed time after its signatures works. */
  private static final Clock MAIL_DKIM_TIME = Clock.fixed(Instant.parse("2024-11-14T00:00:00Z"), ZoneOffset.UTC);
  /** dkimpy's signatures have no x=; a fixed time keeps the run deterministic. */
  private static final Clock DKIMPY_TIME = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> deviations(String suite) {
    Object d = ConformanceData.yaml("deviations.yaml").get(suite);
    return d == null ? Map.of() : (Map<String, Map<String, Object>>) d;
  }

  private static List<AuthStatus> statuses(List<DkimResult> results) {
    return results.stream().map(DkimResult::status).toList();
  }

  private static List<AuthStatus> words(List<?> words) {
    return words.stream().map(w -> AuthStatus.fromWord(String.valueOf(w))).toList();
  }

  @TestFactory
  @SuppressWarnings("unchecked")
  Stream<DynamicTest> rfc8463AppendixA() {
    Map<String, Object> spec = ConformanceData.yaml("rfc8463/expected.yaml");
    InMemoryResolver dns = ConformanceData.resolver("rfc8463/" + spec.get("dns"));
    RawMessage msg = ConformanceData.message("rfc8463/" + spec.get("message"));
    List<DkimResult> results = new DkimVerifier(dns, DKIMPY_TIME).verify(msg);
    List<Map<String, Object>> sigs = (List<Map<String, Object>>) spec.get("signatures");
    return sigs.stream().map(s -> dynamicTest(
        "RFC 8463 A.3 signature " + s.get("index") + " (" + s.get("a") + ", s=" + s.get("s") + ") -> " + s.get("expected"),
        () -> {
          assertThat(results).hasSize(sigs.size());
          DkimResult r = results.get((Integer) s.get("index"));
          assertThat(r.status()).as(r.reason()).isEqualTo(AuthStatus.fromWord((String) s.get("expected")));
          assertThat(r.algorithm()).isEqualTo(s.get("a"));
          assertThat(r.selector()).isEqualTo(s.get("s"));
          assertThat(r.domain()).isEqualTo(s.get("d"));
        }));
  }

  @TestFactory
  @SuppressWarnings("unchecked")
  Stream<DynamicTest> dkimpy() {
    Map<String, Object> spec = ConformanceData.yaml("dkimpy/expected.yaml");
    assertThat(deviations("dkimpy")).isEmpty();
    List<Map<String, Object>> cases = (List<Map<String, Object>>) spec.get("cases");
    return cases.stream().map(c -> {
      String dnsFile = (String) c.getOrDefault("dns", "dns-records.txt");
      List<String> expected = (List<String>) c.get("expected");
      return dynamicTest("dkimpy " + c.get("message") + " with " + dnsFile + " -> " + expected, () -> {
        InMemoryResolver dns = ConformanceData.resolver("dkimpy/" + dnsFile);
        List<DkimResult> results = new DkimVerifier(dns, DKIMPY_TIME)
            .verify(ConformanceData.message("dkimpy/" + c.get("message")));
        assertThat(results).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
          DkimResult r = results.get(i);
          if (expected.get(i).equals("fail-or-permerror")) {
            assertThat(r.status()).as(r.reason()).isIn(AuthStatus.FAIL, AuthStatus.PERMERROR);
          } else {
            assertThat(r.status()).as(r.reason()).isEqualTo(AuthStatus.fromWord(expected.get(i)));
          }
        }
      });
    });
  }

  @TestFactory
  @SuppressWarnings("unchecked")
  Stream<DynamicTest> stalwartAtFixedTime() {
    Map<String, Object> spec = ConformanceData.yaml("stalwart-mail-auth/expected.yaml");
    assertThat(deviations("stalwart-mail-auth")).isEmpty();
    long time = ((Number) spec.get("verify_time")).longValue();
    assertThat(time).isEqualTo(1667843664L);
    Clock clock = Clock.fixed(Instant.ofEpochSecond(time), ZoneOffset.UTC);
    List<Map<String, Object>> cases = (List<Map<String, Object>>) spec.get("cases");
    return cases.stream().map(c -> {
      List<String> expected = (List<String>) c.get("expected");
      return dynamicTest("stalwart " + c.get("message") + " at " + time + " -> " + expected, () -> {
        InMemoryResolver dns = ConformanceData.resolver("stalwart-mail-auth/" + c.get("dns"));
        List<DkimResult> results = new DkimVerifier(dns, clock)
            .verify(ConformanceData.message("stalwart-mail-auth/" + c.get("message")));
        assertThat(statuses(results)).as(results.toString()).isEqualTo(words(expected));
      });
    });
  }

  @Test
  void stalwart005ExpiresAfterItsXTag() {
    // The same message a second after x=1667930064: expired (the reason the suite fixes the time).
    Clock later = Clock.fixed(Instant.ofEpochSecond(1667930065L), ZoneOffset.UTC);
    List<DkimResult> results = new DkimVerifier(ConformanceData.resolver("stalwart-mail-auth/005.dns.txt"), later)
        .verify(ConformanceData.message("stalwart-mail-auth/005.eml"));
    assertThat(statuses(results)).containsExactly(AuthStatus.PERMERROR);
    assertThat(results.get(0).reason()).contains("signature expired");
  }

  /** Reasons we expect for the Mail::DKIM cases that agree with the source, from its test comments. */
  private static final Map<String, String> MAIL_DKIM_REASONS = Map.of(
      "corpus/goodkey_ed25519.eml", "signature verified",
      "corpus/badkey1_ed25519.eml", "must be 32 bytes", // "key has invalid length"
      "corpus/badkey2_ed25519.eml", "signature did not verify", // "header modified"
      "corpus/badkey3_ed25519.eml", "body hash did not verify", // "body modified"
      "corpus/badkey4_ed25519.eml", "no key for signature", // "missing key"
      "corpus/badkey5_ed25519.eml", "no p= tag", // "empty key"
      "corpus/badkey_11.eml", "inappropriate hash algorithm", // "public key unmatched h= tag"
      "corpus/ignore_1.eml", "incompatible version v=5"); // "unsupported v= tag (v=5)"

  @TestFactory
  @SuppressWarnings("unchecked")
  Stream<DynamicTest> mailDkimCorpus() {
    Map<String, Map<String, Object>> deviations = deviations("mail-dkim");
    InMemoryResolver dns = ConformanceData.resolver("mail-dkim/dns-records.txt");
    DkimVerifier verifier = new DkimVerifier(dns, MAIL_DKIM_TIME);
    List<Map<String, Object>> cases = (List<Map<String, Object>>) ConformanceData.yaml("mail-dkim/expected.yaml").get("cases");
    assertThat(cases).hasSize(57);
    Set<String> files = new HashSet<>();
    List<DynamicTest> tests = new ArrayList<>();
    for (Map<String, Object> c : cases) {
      String file = (String) c.get("file");
      files.add(file);
      String source = (String) c.get("mail_dkim_result");
      Map<String, Object> dev = deviations.get(file);
      if (dev != null) {
        List<AuthStatus> ours = words((List<?>) dev.get("ours"));
        tests.add(dynamicTest("Mail::DKIM " + file + ": source " + source + ", ours " + ours + " (" + dev.get("kind") + ")",
            () -> {
              List<DkimResult> results = verifier.verify(ConformanceData.message("mail-dkim/" + file));
              assertThat(statuses(results)).as(results.toString()).isEqualTo(ours);
              assertThat((String) dev.get("why")).isNotBlank();
              List<String> reasons = (List<String>) dev.get("reasons");
              for (int i = 0; i < results.size(); i++) {
                String want = reasons != null ? reasons.get(i) : (String) dev.get("reason");
                assertThat(results.get(i).reason()).contains(want);
              }
            }));
      } else {
        // Mail::DKIM "invalid" is RFC 8601 permerror, or temperror for its DNS-error cases (README).
        AuthStatus expected = switch (source) {
          case "pass" -> AuthStatus.PASS;
          case "fail" -> AuthStatus.FAIL;
          case "invalid" -> file.contains("badkey_14") || file.contains("badkey_15") ? AuthStatus.TEMPERROR : AuthStatus.PERMERROR;
          default -> throw new IllegalArgumentException(source);
        };
        tests.add(dynamicTest("Mail::DKIM " + file + " -> " + expected + " (" + c.getOrDefault("source_comment", "") + ")",
            () -> {
              List<DkimResult> results = verifier.verify(ConformanceData.message("mail-dkim/" + file));
              assertThat(overall(results)).as(results.toString()).isEqualTo(expected);
              String reason = MAIL_DKIM_REASONS.get(file);
              assertThat(reason).as("every agreeing case states the reason we expect").isNotNull();
              assertThat(results).allSatisfy(r -> assertThat(r.reason()).contains(reason));
            }));
      }
    }
    tests.add(dynamicTest("deviations.yaml names only cases of the suite", () ->
        assertThat(files).containsAll(deviations.keySet())));
    return tests.stream();
  }

  /**
   * Most of the Mail::DKIM corpus is rsa-sha1, 512/768-bit keys or pre-RFC versions, which our verifier
   * rejects by policy (RFC 8301) before any cryptography. To still use those third-party signatures as
   * a check of our canonicalization, header selection and b= removal, this recomputes each
   * signature with the building blocks (SignedHeaders, BodyHasher) and the legacy hash, bypassing only
   * the policy checks: every message the source calls pass must have a signature whose body hash and
   * signature both verify, and every message it calls fail must have none.
   */
  @TestFactory
  @SuppressWarnings("unchecked")
  Stream<DynamicTest> mailDkimCorpusCryptographyWithOurCanonicalization() {
    InMemoryResolver dns = ConformanceData.resolver("mail-dkim/dns-records.txt");
    List<Map<String, Object>> cases = (List<Map<String, Object>>) ConformanceData.yaml("mail-dkim/expected.yaml").get("cases");
    return cases.stream()
        .filter(c -> !c.get("mail_dkim_result").equals("invalid"))
        .filter(c -> ((List<Map<String, Object>>) c.get("signatures")).stream().allMatch(s -> s.get("a") == null || String.valueOf(s.get("a")).startsWith("rsa-")))
        .map(c -> {
          String file = (String) c.get("file");
          boolean pass = c.get("mail_dkim_result").equals("pass");
          return dynamicTest("Mail::DKIM " + file + " (legacy crypto) -> " + (pass ? "a signature verifies" : "no signature verifies"), () -> {
            RawMessage m = ConformanceData.message("mail-dkim/" + file);
            boolean any = false;
            for (HeaderField field : m.headers(DkimVerifier.FIELD_NAME)) {
              any |= legacyVerifies(m, field, dns);
            }
            assertThat(any).isEqualTo(pass);
          });
        });
  }

  private static boolean legacyVerifies(RawMessage m, HeaderField field, InMemoryResolver dns) throws Exception {
    DkimSignature sig = DkimSignature.parse(field);
    TagList t = sig.tags();
    if (!t.isValid() || t.get("a") == null || t.get("b") == null || t.get("bh") == null) {
      return false;
    }
    boolean sha1 = t.get("a").equals("rsa-sha1");
    String c = t.get("c", "simple/simple");
    Canonicalization hc = Canonicalization.fromTag(c.contains("/") ? c.substring(0, c.indexOf('/')) : c);
    Canonicalization bc = c.contains("/") ? Canonicalization.fromTag(c.substring(c.indexOf('/') + 1)) : Canonicalization.SIMPLE;
    if (hc == null || bc == null) {
      return false;
    }
    BodyHash bh = BodyHasher.hash(bc, MessageDigest.getInstance(sha1 ? "SHA-1" : "SHA-256"), BodyHasher.NO_LIMIT,
        m.bytes(), m.bodyOffset(), m.bodyLength());
    byte[] b = DkimSignature.decodeBase64(t.get("b"));
    if (b == null || !Arrays.equals(bh.digest(), DkimSignature.decodeBase64(t.get("bh")))) {
      return false;
    }
    for (String txt : dns.txt(DkimKeyRecord.dnsName(t.get("s"), t.get("d")))) {
      DkimKeyRecord key = DkimKeyRecord.parse(txt);
      if (key.publicKey() == null) {
        continue;
      }
      ByteBuilder data = SignedHeaders.headerData(m.headers(), TagList.splitColonList(t.get("h")), hc, sig.fieldWithoutSignature());
      Signature s = Signature.getInstance(sha1 ? "SHA1withRSA" : "SHA256withRSA");
      s.initVerify(key.publicKey());
      s.update(data.array(), 0, data.length());
      try {
        if (s.verify(b)) {
          return true;
        }
      } catch (SignatureException e) {
        // wrong length: does not verify
      }
    }
    return false;
  }

  /** The message-level word Mail::DKIM reports: the best signature result. */
  private static AuthStatus overall(List<DkimResult> results) {
    for (AuthStatus s : List.of(AuthStatus.PASS, AuthStatus.FAIL, AuthStatus.TEMPERROR, AuthStatus.PERMERROR)) {
      if (results.stream().anyMatch(r -> r.status() == s)) {
        return s;
      }
    }
    return AuthStatus.NONE;
  }
}
