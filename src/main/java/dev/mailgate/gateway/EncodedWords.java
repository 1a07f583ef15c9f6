package dev.mailgate.gateway;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * RFC 2047 encoded-words: reading them in display names, and writing text that is not plain ASCII so
 * that it can stand in a header field. Only what rewriting From and Subject needs. Stateless.
 */
public final class EncodedWords {
  /** RFC 2047 section 2: an encoded-word may not be more than 75 characters long. */
  static final int MAX_WORD = 75;

  private static final String SPECIALS = "()<>[]:;@\\,.\"";

  private EncodedWords() {}

  /**
   * Decodes the encoded-words in {@code text}; white space between two adjacent encoded-words is dropped
   * (RFC 2047 section 6.2). A word with an unknown charset or bad encoding is left as written.
   */
  public static String decode(String text) {
    if (text == null || !text.contains("=?")) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    int pendingSpaceStart = -1;
    boolean lastWasEncoded = false;
    while (i < text.length()) {
      int start = text.indexOf("=?", i);
      if (start < 0) {
        out.append(text, i, text.length());
        break;
      }
      String between = text.substring(i, start);
      int end = wordEnd(text, start);
      String decoded = end < 0 ? null : decodeWord(text.substring(start, end));
      if (decoded == null) {
        out.append(between).append("=?");
        i = start + 2;
        lastWasEncoded = false;
        continue;
      }
      if (!(lastWasEncoded && between.isBlank())) {
        out.append(between);
      }
      out.append(decoded);
      lastWasEncoded = true;
      i = end;
    }
    return out.toString();
  }

  /** The end (exclusive) of the encoded-word starting at {@code start}, or -1. */
  private static int wordEnd(String s, int start) {
    int q1 = s.indexOf('?', start + 2);
    if (q1 < 0) {
      return -1;
    }
    int q2 = s.indexOf('?', q1 + 1);
    if (q2 < 0 || q2 != q1 + 2) {
      return -1;
    }
    int close = s.indexOf("?=", q2 + 1);
    return close < 0 ? -1 : close + 2;
  }

  private static String decodeWord(String word) {
    String[] parts = word.substring(2, word.length() - 2).split("\\?", 3);
    if (parts.length != 3) {
      return null;
    }
    String charsetName = parts[0];
    int star = charsetName.indexOf('*'); // RFC 2231 language suffix
    if (star >= 0) {
      charsetName = charsetName.substring(0, star);
    }
    Charset cs;
    try {
      cs = Charset.forName(charsetName);
    } catch (RuntimeException e) {
      return null;
    }
    try {
      byte[] bytes;
      if (parts[1].equalsIgnoreCase("B")) {
        bytes = Base64.getMimeDecoder().decode(parts[2]);
      } else if (parts[1].equalsIgnoreCase("Q")) {
        bytes = decodeQ(parts[2]);
      } else {
        return null;
      }
      return new String(bytes, cs);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] decodeQ(String s) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '_') {
        out.write(' ');
      } else if (c == '=' && i + 2 < s.length()) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toByteArray();
  }

  /**
   * A display name as a phrase (RFC 5322 section 3.2.5): as it is when it is plain atoms, a
   * quoted-string when it has specials, encoded-words (UTF-8, B) when it has anything but printable ASCII.
   */
  public static String phrase(String name) {
    if (!isPrintableAscii(name)) {
      return encode(name);
    }
    boolean needsQuotes = name.isEmpty();
    for (int i = 0; i < name.length() && !needsQuotes; i++) {
      needsQuotes = SPECIALS.indexOf(name.charAt(i)) >= 0;
    }
    if (!needsQuotes) {
      return name;
    }
    StringBuilder sb = new StringBuilder(name.length() + 2).append('"');
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append('"').toString();
  }

  /** Unstructured text (a Subject prefix): as it is when printable ASCII, else encoded-words. */
  public static String text(String s) {
    return isPrintableAscii(s) ? s : encode(s);
  }

  /**
   * Encodes as UTF-8 B encoded-words of at most 75 characters each, separated by folding white space
   * (CRLF SP), never splitting a character.
   */
  static String encode(String s) {
    String prefix = "=?UTF-8?B?";
    int budget = (MAX_WORD - prefix.length() - 2) / 4 * 3; // input bytes per word
    StringBuilder out = new StringBuilder(s.length() * 2);
    int i = 0;
    while (i < s.length()) {
      int j = i;
      int bytes = 0;
      while (j < s.length()) {
        int cp = s.codePointAt(j);
        int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (bytes + n > budget) {
          break;
        }
        bytes += n;
        j += Character.charCount(cp);
      }
      if (out.length() > 0) {
        out.append("\r\n ");
      }
      out.append(prefix)
          .append(Base64.getEncoder().encodeToString(s.substring(i, j).getBytes(StandardCharsets.UTF_8)))
          .append("?=");
      i = j;
    }
    return out.toString();
  }

  static boolean isPrintableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
