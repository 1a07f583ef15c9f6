package dev.mailgate.dkim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A DKIM tag=value list (RFC 6376 section 3.2), as used by DKIM-Signature fields, DKIM key records and
 * the ARC header fields. Immutable and thread-safe.
 *
 * <p>Parsing never throws: a malformed list is a value whose {@link #error()} says what is wrong (the
 * caller turns it into permerror). The original text is kept, with the position of every tag's value,
 * so that a value can be blanked out byte-exactly ({@link #withEmptyValue}), as computing the hash of a
 * signature field with its {@code b=} emptied requires.
 */
public final class TagList {
  private final String text;
  private final List<Tag> tags;
  private final String error;

  /**
   * One tag of the list.
   *
   * @param name the tag name (case-sensitive, RFC 6376 section 3.2)
   * @param value the value without the whitespace around it; whitespace inside it is kept
   * @param regionStart offset in the parsed text of the first character after the {@code =}
   * @param regionEnd offset of the {@code ;} that ends the tag-spec (or the text's length)
   */
  public record Tag(String name, String value, int regionStart, int regionEnd) {}

  private TagList(String text, List<Tag> tags, String error) {
    this.text = text;
    this.tags = tags;
    this.error = error;
  }

  /**
   * Parses a tag-list. Whitespace, including folding (CRLF followed by whitespace), is allowed around
   * names, {@code =} and values. A trailing {@code ;} is allowed; an empty tag-spec elsewhere, a
   * tag-spec without {@code =}, an invalid tag name, a control character in a value or a duplicate tag
   * make the whole list invalid (RFC 6376 section 3.2: "the entire tag-list is invalid"). Empty input
   * is a valid list with no tags.
   */
  public static TagList parse(String text) {
    List<Tag> tags = new ArrayList<>(16);
    int n = text.length();
    int pos = 0;
    while (true) {
      int semi = text.indexOf(';', pos);
      if (semi < 0) {
        semi = n;
      }
      int p = skipWhitespace(text, pos, semi);
      if (p == semi) {
        if (semi == n) {
          break; // nothing after the last ';' (or an empty list)
        }
        return invalid(text, "empty tag-spec at offset " + pos);
      }
      int nameStart = p;
      if (!isAlpha(text.charAt(p))) {
        return invalid(text, "invalid tag name at offset " + p);
      }
      p++;
      while (p < semi && isNameChar(text.charAt(p))) {
        p++;
      }
      String name = text.substring(nameStart, p);
      p = skipWhitespace(text, p, semi);
      if (p == semi || text.charAt(p) != '=') {
        return invalid(text, "tag-spec \"" + shorten(text.substring(nameStart, semi).strip()) + "\" has no '='");
      }
      int regionStart = p + 1;
      int valueStart = skipWhitespace(text, regionStart, semi);
      int valueEnd = semi;
      while (valueEnd > valueStart && isWhitespace(text.charAt(valueEnd - 1))) {
        valueEnd--;
      }
      for (int i = valueStart; i < valueEnd; i++) {
        char c = text.charAt(i);
        // VALCHAR is %x21-3A / %x3C-7E; whitespace may separate tvals; 8-bit text is let through as the
        // RFC's implementation note advises (UTF-8 in tag values).
        if (c < 0x21 && !isWhitespace(c) || c == 0x7f) {
          return invalid(text, "control character in value of tag " + name);
        }
      }
      for (Tag t : tags) {
        if (t.name.equals(name)) {
          return invalid(text, "duplicate tag " + name + "="); // RFC 6376 section 3.2
        }
      }
      tags.add(new Tag(name, text.substring(valueStart, valueEnd), regionStart, semi));
      if (semi == n) {
        break;
      }
      pos = semi + 1;
    }
    return new TagList(text, Collections.unmodifiableList(tags), null);
  }

  private static TagList invalid(String text, String error) {
    return new TagList(text, List.of(), error);
  }

  /** Why the list is malformed, or null when it parsed. */
  public String error() {
    return error;
  }

  public boolean isValid() {
    return error == null;
  }

  /** The text that was parsed. */
  public String text() {
    return text;
  }

  /** The tags in order of appearance (empty when malformed). */
  public List<Tag> tags() {
    return tags;
  }

  /** The value of {@code name} (surrounding whitespace removed), or null when the tag is absent. */
  public String get(String name) {
    Tag t = tag(name);
    return t == null ? null : t.value;
  }

  /** The value of {@code name}, or {@code dflt} when the tag is absent. */
  public String get(String name, String dflt) {
    String v = get(name);
    return v == null ? dflt : v;
  }

  public boolean has(String name) {
    return tag(name) != null;
  }

  /** The tag called {@code name}, or null. */
  public Tag tag(String name) {
    for (Tag t : tags) {
      if (t.name.equals(name)) {
        return t;
      }
    }
    return null;
  }

  /**
   * The parsed text with everything between {@code name=} and the following {@code ;} (or the end)
   * deleted, all other bytes unchanged: RFC 6376 section 3.7 step 2 ("the value of the b= tag
   * (including all surrounding whitespace) deleted"). Returns the text unchanged when the tag is absent.
   */
  public String withEmptyValue(String name) {
    Tag t = tag(name);
    if (t == null) {
      return text;
    }
    return text.substring(0, t.regionStart) + text.substring(t.regionEnd);
  }

  /**
   * Splits a colon-separated value (h=, q=, and the key record's h=, s=, t=) into its items with the
   * whitespace around each removed. An empty value gives one empty item, which callers reject where the
   * grammar needs a name.
   */
  public static List<String> splitColonList(String value) {
    List<String> out = new ArrayList<>();
    int start = 0;
    while (true) {
      int colon = value.indexOf(':', start);
      int end = colon < 0 ? value.length() : colon;
      out.add(stripWhitespace(value.substring(start, end)));
      if (colon < 0) {
        return out;
      }
      start = colon + 1;
    }
  }

  /** Removes every whitespace character (SP, HTAB, CR, LF): for base64 values, where FWS is ignored. */
  public static String removeWhitespace(String s) {
    int i = 0;
    while (i < s.length() && !isWhitespace(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    sb.append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isWhitespace(c)) {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  static String stripWhitespace(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && isWhitespace(s.charAt(a))) {
      a++;
    }
    while (b > a && isWhitespace(s.charAt(b - 1))) {
      b--;
    }
    return s.substring(a, b);
  }

  static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static int skipWhitespace(String s, int from, int to) {
    int i = from;
    while (i < to && isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isNameChar(char c) {
    return isAlpha(c) || (c >= '0' && c <= '9') || c == '_';
  }

  static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  @Override
  public String toString() {
    return error == null ? "TagList" + tags : "TagList(invalid: " + error + ")";
  }
}
