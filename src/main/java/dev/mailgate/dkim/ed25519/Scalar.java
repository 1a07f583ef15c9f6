package dev.mailgate.dkim.ed25519;

/**
 * Arithmetic on scalars modulo the group order L = 2^252 + 27742317777372353535851937790883648493
 * (RFC 8032 section 5.1): the range check of S, the reduction of the 512-bit hash k, and signed
 * window recoding for the double-scalar multiplication. Stateless and thread-safe.
 */
final class Scalar {
  /** L as 32 little-endian bytes. */
  static final byte[] L_BYTES = {
    (byte) 0xed, (byte) 0xd3, (byte) 0xf5, (byte) 0x5c, (byte) 0x1a, (byte) 0x63, (byte) 0x12, (byte) 0x58,
    (byte) 0xd6, (byte) 0x9c, (byte) 0xf7, (byte) 0xa2, (byte) 0xde, (byte) 0xf9, (byte) 0xde, (byte) 0x14,
    0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, (byte) 0x10
  };

  // Reduction works on 21-bit limbs: 2^252 = 2^(21 * 12), so limb 12 + m stands for
  // 2^252 2^(21 m) = -c 2^(21 m) (mod L), where c = L - 2^252 (125 bits, six limbs).
  private static final int BITS = 21;
  private static final long LIMB_MASK = (1L << BITS) - 1;
  private static final long[] C = new long[6];
  private static final long[] L_LIMBS = new long[13];

  static {
    // c from L_BYTES, bits 0..125 (bytes 16..30 of L are zero, byte 31 holds 2^252).
    for (int j = 0; j < 6; j++) {
      C[j] = bits(L_BYTES, BITS * j, 16) & LIMB_MASK;
    }
    for (int j = 0; j < 13; j++) {
      L_LIMBS[j] = bits(L_BYTES, BITS * j, 32) & LIMB_MASK;
    }
  }

  private Scalar() {}

  /**
   * Whether the 32 little-endian bytes at s[off..off+32) are a number below L: RFC 8032 section
   * 5.1.7 step 1 "If s >= L ... fail", which makes signatures non-malleable.
   */
  static boolean isBelowL(byte[] s, int off) {
    for (int i = 31; i >= 0; i--) {
      int a = s[off + i] & 0xff;
      int b = L_BYTES[i] & 0xff;
      if (a != b) {
        return a < b;
      }
    }
    return false; // s == L
  }

  /**
   * Reduces the 64 little-endian bytes h[0..64) modulo L into out[0..32), canonical (0 <= k < L):
   * k = SHA-512(R || A || M) mod L, RFC 8032 section 5.1.7 step 2. The result must be canonical,
   * not merely congruent: A may have a small-order component, so k + L would move [k]A.
   */
  static void reduce(byte[] h, byte[] out) {
    long[] t = new long[25];
    for (int i = 0; i < 25; i++) {
      t[i] = bits(h, BITS * i, 64) & LIMB_MASK;
    }
    // Fold limbs 24..18 into 6..17: |products| < 2^42, at most six per limb.
    for (int i = 24; i >= 18; i--) {
      fold(t, i);
    }
    carry(t, 6, 18);
    // Fold 18..12 (limb 18 < 2^26 after the carry) into 0..11; limbs 12..17 receive nothing here.
    for (int i = 18; i >= 12; i--) {
      fold(t, i);
    }
    carry(t, 0, 12);
    // Limb 12 now holds the carry (well below 2^30); fold it once more. What remains is
    // t[12] 2^252 + low with low in [0, 2^252) and t[12] in {-1, 0, 1}.
    fold(t, 12);
    carry(t, 0, 12);
    if (t[12] < 0) {
      addL(t); // value in (-2^252, 0): add L once
    }
    if (geL(t)) {
      subL(t); // value in [L, 2L): subtract L once
    }
    // 13 limbs of 21 bits; the value is below L < 2^253, so it fits the 32 bytes.
    long acc = 0;
    int accBits = 0;
    int o = 0;
    for (int i = 0; i < 13; i++) {
      acc |= t[i] << accBits;
      accBits += BITS;
      while (accBits >= 8 && o < 32) {
        out[o++] = (byte) acc;
        acc >>>= 8;
        accBits -= 8;
      }
    }
    while (o < 32) {
      out[o++] = (byte) acc;
      acc >>>= 8;
    }
  }

  /** Replaces limb i (i >= 12) by subtracting t[i] c 2^(21 (i - 12)) from the limbs below. */
  private static void fold(long[] t, int i) {
    long x = t[i];
    t[i] = 0;
    int base = i - 12;
    for (int j = 0; j < 6; j++) {
      t[base + j] -= x * C[j];
    }
  }

  /** Carries limbs from..to-1 into limb to, leaving them in [0, 2^21) (floor division). */
  private static void carry(long[] t, int from, int to) {
    for (int i = from; i < to; i++) {
      long c = t[i] >> BITS;
      t[i] -= c << BITS;
      t[i + 1] += c;
    }
  }

  private static void addL(long[] t) {
    for (int i = 0; i < 13; i++) {
      t[i] += L_LIMBS[i];
    }
    carry(t, 0, 12);
  }

  private static void subL(long[] t) {
    for (int i = 0; i < 13; i++) {
      t[i] -= L_LIMBS[i];
    }
    carry(t, 0, 12);
  }

  /** t (limbs 0..11 in [0, 2^21), limb 12 non-negative) >= L. */
  private static boolean geL(long[] t) {
    for (int i = 12; i >= 0; i--) {
      if (t[i] != L_LIMBS[i]) {
        return t[i] > L_LIMBS[i];
      }
    }
    return true;
  }

  /** Up to 64 bits of the little-endian number in b[0..len) starting at bit pos; zero past the end. */
  private static long bits(byte[] b, int pos, int len) {
    long v = 0;
    int first = pos >>> 3;
    for (int k = 0; k < 8 && first + k < len; k++) {
      v |= (b[first + k] & 0xffL) << (8 * k);
    }
    v >>>= pos & 7;
    // The ninth byte's bits, needed when the window straddles it (at most 21 bits are used).
    if (first + 8 < len && (pos & 7) != 0) {
      v |= (b[first + 8] & 0xffL) << (64 - (pos & 7));
    }
    return v;
  }

  /**
   * Width-w non-adjacent form of the 256-bit little-endian scalar at s[off..off+32): on return
   * naf[i] (i = 0..256) holds odd digits in (-2^(w-1), 2^(w-1)) or 0, with at least w - 1 zeros
   * after each non-zero digit, and the sum of naf[i] 2^i equals the scalar. Returns the index of the
   * highest non-zero digit, or -1 for a zero scalar.
   */
  static int nonAdjacentForm(byte[] s, int off, int w, byte[] naf) {
    java.util.Arrays.fill(naf, (byte) 0);
    int window = 1 << w;
    int half = window >>> 1;
    int mask = window - 1;
    int carry = 0;
    int top = -1;
    int pos = 0;
    while (pos < 257) {
      int value = carry + (windowBits(s, off, pos) & mask);
      if ((value & 1) == 0) {
        pos++;
        continue;
      }
      int digit;
      if (value < half) {
        digit = value;
        carry = 0;
      } else {
        digit = value - window; // negative digit; the borrowed 2^w carries into pos + w
        carry = 1;
      }
      naf[pos] = (byte) digit;
      top = pos;
      pos += w;
    }
    return top;
  }

  /** 16 bits of the 256-bit number at s[off..off+32) from bit pos on (zeros past bit 255). */
  private static int windowBits(byte[] s, int off, int pos) {
    int i = pos >>> 3;
    int lo = i < 32 ? s[off + i] & 0xff : 0;
    int hi = i + 1 < 32 ? s[off + i + 1] & 0xff : 0;
    return (lo | hi << 8) >>> (pos & 7);
  }
}
