package dev.mailgate.dkim;

import dev.mailgate.dkim.ed25519.Ed25519Verifier;
import dev.mailgate.dkim.rsa.RsaVerifier;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.RSAPublicKey;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signing algorithms we verify and sign with (the a= tag): rsa-sha256 (RFC 6376 section 3.3.2) and
 * ed25519-sha256 (RFC 8463). rsa-sha1 is deliberately absent: RFC 8301 section 3.1 says it "MUST NOT
 * be used for signing or verifying". Shared with ARC, whose signatures use the same algorithms.
 */
public enum SignatureAlgorithm {
  RSA_SHA256("rsa-sha256", "rsa", "sha256", "SHA256withRSA"),
  ED25519_SHA256("ed25519-sha256", "ed25519", "sha256", "Ed25519");

  /** The a= value of the algorithm that RFC 8301 retired. */
  public static final String RSA_SHA1 = "rsa-sha1";

  private final String tag;
  private final String keyType;
  private final String hashTag;
  private final String jcaName;

  SignatureAlgorithm(String tag, String keyType, String hashTag, String jcaName) {
    this.tag = tag;
    this.keyType = keyType;
    this.hashTag = hashTag;
    this.jcaName = jcaName;
  }

  /** The a= value, e.g. {@code rsa-sha256}. */
  public String tag() {
    return tag;
  }

  /** The key record's k= value this algorithm needs: {@code rsa} or {@code ed25519}. */
  public String keyType() {
    return keyType;
  }

  /** The hash name as a key record's h= lists it: {@code sha256}. */
  public String hashTag() {
    return hashTag;
  }

  /** The algorithm for an a= value (case-sensitive), or null when we do not implement it. */
  public static SignatureAlgorithm fromTag(String a) {
    for (SignatureAlgorithm alg : values()) {
      if (alg.tag.equals(a)) {
        return alg;
      }
    }
    return null;
  }

  /** A new digest for this algorithm's hash (both use SHA-256), for body and header hashes. */
  public MessageDigest newDigest() {
    return sha256();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * Whether {@code signature} is a valid signature by {@code key} over the canonicalized header data
   * (RFC 6376 section 3.7 hash step 2 input). RSA: PKCS#1 v1.5 over SHA-256 of the data. Ed25519: RFC
   * 8463 section 3 signs the SHA-256 hash of the data with PureEdDSA, so the hash is what Ed25519 sees.
   * A malformed signature or an unusable key gives false, not an exception.
   */
  public boolean verify(PublicKey key, byte[] data, int len, byte[] signature) {
    if (this == ED25519_SHA256) {
      // Our own verifier (dev.mailgate.dkim.ed25519): the JDK 17 EdDSA takes about 0.7 ms per check,
      // several times the rest of a DKIM verification. Same acceptance rules as the JDK (tested).
      Ed25519Verifier.DecodedKey decoded = decodedEd25519(key);
      if (decoded == null) {
        return false;
      }
      MessageDigest md = sha256();
      md.update(data, 0, len);
      return Ed25519Verifier.verify(decoded, md.digest(), signature);
    }
    // Our own RSASSA-PKCS1-v1_5 check (dev.mailgate.dkim.rsa): with the key's Montgomery constants
    // cached it skips the division BigInteger.modPow does per call, about a fifth of the JDK's time.
    RsaVerifier.Key decoded = decodedRsa(key);
    if (decoded == null) {
      return false;
    }
    MessageDigest md = sha256();
    md.update(data, 0, len);
    return RsaVerifier.verifySha256(decoded, md.digest(), signature);
  }

  /** Decoded RSA keys by modulus, for the same reason and with the same bound as the Ed25519 ones. */
  private static final ConcurrentHashMap<BigInteger, RsaVerifier.Key> RSA_KEYS = new ConcurrentHashMap<>();
  private static final int RSA_KEYS_MAX = 1024;

  private static RsaVerifier.Key decodedRsa(PublicKey key) {
    if (!(key instanceof RSAPublicKey rsa)) {
      return null;
    }
    RsaVerifier.Key cached = RSA_KEYS.get(rsa.getModulus());
    if (cached != null && cached.exponent().equals(rsa.getPublicExponent())) {
      return cached;
    }
    RsaVerifier.Key decoded = RsaVerifier.key(rsa);
    if (RSA_KEYS.size() >= RSA_KEYS_MAX) {
      RSA_KEYS.clear();
    }
    RSA_KEYS.put(rsa.getModulus(), decoded);
    return decoded;
  }

  /**
   * Decoded Ed25519 keys by their 32 bytes: decoding (a square root and the key's tables) costs about as
   * much as a verification, and one sender's key signs many messages. Bounded: cleared when full.
   */
  private static final ConcurrentHashMap<ByteBuffer, Ed25519Verifier.DecodedKey> ED25519_KEYS =
      new ConcurrentHashMap<>();
  private static final int ED25519_KEYS_MAX = 1024;

  private static Ed25519Verifier.DecodedKey decodedEd25519(PublicKey key) {
    byte[] raw = rawEd25519(key);
    if (raw == null) {
      return null;
    }
    ByteBuffer k = ByteBuffer.wrap(raw);
    Ed25519Verifier.DecodedKey cached = ED25519_KEYS.get(k);
    if (cached != null) {
      return cached;
    }
    Ed25519Verifier.DecodedKey decoded = Ed25519Verifier.decode(raw).orElse(null);
    if (decoded != null) {
      if (ED25519_KEYS.size() >= ED25519_KEYS_MAX) {
        ED25519_KEYS.clear();
      }
      ED25519_KEYS.put(k, decoded);
    }
    return decoded;
  }

  /** The 32-byte public key A inside an Ed25519 SubjectPublicKeyInfo (RFC 8410: a 12-byte prefix), or null. */
  private static byte[] rawEd25519(PublicKey key) {
    byte[] spki = key.getEncoded();
    if (spki == null || spki.length != 44) {
      return null;
    }
    return java.util.Arrays.copyOfRange(spki, 12, 44);
  }

  /** Signs the canonicalized header data with {@code key} (an RSA or Ed25519 private key). */
  public byte[] sign(PrivateKey key, byte[] data, int len) throws GeneralSecurityException {
    Signature s = Signature.getInstance(jcaName);
    s.initSign(key);
    feed(s, data, len);
    return s.sign();
  }

  private void feed(Signature s, byte[] data, int len) throws SignatureException {
    if (this == ED25519_SHA256) {
      MessageDigest md = sha256();
      md.update(data, 0, len);
      s.update(md.digest());
    } else {
      s.update(data, 0, len);
    }
  }

  @Override
  public String toString() {
    return tag;
  }
}
