package dev.mailgate.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.message.RawMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyHashesTest {
  private static final RawMessage MESSAGE = RawMessage.parse(
      "From: a@example.org\r\n\r\nHello  world \r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

  @Test
  void signaturesThatAgreeShareOneComputation() {
    BodyHashes hashes = new BodyHashes(MESSAGE);
    BodyHash first = hashes.get(Canonicalization.RELAXED, SignatureAlgorithm.RSA_SHA256, -1);
    // ed25519-sha256 hashes the body with SHA-256 too: the same hash serves both.
    assertThat(hashes.get(Canonicalization.RELAXED, SignatureAlgorithm.ED25519_SHA256, -1)).isSameAs(first);
  }

  @Test
  void eachCanonicalizationAndLengthHasItsOwnHash() {
    BodyHashes hashes = new BodyHashes(MESSAGE);
    BodyHash relaxed = hashes.get(Canonicalization.RELAXED, SignatureAlgorithm.RSA_SHA256, -1);
    BodyHash simple = hashes.get(Canonicalization.SIMPLE, SignatureAlgorithm.RSA_SHA256, -1);
    BodyHash limited = hashes.get(Canonicalization.RELAXED, SignatureAlgorithm.RSA_SHA256, 5);
    assertThat(simple.digest()).isNotEqualTo(relaxed.digest());
    assertThat(limited.digest()).isNotEqualTo(relaxed.digest());
    assertThat(limited.hashedLength()).isEqualTo(5);
    // Each equals what a fresh computation gives.
    assertThat(relaxed.digest()).isEqualTo(BodyHasher.hash(Canonicalization.RELAXED, SignatureAlgorithm.sha256(),
        BodyHasher.NO_LIMIT, MESSAGE.bytes(), MESSAGE.bodyOffset(), MESSAGE.bodyLength()).digest());
  }
}
