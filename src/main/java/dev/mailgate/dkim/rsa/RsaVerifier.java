package dev.mailgate.dkim.rsa;

import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;

/**
 * RSASSA-PKCS1-v1_5 verification with SHA-256 (RFC 8017 section 8.2.2), the rsa-sha256 of DKIM (RFC
 * 6376 section 3.3.1) and ARC. The encoded message is compared whole (RFC 8017's own method): nothing
 * in the decrypted block is parsed, so there is no padding parser to fool (the Bleichenbacher-2006
 * forgeries for small exponents attack parsers).
 *
 * <p>Acceptance is exactly the JDK's {@code SHA256withRSA} (tested for agreement, and by a differential
 * fuzzer during review): the signature must be k octets, the modulus length (RFC 8017 section 8.2.2
 * step 1; OpenSSL's RSA_verify checks the same), both DigestInfo encodings verify, with the NULL
 * parameters and without (RFC 8017 section 9.2 note 2), and a key the JDK would refuse (an exponent
 * under 3 or not below the modulus, a modulus over 16384 bits) verifies nothing, also when it did not
 * come through a KeyFactory.
 */
public final class RsaVerifier {
  /** DigestInfo for SHA-256 with NULL parameters (RFC 8017 section 9.2 note 1), before the hash. */
  private static final byte[] SHA256_PREFIX = {
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
    0x05, 0x00, 0x04, 0x20
  };
  /** The same with the parameters absent, which RFC 8017 section 9.2 note 2 says to accept too. */
  private static final byte[] SHA256_PREFIX_NO_NULL = {
    0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
    0x04, 0x20
  };

  private static final BigInteger THREE = BigInteger.valueOf(3);
  /** The JDK's limit (RSAKeyFactory.MAX_MODLEN). */
  private static final int MAX_MODULUS_BITS = 16384;

  private RsaVerifier() {}

  /** A public key with what verification precomputes for it; build once per key, share freely. */
  public static final class Key {
    private final BigInteger modulus;
    private final BigInteger exponent;
    /** k, the modulus length in octets. */
    private final int octets;
    private final Montgomery montgomery; // null for an even modulus: no signature verifies

    private Key(BigInteger modulus, BigInteger exponent) {
      this.modulus = modulus;
      this.exponent = exponent;
      this.octets = (modulus.bitLength() + 7) / 8;
      this.montgomery = Montgomery.of(modulus);
    }

    /** The public exponent e. */
    public BigInteger exponent() {
      return exponent;
    }

    /**
     * What the JDK's RSAKeyFactory and RSAPublicKeyImpl insist on: 3 <= e < n, at most 16384 bits, and
     * (ours) an odd modulus. With e = 1 anyone could sign: the signature would be the encoded message.
     */
    private boolean usable() {
      return montgomery != null && exponent.compareTo(THREE) >= 0 && exponent.compareTo(modulus) < 0
          && modulus.bitLength() <= MAX_MODULUS_BITS;
    }

    /** The modulus size in bits. */
    public int bits() {
      return modulus.bitLength();
    }
  }

  /** Precomputes for {@code key} (its modulus and exponent were checked when the key was built). */
  public static Key key(RSAPublicKey key) {
    return new Key(key.getModulus(), key.getPublicExponent());
  }

  /** Whether the JDK's Montgomery routines are in use (see {@link Montgomery}); for tests and diagnostics. */
  public static boolean montgomeryIntrinsicsAvailable() {
    return Montgomery.available();
  }

  /**
   * Whether {@code signature} is key's RSASSA-PKCS1-v1_5 signature of a message whose SHA-256 hash is
   * {@code sha256}. False for anything malformed (not k octets, a value not below the modulus) and for
   * a key the JDK would refuse.
   */
  public static boolean verifySha256(Key key, byte[] sha256, byte[] signature) {
    if (sha256.length != 32 || signature.length != key.octets || !key.usable()) {
      return false;
    }
    BigInteger s = new BigInteger(1, signature);
    if (s.compareTo(key.modulus) >= 0) {
      return false; // RSAVP1 step 1: "signature representative out of range"
    }
    int[] m = key.montgomery.modPow(s, key.exponent); // RSAVP1 step 2
    int len = key.montgomery.length();
    return matches(m, len, key.octets, SHA256_PREFIX, sha256)
        || matches(m, len, key.octets, SHA256_PREFIX_NO_NULL, sha256);
  }

  /**
   * Whether the message representative {@code m} (len big-endian ints, so 4 * len octets of which the
   * last k are EM) equals EMSA-PKCS1-v1_5-ENCODE (RFC 8017 section 9.2): 0x00 0x01, at least eight
   * 0xff, 0x00, the DigestInfo prefix and the hash.
   */
  private static boolean matches(int[] m, int len, int k, byte[] prefix, byte[] hash) {
    int tLen = prefix.length + hash.length;
    if (k < tLen + 11) {
      return false; // "intended encoded message length too short"
    }
    int lead = 4 * len - k; // zero octets before EM in the int array
    int diff = 0;
    for (int i = 0; i < 4 * len; i++) {
      int expected;
      int j = i - lead; // position in EM
      if (j < 0 || j == 0) {
        expected = 0;
      } else if (j == 1) {
        expected = 1;
      } else if (j < k - tLen - 1) {
        expected = 0xff;
      } else if (j == k - tLen - 1) {
        expected = 0;
      } else if (j < k - hash.length) {
        expected = prefix[j - (k - tLen)] & 0xff;
      } else {
        expected = hash[j - (k - hash.length)] & 0xff;
      }
      diff |= ((m[i >>> 2] >>> (24 - 8 * (i & 3))) & 0xff) ^ expected;
    }
    return diff == 0;
  }
}
