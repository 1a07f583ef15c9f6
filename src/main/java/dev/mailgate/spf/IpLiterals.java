package dev.mailgate.spf;

/**
 * Strict parsers for the address literals of the ip4 and ip6 mechanisms (RFC 7208 section 5.6), with no
 * DNS and no leniency: {@code ip4-network} is exactly four {@code qnum}s without leading zeros, and
 * {@code ip6-network} is an RFC 4291 section 2.2 text form (no zone index, no brackets, no prefix).
 */
final class IpLiterals {
  private IpLiterals() {}

  /** The IPv4 address as a 32-bit int, or {@code null} when {@code s} is not an ip4-network. */
  static Integer parseIp4(String s) {
    long v = parseIp4Bits(s, 0, s.length());
    return v < 0 ? null : (int) v;
  }

  /** The address bits of {@code s[from, to)} as an unsigned value, or -1 when it is not a dotted quad. */
  static long parseIp4Bits(String s, int from, int to) {
    long result = 0;
    int octets = 0;
    int i = from;
    while (true) {
      int start = i;
      int value = 0;
      while (i < to && DomainNames.isDigit(s.charAt(i))) {
        value = value * 10 + (s.charAt(i) - '0');
        i++;
        if (i - start > 3) {
          return -1;
        }
      }
      int len = i - start;
      // qnum: no empty part, no leading zero ("01"), at most 255.
      if (len == 0 || (len > 1 && s.charAt(start) == '0') || value > 255) {
        return -1;
      }
      result = (result << 8) | value;
      octets++;
      if (octets == 4) {
        return i == to ? result : -1;
      }
      if (i >= to || s.charAt(i) != '.') {
        return -1;
      }
      i++;
    }
  }

  /** The 16 bytes of an IPv6 address as two longs {high, low}, or null when {@code s} is not one. */
  static long[] parseIp6(String s) {
    int n = s.length();
    if (n < 2) {
      return null;
    }
    int[] groups = new int[8];
    int count = 0;
    int compressAt = -1;
    int i = 0;
    if (s.startsWith("::")) {
      compressAt = 0;
      i = 2;
      if (i == n) {
        return new long[] {0, 0};
      }
    } else if (s.charAt(0) == ':') {
      return null;
    }
    while (i < n) {
      if (count >= 8) {
        return null;
      }
      // An embedded IPv4 address may end the text (RFC 4291 section 2.2, form 3).
      int dot = s.indexOf('.', i);
      if (dot >= 0 && s.indexOf(':', i) < 0) {
        long v4 = parseIp4Bits(s, i, n);
        if (v4 < 0 || count > 6) {
          return null;
        }
        groups[count++] = (int) (v4 >>> 16);
        groups[count++] = (int) (v4 & 0xffff);
        i = n;
        break;
      }
      int start = i;
      int value = 0;
      while (i < n && Character.digit(s.charAt(i), 16) >= 0) {
        value = (value << 4) | Character.digit(s.charAt(i), 16);
        i++;
      }
      int len = i - start;
      if (len == 0 || len > 4) {
        return null;
      }
      groups[count++] = value;
      if (i == n) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < n && s.charAt(i) == ':') {
        if (compressAt >= 0) {
          return null; // "::" at most once
        }
        compressAt = count;
        i++;
        if (i == n) {
          break;
        }
      } else if (i == n) {
        return null; // a single trailing colon
      }
    }
    int[] full = new int[8];
    if (compressAt >= 0) {
      if (count > 7) {
        return null; // "::" must stand for at least one group
      }
      int tail = count - compressAt;
      System.arraycopy(groups, 0, full, 0, compressAt);
      System.arraycopy(groups, compressAt, full, 8 - tail, tail);
    } else {
      if (count != 8) {
        return null;
      }
      full = groups;
    }
    long hi = 0;
    long lo = 0;
    for (int g = 0; g < 4; g++) {
      hi = (hi << 16) | full[g];
      lo = (lo << 16) | full[g + 4];
    }
    return new long[] {hi, lo};
  }

  /** The mask of the top {@code prefix} bits of a 32-bit value. */
  static int mask4(int prefix) {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  /** The mask of the top {@code prefix} bits (0 to 64) of a 64-bit value. */
  static long mask64(int prefix) {
    return prefix <= 0 ? 0L : prefix >= 64 ? -1L : -1L << (64 - prefix);
  }
}
