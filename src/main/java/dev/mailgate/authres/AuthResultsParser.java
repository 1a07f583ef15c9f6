package dev.mailgate.authres;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses Authentication-Results header field values (RFC 8601 section 2.2), as written by real
 * receivers: comments and folding anywhere CFWS may be, quoted values, and, because many writers bend
 * the grammar (bare {@code client-ip=} keys, stray semicolons), a lenient mode of recovery: a resinfo
 * that does not parse is skipped up to the next semicolon and the result is marked incomplete. Only the
 * authserv-id is essential; without one there is no result. Stateless and thread-safe.
 */
public final class AuthResultsParser {
  /** Bounds the work one hostile header can cause. */
  static final int MAX_RESULTS = 100;

  private AuthResultsParser() {}

  /** Parses the value of one field (everything after the colon, folded or not). */
  public static Optional<AuthResults> parse(String value) {
    Cursor c = new Cursor(value);
    c.skipCfws();
    String id = c.value();
    if (id == null || id.isEmpty()) {
      return Optional.empty();
    }
    c.skipCfws();
    int version = 1;
    String digits = c.digits();
    if (digits != null) {
      try {
        version = Integer.parseInt(digits);
      } catch (NumberFormatException e) {
        version = Integer.MAX_VALUE; // absurdly long: unsupported, which is what callers need to know
      }
      c.skipCfws();
    }
    List<AuthResults.Result> results = new ArrayList<>();
    boolean complete = true;
    while (!c.atEnd() && results.size() < MAX_RESULTS) {
      if (!c.take(';')) {
        complete = false;
        c.skipPast(';');
        continue;
      }
      c.skipCfws();
      if (c.atEnd()) {
        break; // a trailing ";" is common and harmless
      }
      int start = c.pos;
      AuthResults.Result r = resinfo(c);
      if (r == null) {
        c.pos = start;
        if (results.isEmpty() && "none".equalsIgnoreCase(c.keyword())) {
          c.skipCfws();
          continue; // the no-result form
        }
        complete = false;
        c.skipTo(';');
        continue;
      }
      results.add(r);
    }
    if (!c.atEnd() || c.dirty) {
      complete = false;
    }
    return Optional.of(new AuthResults(id, version, results, complete));
  }

  private static AuthResults.Result resinfo(Cursor c) {
    String method = c.keyword();
    if (method == null) {
      return null;
    }
    c.skipCfws();
    if (c.take('/')) {
      c.skipCfws();
      if (c.digits() == null) {
        return null;
      }
      c.skipCfws();
    }
    if (!c.take('=')) {
      return null;
    }
    c.skipCfws();
    String result = c.keyword();
    if (result == null) {
      return null;
    }
    String comment = c.skipCfws();
    c.reason = null;
    List<ResultInfo.Property> props = new ArrayList<>();
    while (!c.atEnd() && c.peek() != ';') {
      if (!property(c, props)) {
        // Not a propspec (e.g. SES's bare "client-ip=..."): keep what parsed, skip the rest of this resinfo.
        c.dirty = true;
        c.skipTo(';');
      }
    }
    return new AuthResults.Result(method.toLowerCase(Locale.ROOT), result.toLowerCase(Locale.ROOT), c.reason, comment, props);
  }

  /** Reads one propspec (or a reasonspec) into {@code props}; false, with the cursor unmoved, when there is none. */
  private static boolean property(Cursor c, List<ResultInfo.Property> props) {
    int start = c.pos;
    String ptype = c.keyword();
    if (ptype == null) {
      return false;
    }
    c.skipCfws();
    if (ptype.equalsIgnoreCase("reason") && c.take('=')) {
      c.skipCfws();
      String reason = c.value();
      if (reason == null) {
        c.pos = start;
        return false;
      }
      c.reason = reason;
      c.skipCfws();
      return true;
    }
    if (!c.take('.')) {
      c.pos = start;
      return false;
    }
    c.skipCfws();
    String property = c.keyword();
    c.skipCfws();
    if (property == null || !c.take('=')) {
      c.pos = start;
      return false;
    }
    c.skipCfws();
    String pvalue = c.pvalue();
    if (pvalue == null) {
      c.pos = start;
      return false;
    }
    props.add(new ResultInfo.Property(ptype.toLowerCase(Locale.ROOT), property.toLowerCase(Locale.ROOT), pvalue));
    c.skipCfws();
    return true;
  }

  /** A position in the text with the lexical pieces of RFC 5322 and RFC 2045. */
  private static final class Cursor {
    final String s;
    int pos;
    boolean dirty; // something was skipped
    String reason; // the reasonspec of the resinfo being read

    Cursor(String s) {
      this.s = s;
    }

    boolean atEnd() {
      return pos >= s.length();
    }

    char peek() {
      return atEnd() ? 0 : s.charAt(pos);
    }

    boolean take(char ch) {
      if (peek() == ch && !atEnd()) {
        pos++;
        return true;
      }
      return false;
    }

    void skipTo(char ch) {
      while (!atEnd() && s.charAt(pos) != ch) {
        if (s.charAt(pos) == '"') {
          quoted();
        } else if (s.charAt(pos) == '(') {
          comment();
        } else {
          pos++;
        }
      }
    }

    void skipPast(char ch) {
      skipTo(ch);
      take(ch);
    }

    /** Skips whitespace, folding and comments; returns the text of the last comment, if any. */
    String skipCfws() {
      String last = null;
      while (!atEnd()) {
        char ch = s.charAt(pos);
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
          pos++;
        } else if (ch == '(') {
          last = comment();
        } else {
          break;
        }
      }
      return last;
    }

    /** A comment with nesting and quoted-pairs (RFC 5322 section 3.2.2); returns its unescaped text. */
    String comment() {
      StringBuilder sb = new StringBuilder();
      int depth = 0;
      while (!atEnd()) {
        char ch = s.charAt(pos++);
        if (ch == '\\' && !atEnd()) {
          sb.append(s.charAt(pos++));
        } else if (ch == '(') {
          if (depth++ > 0) {
            sb.append(ch);
          }
        } else if (ch == ')') {
          if (--depth == 0) {
            break;
          }
          sb.append(ch);
        } else if (ch != '\r' && ch != '\n') {
          sb.append(ch);
        }
      }
      return sb.toString().strip();
    }

    String quoted() {
      StringBuilder sb = new StringBuilder();
      pos++; // opening quote
      while (!atEnd()) {
        char ch = s.charAt(pos++);
        if (ch == '\\' && !atEnd()) {
          sb.append(s.charAt(pos++));
        } else if (ch == '"') {
          return sb.toString();
        } else if (ch != '\r' && ch != '\n') {
          sb.append(ch);
        }
      }
      return null; // unterminated
    }

    String digits() {
      int start = pos;
      while (!atEnd() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 0x80) {
        pos++;
      }
      // A version is digits followed by CFWS, ';' or the end; otherwise this was not a version.
      if (pos == start || (!atEnd() && ";( \t\r\n".indexOf(s.charAt(pos)) < 0)) {
        pos = start;
        return null;
      }
      return s.substring(start, pos);
    }

    /** An SMTP Keyword-like run (letters, digits, '-' and '_', which real writers use). */
    String keyword() {
      int start = pos;
      while (!atEnd()) {
        char ch = s.charAt(pos);
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_') {
          pos++;
        } else {
          break;
        }
      }
      return pos == start ? null : s.substring(start, pos);
    }

    /** A MIME value: quoted-string or token (RFC 2045 section 5.1). */
    String value() {
      if (peek() == '"') {
        return quoted();
      }
      int start = pos;
      while (!atEnd()) {
        char ch = s.charAt(pos);
        if (ch <= 0x20 || ch == 0x7f || "()<>@,;:\\\"/[]?=".indexOf(ch) >= 0) {
          break;
        }
        pos++;
      }
      return pos == start ? null : s.substring(start, pos);
    }

    /** A pvalue: a value, or [[local-part] "@"] domain-name (RFC 8601 section 2.2). */
    String pvalue() {
      if (peek() == '"') {
        String q = quoted();
        if (q != null && peek() == '@') { // quoted local-part of an address
          pos++;
          String domain = value();
          return domain == null ? null : "\"" + q + "\"@" + domain;
        }
        return q;
      }
      int start = pos;
      while (!atEnd()) {
        char ch = s.charAt(pos);
        // '@', '/', '=' and ':' appear in addresses, base64 (header.b) and IPv6 addresses.
        if (ch <= 0x20 || ch == 0x7f || "()<>,;\\\"[]".indexOf(ch) >= 0) {
          break;
        }
        pos++;
      }
      return pos == start ? null : s.substring(start, pos);
    }
  }
}
