package dev.mailgate.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.message.HeaderField;
import dev.mailgate.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class DkimSignerTest {
  private static final Clock T = Clock.fixed(Instant.ofEpochSecond(1528637909L), ZoneOffset.UTC);

  private static final String MESSAGE = """
      From: Joe SixPack <joe@football.example.com>\r
      To: Suzie Q <suzie@shopping.example.net>\r
      Subject: Is dinner ready?\r
      Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r
      Message-ID: <20030712040037.46341.5F8J@football.example.com>\r
      \r
      Hi.\r
      \r
      We lost the game.  Are you hungry yet?\r
      \r
      Joe.\r
      \r
      """;

  private static RawMessage msg(String s) {
    return RawMessage.parse(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The RFC's own DKIM-Signature field number {@code index}, with b= emptied. */
  private static String rfcFieldWithEmptyB(int index) {
    HeaderField f = ConformanceData.message("rfc8463/signed-message.eml").headers("DKIM-Signature").get(index);
    return DkimSignature.parse(f).fieldWithoutSignature();
  }

  private static String rfcB(int index) {
    HeaderField f = ConformanceData.message("rfc8463/signed-message.eml").headers("DKIM-Signature").get(index);
    return TagList.removeWhitespace(DkimSignature.parse(f).tags().get("b"));
  }

  @Test
  void rfc8463AppendixA_ed25519SigningWithTheSeedReproducesTheExactB() throws Exception {
    PrivateKey key = DkimKeys.ed25519PrivateKey(
        Base64.getDecoder().decode(ConformanceData.text("rfc8463/ed25519-private.b64").strip()));
    String b = DkimSigner.signatureValue(ConformanceData.message("rfc8463/signed-message.eml"), rfcFieldWithEmptyB(0), key);
    assertThat(b).isEqualTo(rfcB(0)).startsWith("/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus");
  }

  @Test
  void rfc8463AppendixA_rsaSigningReproducesTheExactB() throws Exception {
    // PKCS#1 v1.5 signatures are deterministic too.
    String b = DkimSigner.signatureValue(ConformanceData.message("rfc8463/signed-message.eml"), rfcFieldWithEmptyB(1),
        TestKeys.rsa1024().getPrivate());
    assertThat(b).isEqualTo(rfcB(1)).startsWith("F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3");
  }

  @Test
  void rfc8463AppendixA_seedGivesTheBrisbanePublicKey() {
    KeyPair kp = TestKeys.ed25519();
    assertThat(Base64.getEncoder().encodeToString(DkimKeys.rawEd25519(kp.getPublic())))
        .isEqualTo("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    assertThat(DkimKeys.keyRecord(kp.getPublic()))
        .isEqualTo("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
  }

  @Test
  void signerOutputVerifiesAndHasTheDefaultTags() throws Exception {
    KeyPair kp = TestKeys.ed25519();
    DkimSigner signer = DkimSigner.builder("football.example.com", "brisbane", kp.getPrivate()).clock(T).build();
    String field = signer.sign(msg(MESSAGE));
    assertThat(field).startsWith("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;");
    TagList tags = TagList.parse(field.substring(field.indexOf(':') + 1));
    assertThat(tags.get("d")).isEqualTo("football.example.com");
    assertThat(tags.get("s")).isEqualTo("brisbane");
    assertThat(tags.get("t")).isEqualTo("1528637909");
    assertThat(tags.has("x")).isFalse();
    assertThat(tags.has("i")).isFalse();
    assertThat(tags.has("l")).isFalse();
    // Same body as the RFC 8463 message, same relaxed body canonicalization: same body hash.
    assertThat(tags.get("bh")).isEqualTo("2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=");
    assertThat(TagList.splitColonList(tags.get("h")))
        .containsExactly("from", "subject", "date", "to", "message-id");
    for (String line : field.split("\r\n")) {
      assertThat(line.length()).as(line).isLessThanOrEqualTo(78);
    }
    assertThat(verify(signer.signAndPrepend(msg(MESSAGE)), kp)).containsExactly(AuthStatus.PASS);
  }

  @Test
  void ed25519SigningIsDeterministic() throws Exception {
    DkimSigner signer = DkimSigner.builder("football.example.com", "brisbane", TestKeys.ed25519().getPrivate())
        .clock(T).build();
    assertThat(signer.sign(msg(MESSAGE))).isEqualTo(signer.sign(msg(MESSAGE)));
  }

  @Test
  void optionalTags() throws Exception {
    KeyPair kp = TestKeys.rsa2048();
    DkimSigner signer = DkimSigner.builder("example.org", "sel", kp.getPrivate())
        .clock(T)
        .expiry(Duration.ofDays(7))
        .identity("a user;x@mail.example.org")
        .bodyLengthTag(true)
        .canonicalization(Canonicalization.SIMPLE, Canonicalization.RELAXED)
        .headers(List.of("Subject", "To"))
        .overSign(true)
        .build();
    String field = signer.sign(msg(MESSAGE));
    TagList tags = TagList.parse(field.substring(field.indexOf(':') + 1));
    assertThat(tags.get("a")).isEqualTo("rsa-sha256");
    assertThat(tags.get("c")).isEqualTo("simple/relaxed");
    assertThat(tags.get("x")).isEqualTo(String.valueOf(1528637909L + 7 * 86400));
    assertThat(tags.get("i")).isEqualTo("a=20user=3Bx@mail.example.org");
    // relaxed body: "Hi.\r\n" 5 + "\r\n" 2 + "We lost the game. Are you hungry yet?\r\n" 39 + "\r\n" 2 + "Joe.\r\n" 6
    assertThat(tags.get("l")).isEqualTo("54");
    // Over-signing: each name once more than present; From added in front because it must be signed.
    assertThat(TagList.splitColonList(tags.get("h")))
        .containsExactly("from", "from", "subject", "subject", "to", "to");
    InMemoryResolver dns = InMemoryResolver.builder().txt("sel._domainkey.example.org", DkimKeys.keyRecord(kp.getPublic())).build();
    List<DkimResult> r = new DkimVerifier(dns, T).verify(RawMessage.parse(signer.signAndPrepend(msg(MESSAGE))));
    assertThat(r).singleElement().satisfies(res -> {
      assertThat(res.status()).as(res.reason()).isEqualTo(AuthStatus.PASS);
      assertThat(res.identity()).isEqualTo("a user;x@mail.example.org");
      assertThat(res.keyBits()).isEqualTo(2048);
    });
  }

  @Test
  void fromIsSignedEvenWhenAbsent() throws Exception {
    KeyPair kp = TestKeys.ed25519();
    DkimSigner signer = DkimSigner.builder("example.org", "sel", kp.getPrivate()).clock(T).build();
    String field = signer.sign(msg("Subject: no from\r\n\r\nbody\r\n"));
    TagList tags = TagList.parse(field.substring(field.indexOf(':') + 1));
    assertThat(TagList.splitColonList(tags.get("h"))).containsExactly("from", "subject");
  }

  @Test
  void builderRejectsBadSettings() {
    PrivateKey k = TestKeys.ed25519().getPrivate();
    assertThatThrownBy(() -> DkimSigner.builder("not a domain", "s", k)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DkimSigner.builder("example.org", "s", k).identity("x@example.net"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signatureValueRejectsAFieldThatIsNotASignature() {
    assertThatThrownBy(() -> DkimSigner.signatureValue(msg(MESSAGE), "DKIM-Signature: nonsense", TestKeys.ed25519().getPrivate()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DkimSigner.signatureValue(msg(MESSAGE), rfcFieldWithEmptyB(1), TestKeys.ed25519().getPrivate()))
        .as("a=rsa-sha256 with an Ed25519 key").isInstanceOf(IllegalArgumentException.class);
  }

  private static List<AuthStatus> verify(byte[] signed, KeyPair kp) {
    InMemoryResolver dns = InMemoryResolver.builder()
        .txt("brisbane._domainkey.football.example.com", DkimKeys.keyRecord(kp.getPublic())).build();
    return new DkimVerifier(dns, T).verify(RawMessage.parse(signed)).stream().map(DkimResult::status).toList();
  }
}
