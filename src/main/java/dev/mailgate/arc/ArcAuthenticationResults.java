package dev.mailgate.arc;

import dev.mailgate.message.HeaderField;

/**
 * One ARC-Authentication-Results field (RFC 8617 section 4.1.1): {@code arc-info = instance [CFWS] ";"
 * authres-payload}. Only the instance prefix matters to chain validation; the payload's syntax "does
 * not affect the validity of the ARC Chain" (section 3.4). Immutable.
 *
 * @param field the field as received
 * @param instance the instance (1..50), or -1 when the field does not start with a valid {@code i=N;}
 * @param payload the authres-payload after the {@code ;}, unfolded and trimmed ("" when invalid)
 */
record ArcAuthenticationResults(HeaderField field, int instance, String payload) {

  static ArcAuthenticationResults parse(HeaderField field) {
    String v = field.value();
    // instance = [CFWS] %s"i" [CFWS] "=" [CFWS] position (section 3.9): "i" first, case-sensitive.
    int p = Cfws.skip(v, 0);
    if (p >= v.length() || v.charAt(p) != 'i') {
      return new ArcAuthenticationResults(field, -1, "");
    }
    p = Cfws.skip(v, p + 1);
    if (p >= v.length() || v.charAt(p) != '=') {
      return new ArcAuthenticationResults(field, -1, "");
    }
    p = Cfws.skip(v, p + 1);
    int digits = p;
    while (p < v.length() && v.charAt(p) >= '0' && v.charAt(p) <= '9') {
      p++;
    }
    int instance = ArcField.position(v.substring(digits, p));
    p = Cfws.skip(v, p);
    if (instance < 0 || p >= v.length() || v.charAt(p) != ';') {
      return new ArcAuthenticationResults(field, -1, "");
    }
    String payload = collapseWhitespace(unfold(v.substring(p + 1)));
    return new ArcAuthenticationResults(field, instance, payload);
  }

  /** Removes the CRLFs of folding (RFC 5322 section 2.2.3). */
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

  /** Runs of SP and HTAB reduced to one SP, none at either end: for text to be read or re-folded. */
  static String collapseWhitespace(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean space = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t') {
        space = sb.length() > 0;
      } else {
        if (space) {
          sb.append(' ');
          space = false;
        }
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Skipping CFWS (RFC 5322 section 3.2.2): whitespace, folding and nested comments. */
  static final class Cfws {
    private Cfws() {}

    /** The index of the first character at or after {@code from} that is not CFWS. */
    static int skip(String s, int from) {
      int p = from;
      int depth = 0;
      while (p < s.length()) {
        char c = s.charAt(p);
        if (depth > 0 && c == '\\' && p + 1 < s.length()) {
          p += 2; // quoted-pair inside a comment
          continue;
        }
        if (c == '(') {
          depth++;
        } else if (c == ')' && depth > 0) {
          depth--;
        } else if (depth == 0 && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
          return p;
        }
        p++;
      }
      return p;
    }
  }
}
