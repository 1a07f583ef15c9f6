package dev.mailgate.dkim;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Key conversions between the forms DKIM key records use and Java keys. Stateless and thread-safe.
 * Decoding methods return null for bytes that are not a usable key; they never throw on bad input.
 */
public final class DkimKeys {
  /** DER prefix of a SubjectPublicKeyInfo holding a raw 32-byte Ed25519 key (RFC 8410 section 4). */
  private static final byte[] ED25519_SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };
  /** DER prefix of a PKCS#8 PrivateKeyInfo holding a 32-byte Ed25519 seed (RFC 8410 section 7). */
  private static final byte[] ED25519_PKCS8_PREFIX = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20
  };

  private DkimKeys() {}

  /**
   * An RSA public key from the DER bytes of a key record's p=: either a SubjectPublicKeyInfo (what
   * nearly everyone publishes) or a bare PKCS#1 RSAPublicKey (what RFC 6376 section 3.6.1 literally
   * describes for k=rsa). Null when the bytes are neither.
   */
  public static RSAPublicKey rsaPublicKey(byte[] der) {
    KeyFactory kf = keyFactory("RSA");
    try {
      if (kf.generatePublic(new X509EncodedKeySpec(der)) instanceof RSAPublicKey k) {
        return k;
      }
    } catch (InvalidKeySpecException | RuntimeException e) {
      // not a SubjectPublicKeyInfo; try PKCS#1 below. (Providers throw unchecked exceptions on some
      // malformed DER; hostile key records must not crash verification.)
    }
    BigInteger[] ne = parsePkcs1(der);
    if (ne == null) {
      return null;
    }
    try {
      return (RSAPublicKey) kf.generatePublic(new RSAPublicKeySpec(ne[0], ne[1]));
    } catch (InvalidKeySpecException | RuntimeException e) {
      return null;
    }
  }

  /** An Ed25519 public key from the raw 32 bytes of a k=ed25519 record's p= (RFC 8463 section 4.2). */
  public static PublicKey ed25519PublicKey(byte[] raw) {
    if (raw.length != 32) {
      return null;
    }
    byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + 32);
    System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, 32);
    try {
      return keyFactory("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    } catch (InvalidKeySpecException | RuntimeException e) {
      return null;
    }
  }

  /** An Ed25519 private key from its 32-byte seed (the form RFC 8463 Appendix A.1 prints). */
  public static PrivateKey ed25519PrivateKey(byte[] seed) throws GeneralSecurityException {
    if (seed.length != 32) {
      throw new InvalidKeySpecException("an Ed25519 seed is 32 bytes, not " + seed.length);
    }
    byte[] pkcs8 = Arrays.copyOf(ED25519_PKCS8_PREFIX, ED25519_PKCS8_PREFIX.length + 32);
    System.arraycopy(seed, 0, pkcs8, ED25519_PKCS8_PREFIX.length, 32);
    return keyFactory("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
  }

  /** A private key from PKCS#8 DER (RSA or Ed25519). */
  public static PrivateKey privateKeyFromPkcs8(byte[] der) throws GeneralSecurityException {
    try {
      return keyFactory("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (InvalidKeySpecException e) {
      return keyFactory("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    }
  }

  /** The raw 32 bytes of an Ed25519 public key (the last 32 bytes of its SubjectPublicKeyInfo). */
  public static byte[] rawEd25519(PublicKey key) {
    byte[] spki = key.getEncoded();
    return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
  }

  /**
   * The TXT record text to publish for {@code key} at selector._domainkey.domain, e.g. {@code
   * v=DKIM1; k=ed25519; p=...}. RSA keys are published as SubjectPublicKeyInfo.
   */
  public static String keyRecord(PublicKey key) {
    if (key instanceof EdECPublicKey) {
      return "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(rawEd25519(key));
    }
    if (key instanceof RSAPublicKey) {
      return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getEncoded());
    }
    throw new IllegalArgumentException("not an RSA or Ed25519 key: " + key.getAlgorithm());
  }

  /** The signing algorithm for a private key: rsa-sha256 for RSA, ed25519-sha256 for Ed25519. */
  public static SignatureAlgorithm algorithmFor(PrivateKey key) {
    return switch (key.getAlgorithm()) {
      case "RSA" -> SignatureAlgorithm.RSA_SHA256;
      case "Ed25519", "EdDSA" -> SignatureAlgorithm.ED25519_SHA256;
      default -> throw new IllegalArgumentException("not an RSA or Ed25519 key: " + key.getAlgorithm());
    };
  }

  private static KeyFactory keyFactory(String alg) {
    try {
      return KeyFactory.getInstance(alg);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(alg + " is part of every Java 17 platform", e);
    }
  }

  /** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 A.1.1). */
  private static BigInteger[] parsePkcs1(byte[] der) {
    int[] pos = {0};
    int seqLen = readHeader(der, pos, 0x30);
    if (seqLen < 0 || pos[0] + seqLen != der.length) {
      return null;
    }
    BigInteger n = readInteger(der, pos);
    BigInteger e = n == null ? null : readInteger(der, pos);
    if (e == null || pos[0] != der.length || n.signum() <= 0 || e.signum() <= 0) {
      return null;
    }
    return new BigInteger[] {n, e};
  }

  private static BigInteger readInteger(byte[] der, int[] pos) {
    int len = readHeader(der, pos, 0x02);
    if (len <= 0 || pos[0] + len > der.length) {
      return null;
    }
    BigInteger v = new BigInteger(Arrays.copyOfRange(der, pos[0], pos[0] + len));
    pos[0] += len;
    return v;
  }

  /** Reads a DER tag and length; returns the length, or -1 when malformed. */
  private static int readHeader(byte[] der, int[] pos, int expectedTag) {
    int p = pos[0];
    if (p + 2 > der.length || (der[p] & 0xff) != expectedTag) {
      return -1;
    }
    int len = der[p + 1] & 0xff;
    p += 2;
    if (len >= 0x80) {
      int octets = len & 0x7f;
      if (octets == 0 || octets > 3 || p + octets > der.length) {
        return -1;
      }
      len = 0;
      for (int i = 0; i < octets; i++) {
        len = (len << 8) | (der[p++] & 0xff);
      }
    }
    pos[0] = p;
    return len;
  }
}
