package dev.mailgate.dkim.ed25519;

import static dev.mailgate.dkim.ed25519.Reference.P;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * GF(2^255 - 19) arithmetic against BigInteger, on random values and on limbs at the largest values
 * the point formulas can feed in (the bounds listed in FieldElement's class comment).
 */
class FieldElementTest {
  private static final BigInteger MASK51 = BigInteger.ONE.shiftLeft(51).subtract(BigInteger.ONE);

  /** The value of the limbs, mod p. */
  private static BigInteger value(FieldElement f) {
    long[] limbs = {f.v0, f.v1, f.v2, f.v3, f.v4};
    BigInteger v = BigInteger.ZERO;
    for (int i = 4; i >= 0; i--) {
      v = v.shiftLeft(51).add(BigInteger.valueOf(limbs[i]));
    }
    return v.mod(P);
  }

  private static FieldElement element(BigInteger v) {
    return new FieldElement(
        v.and(MASK51).longValue(),
        v.shiftRight(51).and(MASK51).longValue(),
        v.shiftRight(102).and(MASK51).longValue(),
        v.shiftRight(153).and(MASK51).longValue(),
        v.shiftRight(204).longValue());
  }

  /** Every limb equal to max. */
  private static FieldElement flat(long max) {
    return new FieldElement(max, max, max, max, max);
  }

  /** Random limbs below max (each drawn uniformly, the top one of the value too). */
  private static FieldElement randomLimbs(Random r, long max) {
    return new FieldElement(
        nextBelow(r, max), nextBelow(r, max), nextBelow(r, max), nextBelow(r, max), nextBelow(r, max));
  }

  private static long nextBelow(Random r, long max) {
    return (r.nextLong() >>> 1) % max;
  }

  private static boolean tight(FieldElement f) {
    long bound = (1L << 51) + (1L << 17);
    return f.v0 < bound && f.v1 < bound && f.v2 < bound && f.v3 < bound && f.v4 < bound
        && f.v0 >= 0 && f.v1 >= 0 && f.v2 >= 0 && f.v3 >= 0 && f.v4 >= 0;
  }

  // Largest limbs each operation meets in Curve's formulas: tight (mul/sqr output), an add of two
  // tight values, a sub of a tight value from that, and F = C + G of the doubling.
  private static final long TIGHT = (1L << 51) + (1L << 17) - 1;
  private static final long ADDED = 2 * TIGHT;
  private static final long SUBTRACTED = ADDED + (1L << 52);
  private static final long DOUBLING_F = ADDED + TIGHT + (1L << 52);
  // The documented limits: mul factors below 2^53.75 with exponents summing to at most 107; sqr
  // limbs below 2^52.75.
  private static final long MUL_HALF = (long) Math.pow(2, 53.5) - 1;
  private static final long MUL_BIG = (long) Math.pow(2, 53.75) - 1;
  private static final long MUL_SMALL = (long) Math.pow(2, 53.25) - 1;
  private static final long SQR_MAX = (long) Math.pow(2, 52.75) - 1;

  @Test
  void mulAndSqrMatchBigIntegerOnRandomValues() {
    Random r = new Random(1);
    for (int i = 0; i < 5000; i++) {
      BigInteger a = new BigInteger(255, r).mod(P);
      BigInteger b = new BigInteger(255, r).mod(P);
      FieldElement fa = element(a);
      FieldElement fb = element(b);
      FieldElement prod = new FieldElement().mul(fa, fb);
      assertThat(value(prod)).isEqualTo(a.multiply(b).mod(P));
      assertThat(tight(prod)).isTrue();
      FieldElement sq = new FieldElement().sqr(fa);
      assertThat(value(sq)).isEqualTo(a.multiply(a).mod(P));
      assertThat(tight(sq)).isTrue();
      assertThat(value(new FieldElement().add(fa, fb))).isEqualTo(a.add(b).mod(P));
      assertThat(value(new FieldElement().sub(fa, fb))).isEqualTo(a.subtract(b).mod(P));
      assertThat(value(new FieldElement().neg(fa))).isEqualTo(a.negate().mod(P));
    }
  }

  @Test
  void mulAndSqrHoldAtTheLargestInputsTheFormulasProduce() {
    long[][] mulPairs = {
      {TIGHT, TIGHT}, {ADDED, ADDED}, {SUBTRACTED, TIGHT}, {SUBTRACTED, ADDED},
      {SUBTRACTED, DOUBLING_F}, {DOUBLING_F, SUBTRACTED}, {DOUBLING_F, ADDED}, {ADDED, DOUBLING_F},
      {SUBTRACTED, SUBTRACTED}, {MUL_HALF, MUL_HALF}, {MUL_BIG, MUL_SMALL}, {MUL_SMALL, MUL_BIG},
    };
    Random r = new Random(2);
    for (long[] pair : mulPairs) {
      FieldElement a = flat(pair[0]);
      FieldElement b = flat(pair[1]);
      assertThat(value(new FieldElement().mul(a, b))).as("%x * %x", pair[0], pair[1])
          .isEqualTo(value(a).multiply(value(b)).mod(P));
      assertThat(tight(new FieldElement().mul(a, b))).isTrue();
      for (int i = 0; i < 500; i++) {
        FieldElement ra = randomLimbs(r, pair[0] + 1);
        FieldElement rb = randomLimbs(r, pair[1] + 1);
        assertThat(value(new FieldElement().mul(ra, rb))).isEqualTo(value(ra).multiply(value(rb)).mod(P));
      }
    }
    for (long max : new long[] {TIGHT, ADDED, TIGHT + (1L << 52), SQR_MAX}) {
      FieldElement a = flat(max);
      assertThat(value(new FieldElement().sqr(a))).isEqualTo(value(a).pow(2).mod(P));
      for (int i = 0; i < 500; i++) {
        FieldElement ra = randomLimbs(r, max + 1);
        assertThat(value(new FieldElement().sqr(ra))).isEqualTo(value(ra).pow(2).mod(P));
      }
    }
  }

  @Test
  void subNeverGoesNegativeForATightSubtrahend() {
    FieldElement zero = new FieldElement();
    FieldElement d = new FieldElement().sub(zero, flat(TIGHT));
    assertThat(d.v0).isPositive();
    assertThat(d.v1).isPositive();
    assertThat(value(d)).isEqualTo(value(flat(TIGHT)).negate().mod(P));
  }

  @Test
  void sqrNAndExponentiation() {
    Random r = new Random(3);
    for (int i = 0; i < 200; i++) {
      BigInteger a = new BigInteger(255, r).mod(P);
      FieldElement fa = element(a);
      assertThat(value(new FieldElement().sqrN(fa, 7))).isEqualTo(a.modPow(BigInteger.valueOf(128), P));
      BigInteger inv = a.signum() == 0 ? BigInteger.ZERO : a.modInverse(P);
      assertThat(value(new FieldElement().invert(fa))).isEqualTo(inv);
      BigInteger e = BigInteger.ONE.shiftLeft(252).subtract(BigInteger.valueOf(3)); // (p - 5) / 8
      assertThat(value(new FieldElement().pow2523(fa))).isEqualTo(a.modPow(e, P));
      // in place
      FieldElement same = element(a);
      assertThat(value(same.pow2523(same))).isEqualTo(a.modPow(e, P));
    }
    assertThat(value(new FieldElement().invert(new FieldElement()))).isZero();
  }

  @Test
  void toBytesIsCanonicalForEveryRepresentation() {
    Random r = new Random(4);
    for (int i = 0; i < 2000; i++) {
      FieldElement f = randomLimbs(r, i % 2 == 0 ? TIGHT + 1 : SUBTRACTED + 1);
      BigInteger expected = value(f);
      assertThat(Reference.fromLe(f.toBytes())).isEqualTo(expected);
      assertThat(f.isNegative()).isEqualTo(expected.testBit(0));
      assertThat(f.isZero()).isEqualTo(expected.signum() == 0);
    }
    // The values p .. 2^255 - 1 in limbs below 2^51 (what fromBytes gives for a non-canonical y)
    for (int k = 0; k < 19; k++) {
      BigInteger v = P.add(BigInteger.valueOf(k));
      FieldElement f = new FieldElement().fromBytes(Reference.le32(v), 0);
      assertThat(Reference.fromLe(f.toBytes())).isEqualTo(BigInteger.valueOf(k));
      assertThat(FieldElement.isCanonical(Reference.le32(v), 0)).isFalse();
    }
    assertThat(FieldElement.isCanonical(Reference.le32(P.subtract(BigInteger.ONE)), 0)).isTrue();
    assertThat(Reference.fromLe(flat((1L << 51) - 1).toBytes())).isEqualTo(BigInteger.valueOf(18));
    assertThat(flat(0).isZero()).isTrue();
    assertThat(element(P).isZero()).isTrue(); // limbs of p itself
  }

  @Test
  void fromBytesIgnoresTheSignBitAndRoundTrips() {
    Random r = new Random(5);
    for (int i = 0; i < 1000; i++) {
      byte[] b = new byte[32];
      r.nextBytes(b);
      byte[] withoutSign = b.clone();
      withoutSign[31] &= 0x7f;
      FieldElement f = new FieldElement().fromBytes(b, 0);
      assertThat(value(f)).isEqualTo(Reference.fromLe(withoutSign).mod(P));
      assertThat(tight(f)).isTrue();
      if (FieldElement.isCanonical(b, 0)) {
        assertThat(f.toBytes()).isEqualTo(withoutSign);
      }
    }
  }
}
