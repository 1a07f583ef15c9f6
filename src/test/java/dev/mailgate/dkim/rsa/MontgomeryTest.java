package dev.mailgate.dkim.rsa;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MontgomeryTest {

  /**
   * Surefire opens java.math as production does (pom.xml, template.yaml, the jar's manifest): if this
   * fails, the tests below would only exercise BigInteger.modPow and the fast path would go untested.
   */
  @Test
  void theJdksMontgomeryRoutinesAreReachableAsInProduction() {
    assertThat(Montgomery.available()).isTrue();
  }

  /**
   * Agreement with BigInteger.modPow over random odd moduli of even and odd int lengths (an odd one
   * gets a leading zero int), bases from 0 to n - 1, and exponents from 1 to 2^63 - 1.
   */
  @Test
  void modPowAgreesWithBigIntegerForRandomModuliBasesAndExponents() {
    Random random = new Random(8017);
    int[] sizes = {64, 96, 127, 1024, 1025, 1056, 2047, 2048, 2080, 3072, 4096};
    long[] exponents = {1, 2, 3, 17, 65537, 0x10001L * 3, (1L << 32) + 15, (1L << 62) - 1};
    int cases = 0;
    for (int bits : sizes) {
      for (int round = 0; round < 6; round++) {
        BigInteger n = new BigInteger(bits, random).setBit(bits - 1).setBit(0);
        Montgomery m = Montgomery.of(n);
        BigInteger[] bases = {
          BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO, n.subtract(BigInteger.ONE),
          new BigInteger(bits, random).mod(n), new BigInteger(bits - 1, random)
        };
        for (BigInteger base : bases) {
          for (long e : exponents) {
            BigInteger exponent = BigInteger.valueOf(e);
            assertThat(m.modPow(base, exponent))
                .as("%d-bit n, e=%d", bits, e)
                .isEqualTo(Montgomery.ints(base.modPow(exponent, n), m.length()));
            cases++;
          }
        }
      }
    }
    assertThat(cases).isEqualTo(11 * 6 * 6 * 8);
  }

  /** Exponents over 62 bits take BigInteger.modPow; the answer is the same. */
  @Test
  void aHugeExponentFallsBackToModPow() {
    Random random = new Random(1);
    BigInteger n = new BigInteger(2048, random).setBit(2047).setBit(0);
    BigInteger e = new BigInteger(100, random).setBit(99).setBit(0);
    BigInteger base = new BigInteger(2000, random);
    Montgomery m = Montgomery.of(n);
    assertThat(m.modPow(base, e)).isEqualTo(Montgomery.ints(base.modPow(e, n), m.length()));
  }

  @Test
  void anEvenModulusHasNoMontgomeryForm() {
    assertThat(Montgomery.of(BigInteger.valueOf(1L << 40))).isNull();
    assertThat(Montgomery.of(BigInteger.ZERO)).isNull();
  }
}
