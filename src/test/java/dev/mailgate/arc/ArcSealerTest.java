package dev.mailgate.arc;

import static dev.mailgate.arc.ArcFixtures.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.message.HeaderField;
import dev.mailgate.message.RawMessage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sealing (RFC 8617 section 5.1) and the round trip through validation (section 5.2). */
class ArcSealerTest {
  private final InMemoryResolver dns = ArcFixtures.dns().build();
  private final ArcValidator validator = new ArcValidator(dns, CLOCK);

  @Test
  void rfc8617_5_1_firstSealHasInstance1AndCvNoneAndValidates() throws Exception {
    RawMessage original = ArcFixtures.message(ArcFixtures.MESSAGE);
    ArcResult before = validator.validate(original);
    assertThat(before.status()).isEqualTo(AuthStatus.NONE);

    ArcSet set = ArcFixtures.listSealer().seal(original, before, "mx.list.example", "spf=pass smtp.mailfrom=a.example")
        .orElseThrow();
    assertThat(set.instance()).isEqualTo(1);
    assertThat(set.seal()).startsWith("ARC-Seal: a=rsa-sha256; b=").contains("cv=none; d=list.example; i=1; s=rsa; t=1795867200");
    assertThat(set.messageSignature()).startsWith("ARC-Message-Signature: a=rsa-sha256; b=")
        .contains("c=relaxed/relaxed;", "h=from:to:subject:date:message-id:mime-version;", "i=1; s=rsa; t=1795867200");
    assertThat(set.authenticationResults())
        .isEqualTo("ARC-Authentication-Results: i=1; mx.list.example;\r\n\tspf=pass smtp.mailfrom=a.example");

    ArcResult after = validator.validate(RawMessage.parse(set.prependTo(original)));
    assertThat(after.status()).as(after.reason()).isEqualTo(AuthStatus.PASS);
    assertThat(after.instances()).isEqualTo(1);
    assertThat(after.oldestPass()).isZero();
    assertThat(after.sealers()).containsExactly(new ArcResult.Sealer(1, "list.example", "rsa"));
    assertThat(after.authResults()).containsExactly("mx.list.example; spf=pass smtp.mailfrom=a.example");
  }

  @Test
  void roundTrip_forwarderChangesTheBody_chainStillPasses_oldestPassIs2() throws Exception {
    RawMessage sealed1 = ArcFixtures.seal(ArcFixtures.message(ArcFixtures.MESSAGE), ArcFixtures.listSealer(), dns,
        "mx.list.example");
    // A forwarder adds a footer, which breaks AMS(1) (it covers the body), then seals with its own key.
    RawMessage changed = ArcFixtures.withFooter(sealed1, "--\nSent through the forwarder\n");
    ArcResult beforeSecond = validator.validate(changed);
    assertThat(beforeSecond.status()).as("the newest AMS, AMS(1), no longer verifies").isEqualTo(AuthStatus.FAIL);
    assertThat(beforeSecond.reason()).contains("ARC-Message-Signature i=1: body hash did not verify");

    // The forwarder received the message intact, so its own validation said pass; it seals with cv=pass.
    ArcResult atForwarder = validator.validate(sealed1);
    assertThat(atForwarder.status()).isEqualTo(AuthStatus.PASS);
    ArcSet set2 = ArcFixtures.forwardSealer().seal(changed, atForwarder, "mx.forward.example", "arc=pass").orElseThrow();
    assertThat(set2.instance()).isEqualTo(2);
    assertThat(set2.seal()).contains("a=ed25519-sha256;", "cv=pass;", "i=2;");
    RawMessage sealed2 = RawMessage.parse(set2.prependTo(changed));

    ArcResult r = validator.validate(sealed2);
    assertThat(r.status()).as(r.reason()).isEqualTo(AuthStatus.PASS);
    assertThat(r.instances()).isEqualTo(2);
    // RFC 8617 section 5.2 step 5: AMS(1) fails, so the oldest AMS that still verifies is i=2.
    assertThat(r.oldestPass()).isEqualTo(2);
    assertThat(r.reason()).contains("oldest-pass=2", "ARC-Message-Signature i=1: body hash did not verify");
    assertThat(r.sealerDomains()).containsExactly("list.example", "forward.example");
  }

  @Test
  void roundTrip_threeHopsUnchanged_oldestPassIs0() throws Exception {
    RawMessage m = ArcFixtures.message(ArcFixtures.MESSAGE);
    m = ArcFixtures.seal(m, ArcFixtures.listSealer(), dns, "mx.list.example");
    m = ArcFixtures.seal(m, ArcFixtures.forwardSealer(), dns, "mx.forward.example");
    m = ArcFixtures.seal(m, ArcFixtures.thirdSealer(), dns, "mx.third.example");
    ArcResult r = validator.validate(m);
    assertThat(r.status()).as(r.reason()).isEqualTo(AuthStatus.PASS);
    assertThat(r.instances()).isEqualTo(3);
    assertThat(r.oldestPass()).isZero(); // RFC 8617 section 6: 0 when all AMSs verify
    assertThat(r.sealers()).extracting(ArcResult.Sealer::instance).containsExactly(1, 2, 3);
    assertThat(r.authResults().get(1)).isEqualTo("mx.forward.example; arc=pass; spf=pass smtp.mailfrom=football.example.com");
  }

  /** Tampering with any part of a sealed ARC Set, or with the set order, breaks the chain. */
  @ParameterizedTest(name = "RFC 8617 5.2 step 6: {0} -> fail")
  @ValueSource(strings = {"seal b=", "seal cv=", "seal t=", "AAR of i=1", "AMS of i=1 h=", "seal d="})
  void tamperingWithASealFails(String what) throws Exception {
    RawMessage m = ArcFixtures.seal(ArcFixtures.message(ArcFixtures.MESSAGE), ArcFixtures.listSealer(), dns,
        "mx.list.example");
    m = ArcFixtures.seal(m, ArcFixtures.forwardSealer(), dns, "mx.forward.example");
    assertThat(validator.validate(m).status()).isEqualTo(AuthStatus.PASS);
    String seal1 = field(m, "ARC-Seal", 1);
    RawMessage tampered = switch (what) {
      case "seal b=" -> {
        int b = seal1.indexOf(" b=") + 3;
        char c = seal1.charAt(b + 10);
        yield ArcFixtures.replace(m, seal1, seal1.substring(0, b + 10) + (c == 'A' ? 'B' : 'A') + seal1.substring(b + 11));
      }
      case "seal cv=" -> ArcFixtures.replace(m, "cv=pass", "cv=none");
      case "seal t=" -> ArcFixtures.replace(m, seal1, seal1.replace("t=1795867200", "t=1795867201"));
      case "AAR of i=1" -> ArcFixtures.replace(m, "i=1; mx.list.example;", "i=1; mx.list.example; dmarc=pass;");
      case "AMS of i=1 h=" -> ArcFixtures.replace(m, "i=1; s=rsa", "i=1;  s=rsa; x=1");
      case "seal d=" -> ArcFixtures.replace(m, seal1, seal1.replace("d=list.example", "d=forward.example"));
      default -> throw new IllegalArgumentException(what);
    };
    ArcResult r = validator.validate(tampered);
    assertThat(r.status()).as(r.reason()).isEqualTo(AuthStatus.FAIL);
  }

  @Test
  void rfc8617_5_1_2_sealingAFailedChainSetsCvFailAndSignsOnlyTheNewSet() throws Exception {
    RawMessage m = ArcFixtures.seal(ArcFixtures.message(ArcFixtures.MESSAGE), ArcFixtures.listSealer(), dns,
        "mx.list.example");
    RawMessage broken = ArcFixtures.withFooter(m, "tampered\n");
    ArcResult chain = validator.validate(broken);
    assertThat(chain.status()).isEqualTo(AuthStatus.FAIL);

    ArcSet set = ArcFixtures.forwardSealer().seal(broken, chain, "mx.forward.example", "arc=fail").orElseThrow();
    assertThat(set.instance()).isEqualTo(2);
    assertThat(set.seal()).contains("cv=fail;");
    RawMessage sealed = RawMessage.parse(set.prependTo(broken));
    // The seal covers the new set alone: it verifies with the old sets removed from the message...
    ArcChain c = ArcChain.collect(sealed.headers());
    assertThat(ArcSealerTest.verifySealAlone(c, 2)).isTrue();
    // ... and the chain is fail from now on (section 5.2 step 2), so the next sealer adds nothing (5.1 step 2).
    ArcResult after = validator.validate(sealed);
    assertThat(after.status()).isEqualTo(AuthStatus.FAIL);
    assertThat(after.reason()).contains("reports cv=fail");
    Optional<ArcSet> third = ArcFixtures.thirdSealer().seal(sealed, after, "mx.third.example", "arc=fail");
    assertThat(third).isEmpty();
  }

  /** Verifies seal {@code i} over its own set only, as section 5.1.2 prescribes for cv=fail. */
  static boolean verifySealAlone(ArcChain chain, int i) throws Exception {
    ArcChain.Set s = chain.set(i);
    dev.mailgate.dkim.ByteBuilder data = new dev.mailgate.dkim.ByteBuilder();
    ArcChain.appendField(data, s.aar().field().raw());
    ArcChain.appendField(data, s.ams().field.raw());
    dev.mailgate.dkim.Canonicalization.RELAXED.canonicalizeHeader(s.seal().fieldWithoutSignature(), data);
    return s.seal().algorithm.verify(ArcFixtures.ED25519.getPublic(), data.array(), data.length(), s.seal().signature);
  }

  @Test
  void rfc8617_4_2_1_noFiftyFirstSet() throws Exception {
    RawMessage m = ArcFixtures.message(ArcFixtures.MESSAGE);
    ArcSealer sealer = ArcFixtures.thirdSealer(); // RSA 1024: the fastest to verify 50 times over
    for (int i = 1; i <= 50; i++) {
      m = ArcFixtures.seal(m, sealer, dns, "mx.third.example");
    }
    ArcResult r = validator.validate(m);
    assertThat(r.status()).as(r.reason()).isEqualTo(AuthStatus.PASS);
    assertThat(r.instances()).isEqualTo(50);
    assertThat(sealer.seal(m, r, "mx.third.example", "arc=pass")).isEmpty();
  }

  @Test
  void rfc8601_noResultsGiveNone_andFoldingIsRedoneBetweenResinfos() throws Exception {
    RawMessage m = ArcFixtures.message(ArcFixtures.MESSAGE);
    ArcResult none = validator.validate(m);
    ArcSealer s = ArcFixtures.listSealer();
    assertThat(s.seal(m, none, "mx.example", " ").orElseThrow().authenticationResults())
        .isEqualTo("ARC-Authentication-Results: i=1; mx.example; none");
    String folded = "spf=pass\r\n   smtp.mailfrom=a.example; dkim=pass (a comment; with a semicolon)\r\n header.d=a.example;";
    assertThat(s.seal(m, none, "mx.example", folded).orElseThrow().authenticationResults()).isEqualTo(
        "ARC-Authentication-Results: i=1; mx.example;\r\n\tspf=pass smtp.mailfrom=a.example;"
            + "\r\n\tdkim=pass (a comment; with a semicolon) header.d=a.example");
  }

  @Test
  void nonAsciiResultsAreWrittenAsUtf8() throws Exception {
    RawMessage m = ArcFixtures.message(ArcFixtures.MESSAGE);
    ArcSet set = ArcFixtures.listSealer().seal(m, validator.validate(m), "mx.example", "dmarc=pass header.from=bücher.example")
        .orElseThrow();
    RawMessage sealed = RawMessage.parse(set.prependTo(m));
    HeaderField aar = sealed.header("ARC-Authentication-Results").orElseThrow();
    assertThat(aar.text()).endsWith("dmarc=pass header.from=bücher.example");
    ArcResult r = validator.validate(sealed);
    assertThat(r.status()).isEqualTo(AuthStatus.PASS);
    assertThat(r.authResults()).containsExactly("mx.example; dmarc=pass header.from=bücher.example");
  }

  @ParameterizedTest(name = "RFC 8617 4.1.2: {0} must not be signed by the AMS")
  @ValueSource(strings = {"ARC-Seal", "arc-message-signature", "ARC-Authentication-Results", "Authentication-Results"})
  void forbiddenHeaderNamesAreRefused(String name) {
    assertThatThrownBy(() -> ArcSealer.builder("list.example", "rsa", ArcFixtures.RSA.getPrivate()).headers(List.of("from", name)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RFC 8617 section 4.1.2");
  }

  @Test
  void fromIsAlwaysSigned_andNamesAreLowerCase() {
    ArcSealer s = ArcSealer.builder("List.Example", "RSA", ArcFixtures.RSA.getPrivate())
        .headers(List.of("Subject", "To")).build();
    assertThat(s.headers()).containsExactly("from", "subject", "to");
  }

  @Test
  void aResultOfAnotherMessageIsRefused() throws Exception {
    RawMessage plain = ArcFixtures.message(ArcFixtures.MESSAGE);
    RawMessage sealed = ArcFixtures.seal(plain, ArcFixtures.listSealer(), dns, "mx.list.example");
    ArcResult ofSealed = validator.validate(sealed);
    assertThatThrownBy(() -> ArcFixtures.forwardSealer().seal(plain, ofSealed, "mx.example", "arc=pass"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ArcFixtures.forwardSealer().seal(sealed, ArcResult.none(), "mx.example", "arc=none"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "authserv-id \"{0}\" is refused")
  @ValueSource(strings = {"", "two words", "semi;colon", "(comment)", "line\r\nbreak"})
  void authservIdMustBeOneValue(String id) {
    RawMessage m = ArcFixtures.message(ArcFixtures.MESSAGE);
    assertThatThrownBy(() -> ArcFixtures.listSealer().seal(m, ArcResult.none(), id, "spf=pass"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String field(RawMessage m, String name, int instance) {
    for (HeaderField f : m.headers(name)) {
      if (f.raw().contains("i=" + instance + ";")) {
        return f.raw();
      }
    }
    throw new AssertionError("no " + name + " i=" + instance);
  }
}
