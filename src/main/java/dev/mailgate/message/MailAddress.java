package dev.mailgate.message;

import dev.mailgate.dns.InetAddresses;
import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/**
 * A mailbox address split into local-part and domain, as SPF (the MAIL FROM identity) and DMARC (the
 * author's domain) need it. Immutable and thread-safe.
 *
 * <p>{@code localPart} is as written: a dot-string, or a quoted string with its quotes and escapes (so
 * {@code "a@b"@example.com} has local-part {@code "a@b"}). {@code domain} is normalized: lower case, U-labels
 * converted to A-labels (RFC 5890 section 2.3.2.1), or an address literal such as {@code [192.0.2.1]} or
 * {@code [IPv6:2001:db8::1]} kept as written.
 *
 * @param localPart the local-part as written (never empty)
 * @param domain the domain in lower-case ASCII, or an address literal in brackets
 */
public record MailAddress(String localPart, String domain) {

  /** RFC 1035 section 2.3.4 / RFC 5321 section 4.5.3.1.2: at most 255 octets on the wire, 253 as text. */
  static final int MAX_DOMAIN = 253;

  static final int MAX_LABEL = 63;

  /** The outcome of {@link #parse}: an address, or why the text is not one. */
  public sealed interface Result permits Valid, Invalid {
    /** The address, or empty when the text was malformed. */
    default Optional<MailAddress> address() {
      return this instanceof Valid v ? Optional.of(v.mailAddress()) : Optional.empty();
    }
  }

  /** The text was a mailbox. */
  public record Valid(MailAddress mailAddress) implements Result {}

  /** The text was not a mailbox; {@code reason} says why, for logs and the CLI. */
  public record Invalid(String reason) implements Result {}

  /** {@code local-part@domain}. */
  @Override
  public String toString() {
    return localPart + "@" + domain;
  }

  /** Whether the domain is an address literal ({@code [192.0.2.1]}) rather than a domain name. */
  public boolean isAddressLiteral() {
    return domain.startsWith("[");
  }

  /** Like {@link #parse} but only the address. */
  public static Optional<MailAddress> tryParse(String text) {
    return parse(text).address();
  }

  /**
   * Parses an RFC 5321 Mailbox (section 4.1.2), as MAIL FROM, RCPT TO and Return-Path carry it: with or
   * without angle brackets, a source route ({@code <@relay1,@relay2:user@example.com>}, section 4.1.1.3) is
   * dropped, blanks around the whole are ignored. UTF-8 in the local-part and domain is accepted (RFC 6531).
   * The null path {@code <>} is {@link Invalid}: it is no mailbox. Never throws.
   */
  public static Result parse(String text) {
    if (text == null) {
      return new Invalid("no address");
    }
    String s = text.strip();
    if (s.startsWith("<")) {
      if (!s.endsWith(">") || s.length() < 2) {
        return new Invalid("unbalanced angle bracket");
      }
      s = s.substring(1, s.length() - 1);
      if (s.isEmpty()) {
        return new Invalid("null reverse-path <>");
      }
      if (s.charAt(0) == '@') {
        int colon = endOfSourceRoute(s);
        if (colon < 0) {
          return new Invalid("malformed source route");
        }
        s = s.substring(colon + 1);
      }
    } else if (s.endsWith(">")) {
      return new Invalid("unbalanced angle bracket");
    }
    if (s.isEmpty()) {
      return new Invalid("empty address");
    }
    int at = endOfLocalPart(s);
    if (at < 0) {
      return new Invalid("malformed local-part");
    }
    if (at >= s.length() || s.charAt(at) != '@') {
      return new Invalid("no @domain");
    }
    String local = s.substring(0, at);
    String rawDomain = s.substring(at + 1);
    if (rawDomain.startsWith("[")) {
      return addressLiteral(rawDomain)
          .<Result>map(d -> new Valid(new MailAddress(local, d)))
          .orElseGet(() -> new Invalid("malformed address literal"));
    }
    DomainCheck d = checkDomain(rawDomain);
    return d.domain != null ? new Valid(new MailAddress(local, d.domain)) : new Invalid(d.problem);
  }

  /**
   * The domain normalized (lower case, U-labels converted to A-labels), or empty when it is not a valid
   * domain name: labels of letters, digits and inner hyphens (RFC 5321 section 4.1.2), at most 63 octets each
   * and 253 in all (RFC 1035 section 2.3.4), no empty label and no trailing dot. Never throws.
   *
   * <p>Conversion uses {@link IDN#toASCII(String)}, which implements IDNA2003: it maps some characters that
   * IDNA2008 treats differently (German sharp s becomes "ss") and accepts the ideographic full stop as a dot.
   * When the conversion fails (a prohibited character, a label too long once encoded) the domain is invalid.
   */
  public static Optional<String> normalizeDomain(String domain) {
    return Optional.ofNullable(checkDomain(domain).domain);
  }

  /** A normalized domain, or null and the problem. */
  record DomainCheck(String domain, String problem) {}

  static DomainCheck checkDomain(String raw) {
    if (raw == null || raw.isEmpty()) {
      return new DomainCheck(null, "empty domain");
    }
    if (raw.length() > 4 * MAX_DOMAIN) {
      return new DomainCheck(null, "domain too long");
    }
    String ascii = raw;
    if (!isAscii(raw)) {
      try {
        // RFC 9989 5.3.1 and RFC 6531: U-labels become A-labels before any DNS use.
        ascii = IDN.toASCII(raw);
      } catch (IllegalArgumentException e) {
        return new DomainCheck(null, "IDN conversion failed");
      }
    }
    ascii = ascii.toLowerCase(Locale.ROOT);
    String problem = hostnameProblem(ascii);
    return problem == null ? new DomainCheck(ascii, null) : new DomainCheck(null, problem);
  }

  /** Why {@code d} (ASCII) is not an LDH host name, or null when it is one. */
  private static String hostnameProblem(String d) {
    if (d.length() > MAX_DOMAIN) {
      return "domain longer than 253 characters";
    }
    int labelStart = 0;
    for (int i = 0; i <= d.length(); i++) {
      if (i == d.length() || d.charAt(i) == '.') {
        int len = i - labelStart;
        if (len == 0) {
          return "empty label in domain";
        }
        if (len > MAX_LABEL) {
          return "domain label longer than 63 characters";
        }
        if (d.charAt(labelStart) == '-' || d.charAt(i - 1) == '-') {
          return "domain label starts or ends with a hyphen";
        }
        labelStart = i + 1;
        continue;
      }
      char c = d.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return "character not allowed in a domain name";
      }
    }
    return null;
  }

  /** RFC 5321 4.1.3: an IPv4 or IPv6 literal, or a general literal tag:content; kept as written. */
  static Optional<String> addressLiteral(String s) {
    if (s.length() < 3 || s.charAt(0) != '[' || s.charAt(s.length() - 1) != ']' || s.length() > 100) {
      return Optional.empty();
    }
    String inner = s.substring(1, s.length() - 1);
    int colon = inner.indexOf(':');
    if (colon < 0 || inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
      return InetAddresses.tryParse(inner).isPresent() ? Optional.of(s) : Optional.empty();
    }
    // General-address-literal = Standardized-tag ":" 1*dcontent; dcontent = %d33-90 / %d94-126.
    String tag = inner.substring(0, colon);
    if (tag.isEmpty() || hostnameProblem(tag.toLowerCase(Locale.ROOT)) != null || tag.contains(".")) {
      return Optional.empty();
    }
    String content = inner.substring(colon + 1);
    if (content.isEmpty()) {
      return Optional.empty();
    }
    for (int i = 0; i < content.length(); i++) {
      char c = content.charAt(i);
      if (c < 33 || c > 126 || (c >= 91 && c <= 93)) {
        return Optional.empty();
      }
    }
    return Optional.of(s);
  }

  /** Index of the colon ending a source route "@a,@b:" (RFC 5321 4.1.2 A-d-l), or -1 when malformed. */
  private static int endOfSourceRoute(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) == '@') {
      int end = i + 1;
      while (end < s.length() && s.charAt(end) != ',' && s.charAt(end) != ':') {
        end++;
      }
      String hop = s.substring(i + 1, end);
      boolean ok = hop.startsWith("[") ? addressLiteral(hop).isPresent() : checkDomain(hop).domain != null;
      if (!ok || end >= s.length()) {
        return -1;
      }
      if (s.charAt(end) == ':') {
        return end;
      }
      i = end + 1;
    }
    return -1;
  }

  /**
   * The index just past an RFC 5321 Local-part at the start of {@code s} (a Dot-string, or a Quoted-string
   * with qtextSMTP and quoted-pairSMTP), or -1 when there is none. Non-ASCII characters count as atext and
   * qtext (RFC 6531 section 3.3).
   */
  static int endOfLocalPart(String s) {
    if (s.isEmpty()) {
      return -1;
    }
    int i = 0;
    if (s.charAt(0) == '"') {
      i = 1;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == '"') {
          return i + 1; // "" is a valid (if odd) Quoted-string
        }
        if (c == '\\') {
          if (i + 1 >= s.length() || !isQuotedPairChar(s.charAt(i + 1))) {
            return -1;
          }
          i += 2;
          continue;
        }
        if (!(c >= 32 && c <= 126) && c < 0x80) {
          return -1; // control characters are not qtextSMTP
        }
        i++;
      }
      return -1; // no closing quote
    }
    boolean expectAtom = true;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '.') {
        if (expectAtom) {
          return -1; // leading or doubled dot
        }
        expectAtom = true;
      } else if (isAtext(c)) {
        expectAtom = false;
      } else {
        break;
      }
      i++;
    }
    return (i == 0 || expectAtom) ? -1 : i;
  }

  private static boolean isQuotedPairChar(char c) {
    return (c >= 32 && c <= 126) || c >= 0x80;
  }

  /** RFC 5322 3.2.3 atext, plus non-ASCII (RFC 6531 / RFC 6532). */
  static boolean isAtext(char c) {
    if (c >= 0x80) {
      return !Character.isWhitespace(c) && !Character.isISOControl(c);
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    return "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
  }

  static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
