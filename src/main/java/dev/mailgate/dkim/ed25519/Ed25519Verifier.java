package dev.mailgate.dkim.ed25519;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies pure Ed25519 signatures (RFC 8032 section 5.1.7; no context, no prehash). Stateless and
 * thread-safe. Verification only: it handles public data, so it is not constant-time; signing stays
 * with the JDK.
 *
 * <p>What is accepted, so that results agree with the JDK's {@code Signature.getInstance("Ed25519")}
 * (which mailgate used before) and, but for one case, with OpenSSL 3.0:
 *
 * <ul>
 *   <li>A must decode (RFC 8032 section 5.1.3): y below p, x^2 = (y^2 - 1)/(d y^2 + 1) solvable, no
 *       x = 0 with the sign bit set. Points of small order and of mixed order are accepted as keys,
 *       as the JDK and OpenSSL do. (OpenSSL 3.0 also accepts a key with y >= p, reducing it mod p;
 *       the JDK and this class reject it, as section 5.1.3 says.)
 *   <li>The signature is exactly 64 bytes (section 5.1.6), and S must be below L (section 5.1.7 step
 *       1): a signature with S + L in place of S is rejected.
 *   <li>k = SHA-512(R || A || M) mod L, reduced canonically.
 *   <li>The equation is the cofactorless one: the canonical encoding of [S]B - [k]A must equal the 32
 *       bytes of R. That is exactly "R decodes (strictly, as A) and [S]B = R + [k]A", which is what the
 *       JDK checks (it compares the points); any R that does not decode, or is a non-canonical
 *       encoding, cannot equal a canonical encoding and fails. RFC 8032 allows instead the cofactored
 *       check [8][S]B = [8]R + [8][k]A; it accepts more (signatures whose R or A carry a small-order
 *       component), and is not used so that a DKIM result here is the result elsewhere.
 * </ul>
 *
 * <p>Malformed input (null or wrong-length key or signature, a key that does not decode) gives
 * false, never an exception. A null message, or a range outside the message array, is a caller bug
 * and throws (NullPointerException, IndexOutOfBoundsException), as {@link
 * MessageDigest#update(byte[], int, int)} does.
 *
 * <p>Callers that verify several signatures under one key can {@link #decode} it once and keep the
 * {@link DecodedKey}: see there for the trade-off.
 */
public final class Ed25519Verifier {
  /**
   * Window widths for A's signed digits: tables of P, 3P, ..., 15P for a single use, and twice as
   * many entries for a decoded key, whose tables are built once.
   */
  private static final int KEY_WIDTH = 5;
  private static final int DECODED_KEY_WIDTH = 6;
  private static final Curve.Prepared[][] BASE_ONLY = {Curve.BASE_ODD_MULTIPLES};

  // An anonymous class, not a lambda: the first lambda of a JVM costs milliseconds of bootstrap,
  // which a cold Lambda container would pay here.
  private static final ThreadLocal<MessageDigest> SHA512 = new ThreadLocal<>() {
    @Override
    protected MessageDigest initialValue() {
      try {
        return MessageDigest.getInstance("SHA-512");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has SHA-512", e);
      }
    }
  };

  private Ed25519Verifier() {}

  /**
   * A decoded Ed25519 public key with precomputed multiples; immutable and thread-safe, meant to be
   * cached next to the key record it came from. Decoding does work once (a square root, and the
   * points [2^64]A, [2^128]A, [2^192]A with 16 odd multiples of each, about 17 KB of heap) that
   * makes every verification with the key about twice as fast as one from the raw bytes: on the
   * build machine decoding took about 44 us, a verification with the decoded key 25 us, one from
   * raw bytes 56 us. Worth it from the second use of a key.
   */
  public static final class DecodedKey {
    private final byte[] encoded;
    /** tables[i]: the odd multiples of [2^(i * 256 / tables.length)]A, for digits of this width. */
    final Curve.Prepared[][] tables;
    final int width;

    private DecodedKey(byte[] encoded, Curve.Prepared[][] tables, int width) {
      this.encoded = encoded;
      this.tables = tables;
      this.width = width;
    }

    /** The 32-byte encoding this key was decoded from (a copy). */
    public byte[] encoded() {
      return encoded.clone();
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("Ed25519 key ");
      for (byte b : encoded) {
        sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return sb.toString();
    }
  }

  /**
   * Decodes a 32-byte public key A (RFC 8032 section 5.1.3) for repeated use; empty when it is null,
   * not 32 bytes, or not the encoding of a curve point.
   */
  public static Optional<DecodedKey> decode(byte[] publicKey32) {
    return decode(publicKey32, Curve.SplitBase.PARTS, DECODED_KEY_WIDTH);
  }

  /** The key with tables for scalars split into `parts` pieces (1: a single table, for one use). */
  private static Optional<DecodedKey> decode(byte[] publicKey32, int parts, int width) {
    if (publicKey32 == null || publicKey32.length != 32) {
      return Optional.empty();
    }
    Curve.Point a = new Curve.Point();
    if (!Curve.decode(a, publicKey32, 0)) {
      return Optional.empty();
    }
    Curve.Prepared[][] tables = new Curve.Prepared[parts][];
    for (int i = 0; i < parts; i++) {
      if (i > 0) {
        a = Curve.timesPowerOfTwo(a, 256 / parts);
      }
      tables[i] = Curve.oddMultiples(a, 1 << (width - 2));
    }
    return Optional.of(new DecodedKey(publicKey32.clone(), tables, width));
  }

  /** Whether signature64 is a valid signature of the whole message under the 32-byte key. */
  public static boolean verify(byte[] publicKey32, byte[] message, byte[] signature64) {
    return verify(publicKey32, message, 0, message.length, signature64);
  }

  /**
   * Whether signature64 is a valid signature of message[off..off+len) under the 32-byte public key
   * (RFC 8032 section 5.1.7). False for a key or signature that is null, of the wrong length or
   * malformed.
   */
  public static boolean verify(byte[] publicKey32, byte[] message, int off, int len, byte[] signature64) {
    Objects.checkFromIndexSize(off, len, message.length);
    if (!wellFormed(signature64)) {
      return false; // cheap checks first: no square root for a signature that cannot verify
    }
    Optional<DecodedKey> key = decode(publicKey32, 1, KEY_WIDTH);
    return key.isPresent() && verifyDecoded(key.get(), message, off, len, signature64);
  }

  /** Whether signature64 is a valid signature of the whole message under key. */
  public static boolean verify(DecodedKey key, byte[] message, byte[] signature64) {
    return verify(key, message, 0, message.length, signature64);
  }

  /** As {@link #verify(byte[], byte[], int, int, byte[])}, with a key decoded beforehand. */
  public static boolean verify(DecodedKey key, byte[] message, int off, int len, byte[] signature64) {
    Objects.checkFromIndexSize(off, len, message.length);
    return key != null && wellFormed(signature64) && verifyDecoded(key, message, off, len, signature64);
  }

  /** 64 bytes with S below L (RFC 8032 section 5.1.7 step 1). */
  private static boolean wellFormed(byte[] signature) {
    return signature != null && signature.length == 64 && Scalar.isBelowL(signature, 32);
  }

  private static boolean verifyDecoded(DecodedKey key, byte[] message, int off, int len, byte[] sig) {
    // Step 2: k = SHA-512(dom2(F, C) || R || A || PH(M)) mod L, with dom2 empty and PH the identity
    // for pure Ed25519.
    MessageDigest sha = SHA512.get();
    sha.reset();
    sha.update(sig, 0, 32);
    sha.update(key.encoded);
    sha.update(message, off, len);
    byte[] k = new byte[32];
    Scalar.reduce(sha.digest(), k);

    // Step 3, cofactorless: [S]B - [k]A, by interleaved signed-window double-and-add. With a key
    // split into parts (scalar = sum of its 64-bit pieces times 2^(64 i)), piece i is multiplied
    // with table i, which holds multiples of [2^(64 i)]P: a quarter of the doublings. The digits
    // are those of the whole scalar; digit j of piece i is digit j + 64 i of the scalar.
    Curve.Prepared[][] keyTables = key.tables;
    int parts = keyTables.length;
    int partBits = 256 / parts;
    boolean split = parts > 1;
    Curve.Prepared[][] baseTables = split ? Curve.SplitBase.TABLES : BASE_ONLY;
    byte[] sDigits = new byte[257];
    byte[] kDigits = new byte[257];
    int top = Math.max(
        Scalar.nonAdjacentForm(sig, 32, split ? Curve.SplitBase.WIDTH : Curve.BASE_WIDTH, sDigits),
        Scalar.nonAdjacentForm(k, 0, key.width, kDigits)); // at most 253: S and k are below L < 2^253
    Curve.Point acc = new Curve.Point().setIdentity();
    Curve.Completed c = new Curve.Completed();
    for (int j = Math.min(top, partBits - 1); j >= 0; j--) {
      Curve.dbl(c, acc);
      for (int i = 0, pos = j; i < parts; i++, pos += partBits) {
        int s = sDigits[pos];
        if (s != 0) {
          Curve.toExtended(acc, c);
          if (s > 0) {
            Curve.add(c, acc, baseTables[i][s >> 1]);
          } else {
            Curve.sub(c, acc, baseTables[i][-s >> 1]);
          }
        }
        int h = kDigits[pos];
        if (h != 0) {
          Curve.toExtended(acc, c);
          if (h > 0) {
            Curve.sub(c, acc, keyTables[i][h >> 1]); // minus [k]A
          } else {
            Curve.add(c, acc, keyTables[i][-h >> 1]);
          }
        }
      }
      Curve.toProjective(acc, c);
    }

    // Compare the canonical encoding (RFC 8032 section 5.1.2) with R.
    FieldElement zInv = new FieldElement().invert(acc.z);
    byte[] encoded = new byte[32];
    new FieldElement().mul(acc.y, zInv).toBytes(encoded, 0);
    if (new FieldElement().mul(acc.x, zInv).isNegative()) {
      encoded[31] |= (byte) 0x80;
    }
    int diff = 0;
    for (int i = 0; i < 32; i++) {
      diff |= encoded[i] ^ sig[i];
    }
    return diff == 0;
  }
}
