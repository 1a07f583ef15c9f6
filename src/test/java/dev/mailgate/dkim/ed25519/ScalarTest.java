package dev.mailgate.dkim.ed25519;

import static dev.mailgate.dkim.ed25519.Reference.L;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Scalars mod L: the S range check, the reduction of the 512-bit hash, and the wNAF recoding. */
class ScalarTest {

  private static byte[] le(BigInteger v, int len) {
    byte[] be = v.toByteArray();
    byte[] out = new byte[len];
    for (int i = 0; i < len && i < be.length; i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }

  @Test
  void lIsTheGroupOrderOfRfc8032() {
    assertThat(Reference.fromLe(Scalar.L_BYTES)).isEqualTo(L);
  }

  @Test
  void rfc8032_5_1_7_step1_sMustBeBelowL() {
    assertThat(Scalar.isBelowL(le(BigInteger.ZERO, 32), 0)).isTrue();
    assertThat(Scalar.isBelowL(le(L.subtract(BigInteger.ONE), 32), 0)).isTrue();
    assertThat(Scalar.isBelowL(le(L, 32), 0)).isFalse();
    assertThat(Scalar.isBelowL(le(L.add(BigInteger.ONE), 32), 0)).isFalse();
    assertThat(Scalar.isBelowL(le(BigInteger.ONE.shiftLeft(252), 32), 0)).isTrue();
    assertThat(Scalar.isBelowL(le(BigInteger.ONE.shiftLeft(253), 32), 0)).isFalse();
    byte[] ff = new byte[32];
    Arrays.fill(ff, (byte) 0xff);
    assertThat(Scalar.isBelowL(ff, 0)).isFalse();
    // at an offset, as in a signature
    byte[] sig = new byte[64];
    System.arraycopy(le(L.subtract(BigInteger.ONE), 32), 0, sig, 32, 32);
    assertThat(Scalar.isBelowL(sig, 32)).isTrue();
    Random r = new Random(10);
    for (int i = 0; i < 2000; i++) {
      BigInteger v = new BigInteger(253 + r.nextInt(3), r);
      assertThat(Scalar.isBelowL(le(v, 32), 0)).isEqualTo(v.compareTo(L) < 0);
    }
  }

  private static List<BigInteger> reductionInputs() {
    List<BigInteger> inputs = new ArrayList<>();
    BigInteger max = BigInteger.ONE.shiftLeft(512).subtract(BigInteger.ONE);
    inputs.add(BigInteger.ZERO);
    inputs.add(max);
    for (int m = 0; m < 40; m++) {
      // multiples of L and their neighbours, the places where a final correction could go wrong
      BigInteger base = L.multiply(BigInteger.valueOf(m));
      for (int d = -2; d <= 2; d++) {
        BigInteger v = base.add(BigInteger.valueOf(d));
        if (v.signum() >= 0) {
          inputs.add(v);
        }
      }
      inputs.add(BigInteger.ONE.shiftLeft(252).multiply(BigInteger.valueOf(m)));
      inputs.add(BigInteger.ONE.shiftLeft(252).multiply(BigInteger.valueOf(m)).subtract(BigInteger.ONE).abs());
    }
    BigInteger topMultiple = max.divide(L).multiply(L);
    for (int d = -3; d <= 3; d++) {
      BigInteger v = topMultiple.add(BigInteger.valueOf(d));
      if (v.compareTo(max) <= 0) {
        inputs.add(v);
      }
    }
    Random r = new Random(11);
    for (int i = 0; i < 20000; i++) {
      int bits = i % 4 == 0 ? r.nextInt(513) : 512;
      inputs.add(new BigInteger(bits, r));
    }
    // limbs of all ones or all zeros in the 21-bit layout the reduction uses
    for (int i = 0; i < 25; i++) {
      inputs.add(BigInteger.ONE.shiftLeft(21 * i).subtract(BigInteger.ONE));
      inputs.add(max.xor(BigInteger.ONE.shiftLeft(21 * i).subtract(BigInteger.ONE)));
    }
    return inputs;
  }

  @Test
  void rfc8032_5_1_7_step2_reductionModLIsCanonical() {
    byte[] out = new byte[32];
    for (BigInteger v : reductionInputs()) {
      Arrays.fill(out, (byte) 0x5a); // reduce must overwrite every byte
      Scalar.reduce(le(v, 64), out);
      assertThat(Reference.fromLe(out)).as("%s mod L", v.toString(16)).isEqualTo(v.mod(L));
    }
  }

  @Test
  void nonAdjacentFormSumsToTheScalar() {
    Random r = new Random(12);
    byte[] naf = new byte[257];
    List<BigInteger> scalars = new ArrayList<>();
    scalars.add(BigInteger.ZERO);
    scalars.add(BigInteger.ONE);
    scalars.add(L.subtract(BigInteger.ONE));
    scalars.add(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)); // carries into bit 256
    for (int i = 0; i < 3000; i++) {
      scalars.add(new BigInteger(1 + r.nextInt(256), r));
    }
    for (int w = 2; w <= 8; w++) {
      for (BigInteger s : scalars) {
        int top = Scalar.nonAdjacentForm(le(s, 32), 0, w, naf);
        BigInteger sum = BigInteger.ZERO;
        int lastNonZero = -w;
        int highest = -1;
        for (int i = 0; i < naf.length; i++) {
          int d = naf[i];
          if (d != 0) {
            assertThat(d & 1).as("odd digit").isEqualTo(1);
            assertThat(Math.abs(d)).isLessThan(1 << (w - 1));
            assertThat(i - lastNonZero).as("w - 1 zeros between digits").isGreaterThanOrEqualTo(w);
            lastNonZero = i;
            highest = i;
          }
          sum = sum.add(BigInteger.valueOf(d).shiftLeft(i));
        }
        assertThat(sum).as("w=%d s=%s", w, s.toString(16)).isEqualTo(s);
        assertThat(top).isEqualTo(highest);
      }
    }
  }

  @Test
  void nonAdjacentFormReadsAtAnOffset() {
    byte[] sig = new byte[64];
    Arrays.fill(sig, 0, 32, (byte) 0xff); // R bytes that must not leak into S's digits
    sig[32] = 5;
    byte[] naf = new byte[257];
    assertThat(Scalar.nonAdjacentForm(sig, 32, 5, naf)).isEqualTo(0);
    assertThat(naf[0]).isEqualTo((byte) 5);
  }
}
