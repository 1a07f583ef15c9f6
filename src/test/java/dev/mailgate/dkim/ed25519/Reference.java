package dev.mailgate.dkim.ed25519;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * A slow, independent model of Ed25519 for tests: BigInteger affine arithmetic straight from the
 * formulas of RFC 8032 section 5.1 (no shared code with the implementation), a signer that takes any
 * secret scalar (so tests can make keys the JDK cannot, such as mixed-order ones), and the JDK's
 * verifier as the reference for agreement.
 */
final class Reference {
  static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
  static final BigInteger L =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
  static final BigInteger D =
      BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  static final BigInteger SQRT_M1 = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);

  record Pt(BigInteger x, BigInteger y) {}

  static final Pt IDENTITY = new Pt(BigInteger.ZERO, BigInteger.ONE);
  static final Pt B;

  static {
    BigInteger y = BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P);
    BigInteger x = recoverX(y, false);
    B = new Pt(x, y);
  }

  private Reference() {}

  /** The x with x^2 = (y^2 - 1)/(d y^2 + 1) and the given parity, or null when there is none. */
  static BigInteger recoverX(BigInteger y, boolean odd) {
    BigInteger y2 = y.multiply(y);
    BigInteger xx = y2.subtract(BigInteger.ONE).multiply(D.multiply(y2).add(BigInteger.ONE).modInverse(P)).mod(P);
    BigInteger x = xx.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
    if (!x.multiply(x).mod(P).equals(xx)) {
      x = x.multiply(SQRT_M1).mod(P);
    }
    if (!x.multiply(x).mod(P).equals(xx)) {
      return null;
    }
    if (x.signum() == 0 && odd) {
      return null;
    }
    return x.testBit(0) == odd ? x : P.subtract(x).mod(P);
  }

  static boolean onCurve(Pt p) {
    BigInteger x2 = p.x.multiply(p.x);
    BigInteger y2 = p.y.multiply(p.y);
    return y2.subtract(x2).subtract(BigInteger.ONE).subtract(D.multiply(x2).multiply(y2)).mod(P).signum() == 0;
  }

  /** The Edwards addition law for a = -1. */
  static Pt add(Pt a, Pt b) {
    BigInteger t = D.multiply(a.x).multiply(b.x).multiply(a.y).multiply(b.y).mod(P);
    BigInteger x = a.x.multiply(b.y).add(a.y.multiply(b.x)).multiply(BigInteger.ONE.add(t).modInverse(P)).mod(P);
    BigInteger y = a.y.multiply(b.y).add(a.x.multiply(b.x)).multiply(BigInteger.ONE.subtract(t).modInverse(P)).mod(P);
    return new Pt(x, y);
  }

  static Pt neg(Pt a) {
    return new Pt(a.x.negate().mod(P), a.y);
  }

  static Pt mul(BigInteger n, Pt a) {
    Pt r = IDENTITY;
    for (int i = n.bitLength() - 1; i >= 0; i--) {
      r = add(r, r);
      if (n.testBit(i)) {
        r = add(r, a);
      }
    }
    return r;
  }

  static byte[] encode(Pt p) {
    byte[] out = le32(p.y);
    if (p.x.testBit(0)) {
      out[31] |= (byte) 0x80;
    }
    return out;
  }

  /** RFC 8032 section 5.1.3, strictly; null when invalid. */
  static Pt decode(byte[] b) {
    byte[] copy = b.clone();
    boolean odd = (copy[31] & 0x80) != 0;
    copy[31] &= 0x7f;
    BigInteger y = fromLe(copy);
    if (y.compareTo(P) >= 0) {
      return null;
    }
    BigInteger x = recoverX(y, odd);
    return x == null ? null : new Pt(x, y);
  }

  static byte[] le32(BigInteger v) {
    byte[] be = v.toByteArray();
    byte[] le = new byte[32];
    for (int i = 0; i < 32 && i < be.length; i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }

  static BigInteger fromLe(byte[] le) {
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  /** k = SHA-512(R || A || M) mod L (RFC 8032 section 5.1.7 step 2). */
  static BigInteger k(byte[] r, byte[] a, byte[] m) {
    MessageDigest sha = sha512();
    sha.update(r);
    sha.update(a);
    sha.update(m);
    return fromLe(sha.digest()).mod(L);
  }

  /**
   * A signature with secret scalar a under the given public key bytes (which need not be [a]B: a
   * key with a small-order component signs this way too): R = [r]B, S = r + k a mod L.
   */
  static byte[] sign(BigInteger a, byte[] publicKey, byte[] message, Random random) {
    BigInteger r = new BigInteger(256, random).mod(L);
    byte[] encR = encode(mul(r, B));
    BigInteger s = r.add(k(encR, publicKey, message).multiply(a)).mod(L);
    byte[] sig = new byte[64];
    System.arraycopy(encR, 0, sig, 0, 32);
    System.arraycopy(le32(s), 0, sig, 32, 32);
    return sig;
  }

  private static List<Pt> smallOrder;

  /** The eight points of order dividing 8: [i]T for a point T of order 8, i = 0..7. */
  static synchronized List<Pt> smallOrderPoints() {
    if (smallOrder == null) {
      smallOrder = List.copyOf(computeSmallOrderPoints());
    }
    return smallOrder;
  }

  private static List<Pt> computeSmallOrderPoints() {
    Pt t8 = null;
    for (int y = 2; t8 == null; y++) {
      BigInteger x = recoverX(BigInteger.valueOf(y), false);
      if (x == null) {
        continue;
      }
      Pt torsion = mul(L, new Pt(x, BigInteger.valueOf(y))); // kills the prime-order part
      if (!mul(BigInteger.valueOf(4), torsion).equals(IDENTITY)) {
        t8 = torsion;
      }
    }
    List<Pt> points = new ArrayList<>();
    Pt p = IDENTITY;
    for (int i = 0; i < 8; i++) {
      points.add(p);
      p = add(p, t8);
    }
    return points;
  }

  static MessageDigest sha512() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  /**
   * What the JDK's Ed25519 says, with the key built the way a DKIM verifier builds it (a
   * SubjectPublicKeyInfo around the raw key, RFC 8410). A checked exception (bad key, bad signature
   * length or encoding) counts as "does not verify", as it does in production.
   */
  static boolean jdkVerify(byte[] publicKey, byte[] message, byte[] signature) {
    try {
      byte[] spki = new byte[SPKI_PREFIX.length + publicKey.length];
      System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
      System.arraycopy(publicKey, 0, spki, SPKI_PREFIX.length, publicKey.length);
      PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
