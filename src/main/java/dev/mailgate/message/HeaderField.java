package dev.mailgate.message;

import java.nio.charset.StandardCharsets;

/**
 * One header field exactly as received: {@code raw} holds the field's bytes (one char per byte,
 * ISO-8859-1, so nothing is lost) from the first character of the name to the end of its last line,
 * folding included, without the final CRLF. DKIM canonicalization works on {@code raw}; people read
 * {@link #text()}.
 */
public record HeaderField(String name, String raw) {

  /** Builds a field from its raw text; the name is what precedes the first colon, less trailing blanks. */
  public static HeaderField of(String raw) {
    int colon = raw.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("header field without a colon");
    }
    return new HeaderField(raw.substring(0, colon).stripTrailing(), raw);
  }

  /** Whether this field is called {@code other}, case-insensitively (RFC 5322 section 1.2.2). */
  public boolean is(String other) {
    return name.equalsIgnoreCase(other);
  }

  /** Everything after the colon, as received (still folded, still bytes-as-chars). */
  public String value() {
    return raw.substring(raw.indexOf(':') + 1);
  }

  /** The value unfolded (CRLFs removed, RFC 5322 section 2.2.3) and trimmed, still bytes-as-chars. */
  public String unfoldedValue() {
    return unfold(value()).strip();
  }

  /** The unfolded value decoded as UTF-8 (RFC 6532 allows UTF-8 in header fields), for display. */
  public String text() {
    return new String(unfoldedValue().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  static String unfold(String s) {
    if (s.indexOf('\r') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\r' && c != '\n') {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
