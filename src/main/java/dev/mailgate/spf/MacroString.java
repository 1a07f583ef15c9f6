package dev.mailgate.spf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed macro-string or explain-string (RFC 7208 section 7.1), ready to expand many times. Literal
 * runs are kept as strings and the escapes %%, %_ and %- are resolved at parse time, so expanding a
 * string without macros costs nothing. Immutable and thread-safe.
 */
final class MacroString {
  /** Where a macro string appears; it decides which characters and macro letters are allowed. */
  enum Kind {
    /** A domain-spec: letters s l o d i p h v (section 7.2), no spaces. */
    DOMAIN_SPEC,
    /** The explanation TXT record (explain-string): also c r t, and spaces. */
    EXPLANATION,
    /** The value of an unknown modifier: the macro-string grammar with every macro letter. */
    UNKNOWN_MODIFIER
  }

  /** One macro-expand "%{...}". {@code keep} is the digit transformer (0 = all parts). */
  record Macro(char letter, boolean urlEscape, int keep, boolean reverse, String delimiters) {}

  /** Largest digit transformer we keep; section 7.3 requires at least 127 (the number of labels). */
  private static final int MAX_KEEP = 1000;

  private final String text;
  /** Literal strings and {@link Macro}s in order. */
  private final Object[] parts;
  private final String constant;
  private final boolean endsWithMacroExpand;
  private final String trailingLiteral;

  private MacroString(String text, Object[] parts, boolean endsWithMacroExpand, String trailingLiteral) {
    this.text = text;
    this.parts = parts;
    this.endsWithMacroExpand = endsWithMacroExpand;
    this.trailingLiteral = trailingLiteral;
    String c = null;
    if (parts.length == 0) {
      c = "";
    } else if (parts.length == 1 && parts[0] instanceof String s) {
      c = s;
    }
    this.constant = c;
  }

  /** Parses {@code text}; throws with a short description at the first syntax error. */
  static MacroString parse(String text, Kind kind) throws SpfSyntaxException {
    List<Object> parts = new ArrayList<>(4);
    StringBuilder literal = new StringBuilder(text.length());
    int n = text.length();
    boolean endsWithMacro = false;
    int trailingStart = 0;
    for (int i = 0; i < n; ) {
      char c = text.charAt(i);
      if (c != '%') {
        // macro-literal = %x21-24 / %x26-7E; explain-string also allows SP.
        if ((c < 0x21 || c > 0x7e) && !(c == ' ' && kind == Kind.EXPLANATION)) {
          throw new SpfSyntaxException("character " + describe(c) + " not allowed in " + SpfRecord.quote(text));
        }
        literal.append(c);
        endsWithMacro = false;
        i++;
        continue;
      }
      // RFC 7208 section 7.3: "%" not followed by "{", "%", "-" or "_" is a syntax error.
      if (i + 1 >= n) {
        throw new SpfSyntaxException("'%' at the end of " + SpfRecord.quote(text));
      }
      char next = text.charAt(i + 1);
      switch (next) {
        case '%' -> literal.append('%');
        case '_' -> literal.append(' ');
        case '-' -> literal.append("%20");
        case '{' -> {
          int close = text.indexOf('}', i + 2);
          if (close < 0) {
            throw new SpfSyntaxException("unterminated macro in " + SpfRecord.quote(text));
          }
          Macro m = parseMacro(text, i + 2, close, kind);
          if (literal.length() > 0) {
            parts.add(literal.toString());
            literal.setLength(0);
          }
          parts.add(m);
          i = close + 1;
          endsWithMacro = true;
          trailingStart = i;
          continue;
        }
        default -> throw new SpfSyntaxException("'%' followed by " + describe(next) + " in " + SpfRecord.quote(text));
      }
      i += 2;
      endsWithMacro = true;
      trailingStart = i;
    }
    if (literal.length() > 0) {
      parts.add(literal.toString());
    }
    return new MacroString(text, parts.toArray(), endsWithMacro, text.substring(trailingStart));
  }

  private static Macro parseMacro(String text, int from, int to, Kind kind) throws SpfSyntaxException {
    if (from >= to) {
      throw new SpfSyntaxException("empty macro in " + SpfRecord.quote(text));
    }
    char raw = text.charAt(from);
    char letter = Character.toLowerCase(raw);
    boolean known = switch (letter) {
      case 's', 'l', 'o', 'd', 'i', 'p', 'h', 'v' -> true;
      // Section 7.2: c, r and t are allowed only in "exp" text.
      case 'c', 'r', 't' -> kind != Kind.DOMAIN_SPEC;
      default -> false;
    };
    if (!known || raw > 0x7e) {
      throw new SpfSyntaxException("macro letter " + describe(raw) + " not allowed in " + SpfRecord.quote(text));
    }
    int i = from + 1;
    int keep = 0;
    boolean digits = false;
    while (i < to && DomainNames.isDigit(text.charAt(i))) {
      keep = Math.min(MAX_KEEP, keep * 10 + (text.charAt(i) - '0'));
      digits = true;
      i++;
    }
    if (digits && keep == 0) {
      // Section 7.3: if a DIGIT is specified, the value MUST be nonzero.
      throw new SpfSyntaxException("zero digit transformer in " + SpfRecord.quote(text));
    }
    boolean reverse = false;
    if (i < to && (text.charAt(i) == 'r' || text.charAt(i) == 'R')) {
      reverse = true;
      i++;
    }
    String delimiters = null;
    if (i < to) {
      for (int j = i; j < to; j++) {
        if (".-+,/_=".indexOf(text.charAt(j)) < 0) {
          throw new SpfSyntaxException("bad macro transformer or delimiter " + describe(text.charAt(j))
              + " in " + SpfRecord.quote(text));
        }
      }
      delimiters = text.substring(i, to);
    }
    return new Macro(letter, Character.isUpperCase(raw), keep, reverse, delimiters);
  }

  private static String describe(char c) {
    return c >= 0x21 && c <= 0x7e ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }

  /** The text as written. */
  String text() {
    return text;
  }

  /** The value when the string contains no macro letter (escapes resolved), otherwise null. */
  String constant() {
    return constant;
  }

  /** Whether the last token is a macro-expand (a macro or %%, %_, %-), for the domain-end rule. */
  boolean endsWithMacroExpand() {
    return endsWithMacroExpand;
  }

  /** The written text after the last macro-expand (all of it when there is none). */
  String trailingLiteral() {
    return trailingLiteral;
  }

  /** Appends the expansion to {@code out}, asking {@code values} for each macro letter's value. */
  void expand(MacroValues values, String domain, StringBuilder out) {
    for (Object part : parts) {
      if (part instanceof String s) {
        out.append(s);
      } else {
        Macro m = (Macro) part;
        String value = values.macroValue(m.letter(), domain);
        if (m.keep() == 0 && !m.reverse() && m.delimiters() == null) {
          appendEscaped(out, value, m.urlEscape());
        } else {
          appendEscaped(out, transform(value, m), m.urlEscape());
        }
      }
    }
  }

  /** The expansion as a string. */
  String expand(MacroValues values, String domain) {
    if (constant != null) {
      return constant;
    }
    StringBuilder sb = new StringBuilder(text.length() + 32);
    expand(values, domain, sb);
    return sb.toString();
  }

  /**
   * Section 7.3: split on the delimiters (default "."), optionally reverse, keep the right-most
   * {@code keep} parts, and rejoin with ".". Empty parts are kept as they are.
   */
  static String transform(String value, Macro m) {
    String delimiters = m.delimiters() == null ? "." : m.delimiters();
    List<String> parts = new ArrayList<>(8);
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      if (delimiters.indexOf(value.charAt(i)) >= 0) {
        parts.add(value.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(value.substring(start));
    int n = parts.size();
    int keep = m.keep() == 0 ? n : Math.min(m.keep(), n);
    StringBuilder sb = new StringBuilder(value.length());
    if (m.reverse()) {
      // Reversed order is parts[n-1] .. parts[0]; keep its right-most "keep" parts.
      for (int i = keep - 1; i >= 0; i--) {
        if (i != keep - 1) {
          sb.append('.');
        }
        sb.append(parts.get(i));
      }
    } else {
      for (int i = n - keep; i < n; i++) {
        if (i != n - keep) {
          sb.append('.');
        }
        sb.append(parts.get(i));
      }
    }
    return sb.toString();
  }

  /** Appends {@code value}, URL-escaping (RFC 3986 percent-encoding of UTF-8) all but unreserved chars. */
  private static void appendEscaped(StringBuilder out, String value, boolean escape) {
    if (!escape) {
      out.append(value);
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (DomainNames.isAlpha(c) || DomainNames.isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append(c);
      } else if (c < 0x80) {
        appendPercent(out, c);
      } else {
        int cp = value.codePointAt(i);
        for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
          appendPercent(out, b & 0xff);
        }
        i += Character.charCount(cp) - 1;
      }
    }
  }

  private static void appendPercent(StringBuilder out, int b) {
    out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
  }

  @Override
  public String toString() {
    return text;
  }

  /** The values of macro letters during one evaluation. */
  interface MacroValues {
    /** The value of lower-case {@code letter} while evaluating the record of {@code domain}. */
    String macroValue(char letter, String domain);
  }
}
