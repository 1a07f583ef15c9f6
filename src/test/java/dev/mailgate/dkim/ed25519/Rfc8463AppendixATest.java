package dev.mailgate.dkim.ed25519;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.dkim.ByteBuilder;
import dev.mailgate.dkim.DkimSignature;
import dev.mailgate.dkim.SignedHeaders;
import dev.mailgate.message.HeaderField;
import dev.mailgate.message.RawMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * RFC 8463 Appendix A: the ed25519-sha256 DKIM-Signature of the example message, checked with the
 * raw primitive. RFC 8463 section 3 signs SHA-256 of the RFC 6376 header hash input with PureEdDSA,
 * so the 32-byte hash is the Ed25519 message. The header hash input comes from the dkim package
 * (read-only use); the full DKIM verification of this message is DkimConformanceTest's.
 */
class Rfc8463AppendixATest {

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = Rfc8463AppendixATest.class.getResourceAsStream("/conformance/dkim/rfc8463/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  /** The p= of the brisbane._domainkey record (RFC 8463 A.2). */
  private static byte[] brisbaneKey() throws IOException {
    for (String line : new String(resource("dns-records.txt"), StandardCharsets.US_ASCII).split("\n")) {
      if (line.startsWith("brisbane._domainkey.")) {
        String p = line.substring(line.indexOf("p=") + 2, line.lastIndexOf('"'));
        return Base64.getDecoder().decode(p.strip());
      }
    }
    throw new AssertionError("no brisbane record");
  }

  @Test
  void rfc8463_A_brisbaneSignatureVerifies() throws Exception {
    byte[] key = brisbaneKey();
    // RFC 8463 A.1's key is RFC 8032 7.1 TEST 1's.
    assertThat(HexFormat.of().formatHex(key))
        .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

    RawMessage message = RawMessage.parse(resource("signed-message.eml"));
    HeaderField field = message.headers("DKIM-Signature").get(0);
    DkimSignature sig = DkimSignature.parse(field);
    assertThat(sig.isValid()).isTrue();
    assertThat(sig.algorithmName()).isEqualTo("ed25519-sha256");
    ByteBuilder data = SignedHeaders.headerData(
        message.headers(), sig.signedHeaders(), sig.headerCanonicalization(), sig.fieldWithoutSignature());
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update(data.array(), 0, data.length());
    byte[] hash = sha256.digest();
    byte[] b = sig.signature();
    assertThat(b).hasSize(64);

    assertThat(Ed25519Verifier.verify(key, hash, b)).isTrue();
    assertThat(Reference.jdkVerify(key, hash, b)).isTrue();
    Ed25519Verifier.DecodedKey decoded = Ed25519Verifier.decode(key).orElseThrow();
    assertThat(Ed25519Verifier.verify(decoded, hash, b)).isTrue();

    // The hash of header data changed in one byte does not verify.
    byte[] changed = Arrays.copyOf(data.array(), data.length());
    changed[changed.length / 2] ^= 0x20;
    byte[] otherHash = MessageDigest.getInstance("SHA-256").digest(changed);
    assertThat(Ed25519Verifier.verify(decoded, otherHash, b)).isFalse();
    // Nor does the unhashed header data (Ed25519 over the data itself is not RFC 8463).
    assertThat(Ed25519Verifier.verify(decoded, data.array(), 0, data.length(), b)).isFalse();
  }
}
