package dev.mailgate.dmarc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One DMARC Reporting URI from "rua" or "ruf" (RFC 9989 section 4.6 and 4.8, dmarc-uri /
 * obs-dmarc-uri), e.g. {@code mailto:reports@example.com!10m}.
 *
 * @param uri the URI without the size suffix, as published (percent-encoding kept)
 * @param maxSizeBytes the obsolete RFC 7489 size limit ("!" 1*DIGIT [k/m/g/t], units powers of two,
 *     RFC 7489 section 6.4) in bytes, or null when absent; values beyond a long saturate at
 *     {@link Long#MAX_VALUE}. RFC 9989 says reporters should ignore it; it is kept for RFC 7489 reporting.
 */
public record ReportUri(String uri, Long maxSizeBytes) {

  /** The scheme, lower-cased, e.g. {@code mailto}. */
  public String scheme() {
    return Domains.toLowerAscii(uri.substring(0, uri.indexOf(':')));
  }

  /** Whether this is a mailto: URI, the scheme every report sender must support (RFC 9989 4.7). */
  public boolean isMailto() {
    return uri.regionMatches(true, 0, "mailto:", 0, 7);
  }

  /**
   * For a mailto: URI, the address it names, percent-decoded, without any {@code ?header} part; null
   * for other schemes.
   */
  public String mailbox() {
    if (!isMailto()) {
      return null;
    }
    String rest = uri.substring(7);
    int q = rest.indexOf('?');
    return percentDecode(q < 0 ? rest : rest.substring(0, q));
  }

  /**
   * Reads one list element; null when it is not a syntactically valid reporting URI: no scheme, a
   * character a URI cannot hold unencoded (space, control, non-ASCII, a comma or an unencoded "!"
   * that does not start a valid size), a bad percent-escape, or a mailto: without a local part and
   * domain.
   */
  static ReportUri parse(String element) {
    String s = element;
    Long size = null;
    int bang = s.lastIndexOf('!');
    if (bang >= 0) {
      size = parseSize(s, bang + 1);
      if (size == null) {
        return null;
      }
      s = s.substring(0, bang);
    }
    int colon = s.indexOf(':');
    if (colon <= 0 || colon == s.length() - 1 || !isScheme(s, colon)) {
      return null;
    }
    for (int i = colon + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length() || hex(s.charAt(i + 1)) < 0 || hex(s.charAt(i + 2)) < 0) {
          return null;
        }
      } else if (!isUriChar(c)) {
        return null;
      }
    }
    ReportUri u = new ReportUri(s, size);
    if (u.isMailto()) {
      String box = u.mailbox();
      int at = box == null ? -1 : box.lastIndexOf('@');
      if (at <= 0 || at == box.length() - 1) {
        return null;
      }
    }
    return u;
  }

  private static boolean isScheme(String s, int colon) {
    if (!isAlpha(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < colon; i++) {
      char c = s.charAt(i);
      if (!(isAlpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** RFC 3986 unreserved and reserved characters, less "," and "!" which DMARC requires encoded. */
  private static boolean isUriChar(char c) {
    if (isAlpha(c) || (c >= '0' && c <= '9')) {
      return true;
    }
    return "-._~:/?#[]@$&'()*+;=".indexOf(c) >= 0;
  }

  private static Long parseSize(String s, int from) {
    int end = s.length();
    if (from >= end) {
      return null;
    }
    long multiplier = 1;
    char last = Character.toLowerCase(s.charAt(end - 1));
    int shift = switch (last) {
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      case 't' -> 40;
      default -> 0;
    };
    if (shift > 0) {
      end--;
      multiplier = 1L << shift;
    }
    if (from >= end) {
      return null;
    }
    long n = 0;
    boolean saturated = false;
    for (int i = from; i < end; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      if (!saturated) {
        if (n > (Long.MAX_VALUE - (c - '0')) / 10) {
          saturated = true;
        } else {
          n = n * 10 + (c - '0');
        }
      }
    }
    if (saturated || n > Long.MAX_VALUE / multiplier) {
      return Long.MAX_VALUE;
    }
    return n * multiplier;
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        int h = hex(s.charAt(i + 1));
        int l = hex(s.charAt(i + 2));
        if (h >= 0 && l >= 0) {
          out.write(h * 16 + l);
          i += 2;
          continue;
        }
      }
      out.write(c); // parse() admits ASCII only
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return maxSizeBytes == null ? uri : uri + "!" + maxSizeBytes;
  }
}
