package dev.mailgate.dkim;

import java.util.Locale;

/**
 * The DKIM canonicalization algorithms (RFC 6376 section 3.4), for header fields and for the body.
 * Shared by DKIM and ARC (RFC 8617 uses the same algorithms for ARC-Message-Signature and relaxed
 * header canonicalization for ARC-Seal). Stateless; the body canonicalizers it creates are not.
 */
public enum Canonicalization {
  /** "simple": header fields unchanged; trailing empty lines of the body reduced to one CRLF. */
  SIMPLE,
  /** "relaxed": whitespace runs reduced and trailing whitespace removed; field names lower-cased. */
  RELAXED;

  /** The name used in the c= tag. */
  public String tagValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The algorithm named {@code name} in a c= tag (case-sensitive, RFC 6376 section 3.2), or null. */
  public static Canonicalization fromTag(String name) {
    return switch (name) {
      case "simple" -> SIMPLE;
      case "relaxed" -> RELAXED;
      default -> null;
    };
  }

  /**
   * Appends the canonical form of one header field to {@code out}, without a terminating CRLF.
   *
   * @param raw the field as received: name, colon and value with its folding, without the final CRLF,
   *     one char per byte (ISO-8859-1), as {@link dev.mailgate.message.HeaderField#raw()} holds it
   */
  public void canonicalizeHeader(String raw, ByteBuilder out) {
    if (this == SIMPLE) {
      out.appendLatin1(raw); // RFC 6376 section 3.4.1: no change at all
      return;
    }
    // RFC 6376 section 3.4.2, in order: lower-case the name, unfold, reduce WSP runs to one SP, drop
    // WSP at the end of the value and around the colon.
    int colon = raw.indexOf(':');
    if (colon < 0) {
      colon = raw.length(); // not a field; canonicalize it as a name without value
    }
    int nameEnd = colon;
    while (nameEnd > 0 && isWsp(raw.charAt(nameEnd - 1))) {
      nameEnd--;
    }
    for (int i = 0; i < nameEnd; i++) {
      char c = raw.charAt(i);
      out.append((byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c));
    }
    out.append((byte) ':');
    boolean pendingSpace = false;
    boolean started = false;
    for (int i = colon + 1; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\r' || c == '\n') {
        continue; // unfolding: the CRLF goes, the WSP around it is reduced below
      }
      if (c == ' ' || c == '\t') {
        pendingSpace = started;
        continue;
      }
      if (pendingSpace) {
        out.append((byte) ' ');
        pendingSpace = false;
      }
      out.append((byte) c);
      started = true;
    }
  }

  /** The canonical form of one header field as a string (one char per byte), for tests and logs. */
  public String canonicalizeHeader(String raw) {
    ByteBuilder b = new ByteBuilder(raw.length() + 8);
    canonicalizeHeader(raw, b);
    return b.toLatin1String();
  }

  /** A new streaming body canonicalizer of this kind, writing its output to {@code sink}. */
  public BodyCanonicalizer newBodyCanonicalizer(BodyCanonicalizer.Sink sink) {
    return this == SIMPLE ? new BodyCanonicalizer.Simple(sink) : new BodyCanonicalizer.Relaxed(sink);
  }

  private static boolean isWsp(char c) {
    return c == ' ' || c == '\t';
  }
}
