package dev.mailgate.dkim.rsa;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Modular exponentiation with a modulus fixed per key, in Montgomery form (R = 2^(32 * len)), on the
 * JDK's own Montgomery multiplication and squaring ({@code BigInteger.montgomeryMultiply} and {@code
 * montgomerySquare}, private methods that HotSpot's C2 replaces with its intrinsics).
 *
 * <p>The JDK keeps these private, so this needs {@code --add-opens=java.base/java.math=ALL-UNNAMED}
 * (the jar's manifest has {@code Add-Opens: java.base/java.math} for {@code java -jar}; the gateway
 * and sweep functions get it through {@code JAVA_TOOL_OPTIONS} in template.yaml; surefire and the benchmark
 * scripts pass it). Without it {@link #available()} is false and {@link #modPow} is {@code
 * BigInteger.modPow}: same results, about 7 us slower per RSA-2048 verification. A test checks that
 * both paths agree.
 *
 * <p>Array conventions are BigInteger's: magnitudes as big-endian int arrays of the modulus length,
 * which must be even (the intrinsics work on 64-bit words; a modulus with an odd number of ints gets a
 * leading zero int, as {@code BigInteger.oddModPow} does). A result is in the first {@code len} ints of
 * the array returned (the JDK's Java fallback, used before C2 compiles it, returns a 2 * len array).
 */
final class Montgomery {
  private static final MethodHandle MULTIPLY;
  private static final MethodHandle SQUARE;

  static {
    MethodHandle multiply = null;
    MethodHandle square = null;
    try {
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(BigInteger.class, MethodHandles.lookup());
      multiply = lookup.findStatic(BigInteger.class, "montgomeryMultiply",
          MethodType.methodType(int[].class, int[].class, int[].class, int[].class, int.class, long.class, int[].class));
      square = lookup.findStatic(BigInteger.class, "montgomerySquare",
          MethodType.methodType(int[].class, int[].class, int[].class, int.class, long.class, int[].class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Not opened to us (IllegalAccessException), or a JDK without these methods: modPow it is.
      multiply = null;
      square = null;
    }
    MULTIPLY = multiply;
    SQUARE = square;
  }

  private final BigInteger modulus;
  private final int len;
  private final int[] n;
  /** -n^-1 mod 2^64, what the JDK's routines call inv. */
  private final long inv;
  /** R mod n, to build {@link #correction} for an exponent. */
  private final BigInteger rModN;
  /** R^e mod n for the last exponent seen: a key has one exponent. */
  private volatile Correction correction;

  private record Correction(long exponent, int[] value) {}

  /** Precomputes for an odd modulus; null for an even one (not an RSA modulus, and no Montgomery form). */
  static Montgomery of(BigInteger modulus) {
    if (modulus.signum() <= 0 || !modulus.testBit(0)) {
      return null;
    }
    return new Montgomery(modulus);
  }

  private Montgomery(BigInteger modulus) {
    this.modulus = modulus;
    int ints = (modulus.bitLength() + 31) >>> 5;
    this.len = ints + (ints & 1);
    this.n = ints(modulus, len);
    this.inv = modulus.modInverse(BigInteger.ONE.shiftLeft(64)).negate().longValue();
    this.rModN = BigInteger.ONE.shiftLeft(32 * len).mod(modulus);
  }

  /** Whether the JDK's Montgomery routines are reachable (see the class comment). */
  static boolean available() {
    return MULTIPLY != null;
  }

  /** The modulus length in ints (even), the length of {@link #modPow}'s arrays. */
  int length() {
    return len;
  }

  /**
   * base^exponent mod n as {@link #length()} big-endian ints. {@code base} must be below n and the
   * exponent positive; exponents over 62 bits (legal, but nobody publishes one: 65537 is all but
   * universal) go to {@code BigInteger.modPow}.
   */
  int[] modPow(BigInteger base, BigInteger exponent) {
    if (MULTIPLY == null || exponent.bitLength() > 62 || exponent.signum() <= 0) {
      return ints(base.modPow(exponent, modulus), len);
    }
    try {
      return montgomeryPow(ints(base, len), exponent.longValue());
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      // invokeExact declares Throwable; the routines throw nothing checked.
      throw new IllegalStateException("BigInteger's Montgomery routines failed", t);
    }
  }

  /**
   * Square and multiply without entering Montgomery form: with M(a, b) = a * b * R^-1 mod n, the usual
   * chain run on the plain base b gives v = b^e * R^-(e-1), and one more M(v, R^e mod n) gives b^e.
   * That is one multiplication where the textbook version needs two (into and out of Montgomery form)
   * and BigInteger.modPow a division and one. R^e mod n depends only on the key and e, so it is
   * computed once. Three buffers, none ever both an input and the output of a call.
   */
  private int[] montgomeryPow(int[] base, long e) throws Throwable {
    int[] x = base.clone();
    int[] spare = new int[len];
    for (int bit = 62 - Long.numberOfLeadingZeros(e); bit >= 0; bit--) {
      int[] sq = (int[]) SQUARE.invokeExact(x, n, len, inv, spare);
      spare = x;
      x = sq;
      if ((e >>> bit & 1) != 0) {
        int[] prod = (int[]) MULTIPLY.invokeExact(x, base, n, len, inv, spare);
        spare = x;
        x = prod;
      }
    }
    int[] result = (int[]) MULTIPLY.invokeExact(x, correction(e), n, len, inv, spare);
    result = result.length == len ? result : Arrays.copyOf(result, len);
    // The routines keep results below R, not below n; with one factor below n this one is below 2n.
    if (Arrays.compareUnsigned(result, n) >= 0) {
      subtract(result, n);
    }
    return result;
  }

  /** R^e mod n (see {@link #montgomeryPow}). */
  private int[] correction(long e) {
    Correction c = correction;
    if (c == null || c.exponent() != e) {
      c = new Correction(e, ints(rModN.modPow(BigInteger.valueOf(e), modulus), len));
      correction = c;
    }
    return c.value();
  }

  /** a -= b for big-endian int arrays of equal length, a >= b. */
  private static void subtract(int[] a, int[] b) {
    long borrow = 0;
    for (int i = a.length - 1; i >= 0; i--) {
      long d = (a[i] & 0xffffffffL) - (b[i] & 0xffffffffL) - borrow;
      a[i] = (int) d;
      borrow = d >>> 63;
    }
  }

  /** v (0 <= v < 2^(32 * len)) as len big-endian ints. */
  static int[] ints(BigInteger v, int len) {
    int[] out = new int[len];
    byte[] bytes = v.toByteArray(); // big-endian, possibly with a leading 0 sign byte
    for (int i = 0, b = bytes.length - 1; i < len && b >= 0; i++) {
      int word = 0;
      for (int shift = 0; shift < 32 && b >= 0; shift += 8, b--) {
        word |= (bytes[b] & 0xff) << shift;
      }
      out[len - 1 - i] = word;
    }
    return out;
  }
}
