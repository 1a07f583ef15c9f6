package dev.mailgate.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Parses IP address literals without ever touching DNS ({@link InetAddress#getByName} would resolve a
 * host name, which must never happen by accident when reading untrusted input).
 */
public final class InetAddresses {
  private InetAddresses() {}

  /** The address, or empty when {@code text} is not an IPv4 dotted quad or an IPv6 literal. */
  public static Optional<InetAddress> tryParse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.trim();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    if (s.regionMatches(true, 0, "IPv6:", 0, 5)) {
      s = s.substring(5);
    }
    byte[] v4 = parseV4(s);
    if (v4 != null) {
      return Optional.of(of(v4));
    }
    if (s.indexOf(':') >= 0 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
      try {
        // With only hex digits, colons and dots, getByName parses a literal and never queries DNS.
        return Optional.of(InetAddress.getByName(s));
      } catch (UnknownHostException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The address; throws IllegalArgumentException naming the text when it is not an IP literal. */
  public static InetAddress parse(String text) {
    return tryParse(text).orElseThrow(() -> new IllegalArgumentException("not an IP address: " + text));
  }

  private static byte[] parseV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static InetAddress of(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // only thrown for a wrong length
    }
  }

  /**
   * The address as text: a dotted quad, or IPv6 in RFC 5952 section 4 form (lower case, no leading
   * zeros, the longest run of two or more zero fields as "::", the first of equal runs). One spelling per
   * address, so that results, records and reports group by it.
   */
  public static String text(InetAddress ip) {
    byte[] b = ip.getAddress();
    if (b.length == 4) {
      return ip.getHostAddress();
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1; // RFC 5952 4.2.2: a single 16-bit 0 field is not shortened
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
