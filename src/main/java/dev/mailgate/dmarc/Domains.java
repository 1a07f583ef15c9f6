package dev.mailgate.dmarc;

import java.net.IDN;

/** Domain name helpers for DMARC: normalization to lower-case A-labels and label arithmetic. */
final class Domains {
  /** RFC 1035 section 2.3.4: 63 octets per label, 255 per name (253 characters in text form). */
  static final int MAX_LABEL = 63;
  static final int MAX_NAME = 253;

  private Domains() {}

  /**
   * The domain in the form DMARC compares: lower-case, A-labels (RFC 9989 5.3.1), no trailing dot; null
   * when it is not a usable domain name (empty, empty label, label or name too long, characters no host
   * name or DNS label has, such as the brackets of an address literal). Underscores are accepted: they
   * occur in real d= and MAIL FROM domains and cannot make a wrong match.
   */
  static String normalize(String domain) {
    if (domain == null) {
      return null;
    }
    String d = domain.strip();
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    if (d.isEmpty()) {
      return null;
    }
    if (!isAscii(d)) {
      try {
        d = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return checkAscii(d);
  }

  private static String checkAscii(String d) {
    if (d.length() > MAX_NAME) {
      return null;
    }
    boolean upper = false;
    int labelStart = 0;
    for (int i = 0; i <= d.length(); i++) {
      char c = i < d.length() ? d.charAt(i) : '.';
      if (c == '.') {
        int len = i - labelStart;
        if (len == 0 || len > MAX_LABEL) {
          return null;
        }
        labelStart = i + 1;
      } else if (c >= 'A' && c <= 'Z') {
        upper = true;
      } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        return null;
      }
    }
    return upper ? toLowerAscii(d) : d;
  }

  static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  static String toLowerAscii(String s) {
    char[] out = s.toCharArray();
    for (int i = 0; i < out.length; i++) {
      char c = out[i];
      if (c >= 'A' && c <= 'Z') {
        out[i] = (char) (c + 32);
      }
    }
    return new String(out);
  }

  /** The number of labels of a normalized domain. */
  static int labelCount(String d) {
    int n = 1;
    for (int i = 0; i < d.length(); i++) {
      if (d.charAt(i) == '.') {
        n++;
      }
    }
    return n;
  }

  /** The right-most {@code labels} labels of a normalized domain (the whole domain if it has no more). */
  static String suffix(String d, int labels) {
    int seen = 0;
    for (int i = d.length() - 1; i >= 0; i--) {
      if (d.charAt(i) == '.' && ++seen == labels) {
        return d.substring(i + 1);
      }
    }
    return d;
  }

  /** Whether {@code d} is {@code ancestor} or a subdomain of it (both normalized). */
  static boolean isSameOrSubdomain(String d, String ancestor) {
    return d.equals(ancestor)
        || (d.length() > ancestor.length() && d.endsWith(ancestor) && d.charAt(d.length() - ancestor.length() - 1) == '.');
  }

  /** Whether {@code d} is a proper subdomain of {@code ancestor}. */
  static boolean isSubdomain(String d, String ancestor) {
    return !d.equals(ancestor) && isSameOrSubdomain(d, ancestor);
  }
}
