package dev.mailgate.dkim.ed25519;

/**
 * A mutable element of GF(p), p = 2^255 - 19 (RFC 8032 section 5.1), as five unsigned limbs of 51
 * bits: value = v0 + v1 2^51 + v2 2^102 + v3 2^153 + v4 2^204. Not thread-safe: each verification
 * works on its own elements; the shared constants are never written after class initialization.
 *
 * <p>Limbs are not always fully reduced. The bounds every operation relies on (checked at the
 * extremes by FieldElementTest):
 *
 * <ul>
 *   <li>"tight": every limb below 2^51 + 2^17. {@link #mul}, {@link #sqr}, {@link #carry} and the
 *       byte decoders produce it.
 *   <li>{@link #add} of two tight values: limbs below 2^52 + 2^18. {@link #sub} of a tight value from
 *       a value whose limbs are below 2^52 + 2^18: limbs below 2^53 + 2^19 (it adds 2p, whose limbs
 *       are about 2^52, so that no limb goes negative; the subtrahend must be tight).
 *   <li>{@link #mul}: factors' limbs below 2^α and 2^β with α + β at most 107, each below 2^53.75.
 *       {@link #sqr}: limbs below 2^52.75.
 * </ul>
 *
 * <p>Why 51-bit limbs: a 64 x 64 -> 128-bit product needs only two multiply instructions
 * ({@code a * b} and the {@link Math#multiplyHigh} intrinsic), so a field multiplication is 25
 * products instead of the 100 of ten 25.5-bit limbs. The partial products are summed without 128-bit
 * additions by splitting each one at bit 51: the factors are pre-shifted left by 8 and by 5 bits, so
 * that {@code multiplyHigh} returns the product's bits 51 and up directly, and the low word shifted
 * right by 13 its bits 0..50. Both halves then sum in a long without overflow.
 */
final class FieldElement {
  static final long MASK = (1L << 51) - 1;

  long v0;
  long v1;
  long v2;
  long v3;
  long v4;

  FieldElement() {}

  FieldElement(long v0, long v1, long v2, long v3, long v4) {
    this.v0 = v0;
    this.v1 = v1;
    this.v2 = v2;
    this.v3 = v3;
    this.v4 = v4;
  }

  FieldElement set(FieldElement a) {
    v0 = a.v0;
    v1 = a.v1;
    v2 = a.v2;
    v3 = a.v3;
    v4 = a.v4;
    return this;
  }

  FieldElement setZero() {
    v0 = 0;
    v1 = 0;
    v2 = 0;
    v3 = 0;
    v4 = 0;
    return this;
  }

  FieldElement setOne() {
    v0 = 1;
    v1 = 0;
    v2 = 0;
    v3 = 0;
    v4 = 0;
    return this;
  }

  /** this = a + b, without carrying. */
  FieldElement add(FieldElement a, FieldElement b) {
    v0 = a.v0 + b.v0;
    v1 = a.v1 + b.v1;
    v2 = a.v2 + b.v2;
    v3 = a.v3 + b.v3;
    v4 = a.v4 + b.v4;
    return this;
  }

  // The limbs of 2p = 2^256 - 38: added before subtracting so that no limb goes negative.
  private static final long TWO_P0 = (1L << 52) - 38;
  private static final long TWO_PI = (1L << 52) - 2;

  /** this = a - b + 2p, without carrying; b must be tight (every limb of 2p exceeds a tight limb). */
  FieldElement sub(FieldElement a, FieldElement b) {
    v0 = a.v0 + TWO_P0 - b.v0;
    v1 = a.v1 + TWO_PI - b.v1;
    v2 = a.v2 + TWO_PI - b.v2;
    v3 = a.v3 + TWO_PI - b.v3;
    v4 = a.v4 + TWO_PI - b.v4;
    return this;
  }

  /** this = -a (as 2p - a); a must be tight. */
  FieldElement neg(FieldElement a) {
    v0 = TWO_P0 - a.v0;
    v1 = TWO_PI - a.v1;
    v2 = TWO_PI - a.v2;
    v3 = TWO_PI - a.v3;
    v4 = TWO_PI - a.v4;
    return this;
  }

  /** Carries so that the value is tight again (limbs must be non-negative and below 2^62). */
  FieldElement carry() {
    long r0 = v0;
    long r1 = v1;
    long r2 = v2;
    long r3 = v3;
    long r4 = v4;
    r1 += r0 >>> 51;
    r0 &= MASK;
    r2 += r1 >>> 51;
    r1 &= MASK;
    r3 += r2 >>> 51;
    r2 &= MASK;
    r4 += r3 >>> 51;
    r3 &= MASK;
    r0 += 19 * (r4 >>> 51); // 2^255 = 19 (mod p)
    r4 &= MASK;
    v0 = r0;
    v1 = r1;
    v2 = r2;
    v3 = r3;
    v4 = r4;
    return this;
  }

  /** this = a * b. this may be a or b. */
  FieldElement mul(FieldElement a, FieldElement b) {
    // Pre-shifted factors: multiplyHigh(x << 8, y << 5) = (x * y) >> 51 and
    // ((x << 8) * (y << 5)) >>> 13 = (x * y) mod 2^51.
    long a0 = a.v0 << 8;
    long a1 = a.v1 << 8;
    long a2 = a.v2 << 8;
    long a3 = a.v3 << 8;
    long a4 = a.v4 << 8;
    long b0 = b.v0 << 5;
    long b1 = b.v1 << 5;
    long b2 = b.v2 << 5;
    long b3 = b.v3 << 5;
    long b4 = b.v4 << 5;
    // Limb products at 2^255 and above wrap around times 19, since 2^255 = 19 (mod p).
    long b1n = b1 * 19;
    long b2n = b2 * 19;
    long b3n = b3 * 19;
    long b4n = b4 * 19;

    long h0 = Math.multiplyHigh(a0, b0) + Math.multiplyHigh(a1, b4n) + Math.multiplyHigh(a2, b3n)
        + Math.multiplyHigh(a3, b2n) + Math.multiplyHigh(a4, b1n);
    long l0 = (a0 * b0 >>> 13) + (a1 * b4n >>> 13) + (a2 * b3n >>> 13)
        + (a3 * b2n >>> 13) + (a4 * b1n >>> 13);
    long h1 = Math.multiplyHigh(a0, b1) + Math.multiplyHigh(a1, b0) + Math.multiplyHigh(a2, b4n)
        + Math.multiplyHigh(a3, b3n) + Math.multiplyHigh(a4, b2n);
    long l1 = (a0 * b1 >>> 13) + (a1 * b0 >>> 13) + (a2 * b4n >>> 13)
        + (a3 * b3n >>> 13) + (a4 * b2n >>> 13);
    long h2 = Math.multiplyHigh(a0, b2) + Math.multiplyHigh(a1, b1) + Math.multiplyHigh(a2, b0)
        + Math.multiplyHigh(a3, b4n) + Math.multiplyHigh(a4, b3n);
    long l2 = (a0 * b2 >>> 13) + (a1 * b1 >>> 13) + (a2 * b0 >>> 13)
        + (a3 * b4n >>> 13) + (a4 * b3n >>> 13);
    long h3 = Math.multiplyHigh(a0, b3) + Math.multiplyHigh(a1, b2) + Math.multiplyHigh(a2, b1)
        + Math.multiplyHigh(a3, b0) + Math.multiplyHigh(a4, b4n);
    long l3 = (a0 * b3 >>> 13) + (a1 * b2 >>> 13) + (a2 * b1 >>> 13)
        + (a3 * b0 >>> 13) + (a4 * b4n >>> 13);
    long h4 = Math.multiplyHigh(a0, b4) + Math.multiplyHigh(a1, b3) + Math.multiplyHigh(a2, b2)
        + Math.multiplyHigh(a3, b1) + Math.multiplyHigh(a4, b0);
    long l4 = (a0 * b4 >>> 13) + (a1 * b3 >>> 13) + (a2 * b2 >>> 13)
        + (a3 * b1 >>> 13) + (a4 * b0 >>> 13);

    // Coefficient i is h_i 2^51 + l_i; h_4 2^255 wraps to 19 h_4 (h_4 has no factor 19 in it, so
    // 19 h_4 stays below 2^63).
    return reduce(l0 + 19 * h4, l1 + h0, l2 + h1, l3 + h2, l4 + h3);
  }

  /** this = a^2. this may be a. */
  FieldElement sqr(FieldElement a) {
    long f0 = a.v0;
    long f1 = a.v1;
    long f2 = a.v2;
    long f3 = a.v3;
    long f4 = a.v4;
    long x0 = f0 << 8;
    long x1 = f1 << 8;
    long x2 = f2 << 8;
    long x3 = f3 << 8;
    long x4 = f4 << 8;
    long d0 = f0 << 9; // 2 f0, shifted by 8
    long d1 = f1 << 9;
    long y0 = f0 << 5;
    long y1 = f1 << 5;
    long y2 = f2 << 5;
    long y3 = f3 << 5;
    long y4 = f4 << 5;
    long y3n = y3 * 19;
    long y4n = y4 * 19;
    long y3m = y3 * 38;
    long y4m = y4 * 38;

    // (f0 + f1 X + ... + f4 X^4)^2 with X^5 = 19 (mod p), X = 2^51.
    long h0 = Math.multiplyHigh(x0, y0) + Math.multiplyHigh(x1, y4m) + Math.multiplyHigh(x2, y3m);
    long l0 = (x0 * y0 >>> 13) + (x1 * y4m >>> 13) + (x2 * y3m >>> 13);
    long h1 = Math.multiplyHigh(d0, y1) + Math.multiplyHigh(x2, y4m) + Math.multiplyHigh(x3, y3n);
    long l1 = (d0 * y1 >>> 13) + (x2 * y4m >>> 13) + (x3 * y3n >>> 13);
    long h2 = Math.multiplyHigh(d0, y2) + Math.multiplyHigh(x1, y1) + Math.multiplyHigh(x3, y4m);
    long l2 = (d0 * y2 >>> 13) + (x1 * y1 >>> 13) + (x3 * y4m >>> 13);
    long h3 = Math.multiplyHigh(d0, y3) + Math.multiplyHigh(d1, y2) + Math.multiplyHigh(x4, y4n);
    long l3 = (d0 * y3 >>> 13) + (d1 * y2 >>> 13) + (x4 * y4n >>> 13);
    long h4 = Math.multiplyHigh(d0, y4) + Math.multiplyHigh(d1, y3) + Math.multiplyHigh(x2, y2);
    long l4 = (d0 * y4 >>> 13) + (d1 * y3 >>> 13) + (x2 * y2 >>> 13);

    return reduce(l0 + 19 * h4, l1 + h0, l2 + h1, l3 + h2, l4 + h3);
  }

  /** this = a^(2^n), n >= 1. */
  FieldElement sqrN(FieldElement a, int n) {
    sqr(a);
    for (int i = 1; i < n; i++) {
      sqr(this);
    }
    return this;
  }

  private FieldElement reduce(long r0, long r1, long r2, long r3, long r4) {
    r1 += r0 >>> 51;
    r0 &= MASK;
    r2 += r1 >>> 51;
    r1 &= MASK;
    r3 += r2 >>> 51;
    r2 &= MASK;
    r4 += r3 >>> 51;
    r3 &= MASK;
    r0 += 19 * (r4 >>> 51);
    r4 &= MASK;
    v0 = r0;
    v1 = r1;
    v2 = r2;
    v3 = r3;
    v4 = r4;
    return this;
  }

  /**
   * this = a^(2^250 - 1), the common stem of inversion and of the square-root exponent (the
   * addition chain of the Curve25519 paper, section 5). t0 is left holding a^11.
   */
  private FieldElement pow2250m1(FieldElement a, FieldElement t0) {
    FieldElement t1 = new FieldElement();
    FieldElement t2 = new FieldElement();
    t0.sqr(a); // a^2
    t1.sqrN(t0, 2); // a^8
    t1.mul(t1, a); // a^9
    t0.mul(t0, t1); // a^11
    t2.sqr(t0); // a^22
    t1.mul(t1, t2); // a^31 = a^(2^5 - 1)
    t2.sqrN(t1, 5);
    t1.mul(t2, t1); // a^(2^10 - 1)
    t2.sqrN(t1, 10);
    t2.mul(t2, t1); // a^(2^20 - 1)
    FieldElement t3 = new FieldElement().sqrN(t2, 20);
    t2.mul(t3, t2); // a^(2^40 - 1)
    t2.sqrN(t2, 10);
    t1.mul(t2, t1); // a^(2^50 - 1)
    t2.sqrN(t1, 50);
    t2.mul(t2, t1); // a^(2^100 - 1)
    t3.sqrN(t2, 100);
    t2.mul(t3, t2); // a^(2^200 - 1)
    t2.sqrN(t2, 50);
    return mul(t2, t1); // a^(2^250 - 1)
  }

  /** this = 1/a = a^(p - 2) = a^(2^255 - 21) (RFC 7748 section 5); 0 maps to 0. */
  FieldElement invert(FieldElement a) {
    FieldElement a11 = new FieldElement();
    FieldElement t = new FieldElement().set(a);
    pow2250m1(t, a11);
    sqrN(this, 5); // a^(2^255 - 32)
    return mul(this, a11); // a^(2^255 - 21)
  }

  /** this = a^((p - 5) / 8) = a^(2^252 - 3), the exponent of RFC 8032 section 5.1.3 step 3. */
  FieldElement pow2523(FieldElement a) {
    FieldElement a11 = new FieldElement();
    FieldElement t = new FieldElement().set(a);
    pow2250m1(t, a11);
    sqrN(this, 2); // a^(2^252 - 4)
    return mul(this, t); // a^(2^252 - 3)
  }

  /**
   * Reads 32 little-endian bytes, ignoring the top bit (the sign of x in a point encoding, RFC 8032
   * section 5.1.2). The value may be p or above; {@link #isCanonical} tells.
   */
  FieldElement fromBytes(byte[] b, int off) {
    long w0 = le64(b, off);
    long w1 = le64(b, off + 8);
    long w2 = le64(b, off + 16);
    long w3 = le64(b, off + 24);
    v0 = w0 & MASK;
    v1 = (w0 >>> 51 | w1 << 13) & MASK;
    v2 = (w1 >>> 38 | w2 << 26) & MASK;
    v3 = (w2 >>> 25 | w3 << 39) & MASK;
    v4 = (w3 >>> 12) & MASK;
    return this;
  }

  /**
   * Whether the 255 bits at b[off..off+32) (top bit ignored) are below p: RFC 8032 section 5.1.3
   * step 1 "If the resulting value is >= p, decoding fails". The values p..2^255-1 are the ones
   * with bytes 1..30 all 0xff, byte 31 0x7f (sign bit aside) and byte 0 at least 0xed.
   */
  static boolean isCanonical(byte[] b, int off) {
    if ((b[off + 31] & 0x7f) != 0x7f || (b[off] & 0xff) < 0xed) {
      return true;
    }
    for (int i = 1; i < 31; i++) {
      if (b[off + i] != (byte) 0xff) {
        return true;
      }
    }
    return false;
  }

  /** Writes the canonical value (0 <= value < p) as 32 little-endian bytes; the top bit is 0. */
  void toBytes(byte[] out, int off) {
    long r0 = v0;
    long r1 = v1;
    long r2 = v2;
    long r3 = v3;
    long r4 = v4;
    // One carry pass: afterwards the value is below 2^255 + 2^20 < 2p.
    r1 += r0 >>> 51;
    r0 &= MASK;
    r2 += r1 >>> 51;
    r1 &= MASK;
    r3 += r2 >>> 51;
    r2 &= MASK;
    r4 += r3 >>> 51;
    r3 &= MASK;
    r0 += 19 * (r4 >>> 51);
    r4 &= MASK;
    // q = 1 exactly when value >= p, i.e. when value + 19 reaches 2^255.
    long q = (r0 + 19) >>> 51;
    q = (r1 + q) >>> 51;
    q = (r2 + q) >>> 51;
    q = (r3 + q) >>> 51;
    q = (r4 + q) >>> 51;
    // value - q p = value + 19 q - q 2^255: add, carry, and drop bit 255.
    r0 += 19 * q;
    r1 += r0 >>> 51;
    r0 &= MASK;
    r2 += r1 >>> 51;
    r1 &= MASK;
    r3 += r2 >>> 51;
    r2 &= MASK;
    r4 += r3 >>> 51;
    r3 &= MASK;
    r4 &= MASK;
    putLe64(out, off, r0 | r1 << 51);
    putLe64(out, off + 8, r1 >>> 13 | r2 << 38);
    putLe64(out, off + 16, r2 >>> 26 | r3 << 25);
    putLe64(out, off + 24, r3 >>> 39 | r4 << 12);
  }

  /** The canonical encoding's bytes. */
  byte[] toBytes() {
    byte[] out = new byte[32];
    toBytes(out, 0);
    return out;
  }

  /** Whether the canonical value is odd: the "negative" x of RFC 8032 section 5.1.2. */
  boolean isNegative() {
    return (toBytes()[0] & 1) != 0;
  }

  boolean isZero() {
    byte[] b = toBytes();
    int acc = 0;
    for (byte x : b) {
      acc |= x;
    }
    return acc == 0;
  }

  /** Equality of the values mod p. */
  boolean sameValue(FieldElement o) {
    return java.util.Arrays.equals(toBytes(), o.toBytes());
  }

  private static long le64(byte[] b, int off) {
    return (b[off] & 0xffL)
        | (b[off + 1] & 0xffL) << 8
        | (b[off + 2] & 0xffL) << 16
        | (b[off + 3] & 0xffL) << 24
        | (b[off + 4] & 0xffL) << 32
        | (b[off + 5] & 0xffL) << 40
        | (b[off + 6] & 0xffL) << 48
        | (b[off + 7] & 0xffL) << 56;
  }

  private static void putLe64(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("0x");
    byte[] b = toBytes();
    for (int i = 31; i >= 0; i--) {
      sb.append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append(Character.forDigit(b[i] & 0xf, 16));
    }
    return sb.toString();
  }
}
