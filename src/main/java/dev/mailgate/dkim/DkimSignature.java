package dev.mailgate.dkim;

import dev.mailgate.message.HeaderField;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One DKIM-Signature header field, parsed and validated as RFC 6376 section 6.1.1 requires. Immutable
 * and thread-safe.
 *
 * <p>{@link #parse} never throws. A field that is not a valid signature has a non-null {@link #error()}
 * (the verifier reports permerror); the raw d=, s=, a=, i= and b= values are still available when the
 * tag-list itself parsed, for the result.
 */
public final class DkimSignature {
  /** RFC 6376 section 3.5 t= and x=: values longer than 12 digits MAY be considered infinite. */
  public static final long INFINITE_TIME = Long.MAX_VALUE;

  private final HeaderField field;
  private final TagList tags;
  private final String error;
  private final SignatureAlgorithm algorithm; // "a"
  private final byte[] signature; // "b"
  private final byte[] bodyHash; // "bh"
  private final Canonicalization headerCanonicalization; // "c", first half
  private final Canonicalization bodyCanonicalization; // "c", second half
  private final String domain; // "d"
  private final List<String> signedHeaders; // "h"
  private final String identity; // "i", decoded; "@" + d when absent
  private final long bodyLength; // "l"; -1 when absent
  private final String selector; // "s"
  private final long timestamp; // "t"; -1 when absent
  private final long expiration; // "x"; -1 when absent

  private DkimSignature(Builder b) {
    this.field = b.field;
    this.tags = b.tags;
    this.error = b.error;
    this.algorithm = b.algorithm;
    this.signature = b.signature;
    this.bodyHash = b.bodyHash;
    this.headerCanonicalization = b.headerCanonicalization;
    this.bodyCanonicalization = b.bodyCanonicalization;
    this.domain = b.domain;
    this.signedHeaders = b.signedHeaders;
    this.identity = b.identity;
    this.bodyLength = b.bodyLength;
    this.selector = b.selector;
    this.timestamp = b.timestamp;
    this.expiration = b.expiration;
  }

  /** Parses and validates a DKIM-Signature field (the field's name is not checked here). */
  public static DkimSignature parse(HeaderField field) {
    Builder b = new Builder();
    b.field = field;
    String raw = field.raw();
    b.tags = TagList.parse(raw.substring(raw.indexOf(':') + 1));
    b.error = validate(b);
    return new DkimSignature(b);
  }

  private static String validate(Builder b) {
    TagList t = b.tags;
    if (!t.isValid()) {
      return "signature syntax error: " + t.error();
    }
    // RFC 6376 section 6.1.1: "PERMFAIL (incompatible version)" for a v= other than 1.
    String v = t.get("v");
    if (v == null) {
      return "missing required tag v= (pre-RFC 6376 signature)";
    }
    if (!v.equals("1")) {
      return "incompatible version v=" + TagList.shorten(v);
    }
    for (String req : new String[] {"a", "b", "bh", "d", "h", "s"}) {
      if (!t.has(req)) {
        return "missing required tag " + req + "=";
      }
    }
    String a = t.get("a");
    if (a.equals(SignatureAlgorithm.RSA_SHA1)) {
      // RFC 8301 section 3.1: "rsa-sha1 MUST NOT be used for signing or verifying."
      return "rsa-sha1 is not accepted (RFC 8301)";
    }
    b.algorithm = SignatureAlgorithm.fromTag(a);
    if (b.algorithm == null) {
      return "unsupported algorithm a=" + TagList.shorten(a); // RFC 6376 section 3.3.4
    }
    b.signature = decodeBase64(t.get("b"));
    if (b.signature == null) {
      return "signature syntax error: b= is not base64";
    }
    b.bodyHash = decodeBase64(t.get("bh"));
    if (b.bodyHash == null) {
      return "signature syntax error: bh= is not base64";
    }
    String c = t.get("c", "simple/simple");
    int slash = c.indexOf('/');
    b.headerCanonicalization = Canonicalization.fromTag(slash < 0 ? c : c.substring(0, slash));
    // RFC 6376 section 3.5: "c=relaxed" is treated the same as "c=relaxed/simple".
    b.bodyCanonicalization = slash < 0 ? Canonicalization.SIMPLE : Canonicalization.fromTag(c.substring(slash + 1));
    if (b.headerCanonicalization == null || b.bodyCanonicalization == null) {
      return "unsupported canonicalization c=" + TagList.shorten(c); // RFC 6376 section 3.4
    }
    b.domain = t.get("d");
    if (!isDomainName(b.domain, true)) {
      return "signature syntax error: d=" + TagList.shorten(b.domain) + " is not a domain name";
    }
    b.selector = t.get("s");
    if (!isDomainName(b.selector, false)) {
      return "signature syntax error: s=" + TagList.shorten(b.selector) + " is not a selector";
    }
    List<String> h = TagList.splitColonList(t.get("h"));
    boolean from = false;
    for (String name : h) {
      if (!isFieldName(name)) {
        return "signature syntax error: h= has an invalid header field name";
      }
      from |= name.equalsIgnoreCase("from");
    }
    if (!from) {
      return "From field not signed (h= lacks from)"; // RFC 6376 section 6.1.1
    }
    b.signedHeaders = Collections.unmodifiableList(new ArrayList<>(h));
    String i = t.get("i");
    if (i == null) {
      b.identity = "@" + b.domain; // RFC 6376 section 6.1.1: behave as though i= were "@d"
    } else {
      b.identity = decodeQuotedPrintable(i);
      int at = b.identity == null ? -1 : b.identity.lastIndexOf('@');
      if (at < 0) {
        return "signature syntax error: i= is not an address";
      }
      String iDomain = b.identity.substring(at + 1);
      if (!isDomainName(iDomain, true)) {
        return "signature syntax error: the domain of i= is not a domain name";
      }
      // RFC 6376 section 6.1.1: d= must be the same as or a parent domain of the i= domain.
      if (!isSameOrSubdomain(iDomain, b.domain)) {
        return "domain mismatch: i= domain " + TagList.shorten(iDomain) + " is not within d=" + b.domain;
      }
    }
    b.bodyLength = -1;
    if (t.has("l")) {
      String l = t.get("l");
      if (!isDigits(l, 76)) {
        return "signature syntax error: l= is not a number";
      }
      // RFC 6376 section 3.5: up to 76 digits; anything beyond a long is longer than any body.
      b.bodyLength = l.length() > 18 ? Long.MAX_VALUE : Long.parseLong(l);
    }
    if (t.has("q")) {
      boolean dnsTxt = false;
      for (String method : TagList.splitColonList(t.get("q"))) {
        dnsTxt |= method.equals("dns/txt");
      }
      // RFC 6376 section 3.5: unrecognized methods are ignored; dns/txt is the only one defined.
      if (!dnsTxt) {
        return "unsupported query method q=" + TagList.shorten(t.get("q"));
      }
    }
    b.timestamp = time(t.get("t"));
    b.expiration = time(t.get("x"));
    if (b.timestamp == -2) {
      return "signature syntax error: t= is not a number";
    }
    if (b.expiration == -2) {
      return "signature syntax error: x= is not a number";
    }
    // RFC 6376 section 3.5: "The value of the x= tag MUST be greater than the value of the t= tag".
    if (b.timestamp >= 0 && b.expiration >= 0 && b.expiration <= b.timestamp) {
      return "signature syntax error: x= is not later than t=";
    }
    return null;
  }

  /** Seconds since the epoch; -1 when absent, -2 when malformed, {@link #INFINITE_TIME} past 12 digits. */
  public static long time(String value) {
    if (value == null) {
      return -1;
    }
    if (!isDigits(value, Integer.MAX_VALUE)) {
      return -2;
    }
    return value.length() > 12 ? INFINITE_TIME : Long.parseLong(value);
  }

  public static boolean isDigits(String s, int maxLength) {
    if (s.isEmpty() || s.length() > maxLength) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  public static byte[] decodeBase64(String value) {
    String s = TagList.removeWhitespace(value);
    if (s.isEmpty()) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Decodes dkim-quoted-printable (RFC 6376 section 2.11): whitespace is removed, {@code =XX} is one
   * octet. Returns null when malformed. Octets are kept one char per byte, like header fields.
   */
  static String decodeQuotedPrintable(String value) {
    String s = TagList.removeWhitespace(value);
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '=') {
        out.append(c);
        continue;
      }
      if (i + 2 >= s.length()) {
        return null;
      }
      int hi = hexDigit(s.charAt(i + 1));
      int lo = hexDigit(s.charAt(i + 2));
      if (hi < 0 || lo < 0) {
        return null;
      }
      out.append((char) (hi * 16 + lo));
      i += 2;
    }
    return out.toString();
  }

  /** An ASCII hex digit's value (RFC 2045 hex-octet; lower case accepted too), or -1. */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  /**
   * Whether {@code name} is a domain name in LDH form (RFC 6376 section 3.5 d=, s= and the i= domain:
   * sub-domain labels from RFC 5321; d= and i= need at least two labels).
   */
  public static boolean isDomainName(String name, boolean twoLabels) {
    if (name == null || name.isEmpty() || name.length() > 253) {
      return false;
    }
    int labels = 0;
    int start = 0;
    while (start <= name.length()) {
      int dot = name.indexOf('.', start);
      int end = dot < 0 ? name.length() : dot;
      if (!isLabel(name, start, end)) {
        return false;
      }
      labels++;
      if (dot < 0) {
        break;
      }
      start = dot + 1;
    }
    return !twoLabels || labels >= 2;
  }

  private static boolean isLabel(String s, int from, int to) {
    if (to - from < 1 || to - from > 63 || s.charAt(from) == '-' || s.charAt(to - 1) == '-') {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** field-name = 1*ftext, ftext = %d33-57 / %d59-126 (RFC 5322 section 3.6.8). */
  public static boolean isFieldName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 33 || c > 126 || c == ':') {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code sub} equals {@code parent} or is a subdomain of it, case-insensitively. */
  static boolean isSameOrSubdomain(String sub, String parent) {
    String s = sub.toLowerCase(Locale.ROOT);
    String p = parent.toLowerCase(Locale.ROOT);
    return s.equals(p) || s.endsWith("." + p);
  }

  /** The field this signature was parsed from. */
  public HeaderField field() {
    return field;
  }

  /** The parsed tag-list (check {@link TagList#isValid()}). */
  public TagList tags() {
    return tags;
  }

  /** Why this is not a valid signature (RFC 6376 section 6.1.1), or null when it is. */
  public String error() {
    return error;
  }

  public boolean isValid() {
    return error == null;
  }

  /** The signing algorithm (a=); null when invalid. */
  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  /** The a= value as written, or null when absent. */
  public String algorithmName() {
    return tags.get("a");
  }

  /** The decoded b= value; null when invalid. Not a copy: do not modify. */
  public byte[] signature() {
    return signature;
  }

  /** The decoded bh= value; null when invalid. Not a copy: do not modify. */
  public byte[] bodyHash() {
    return bodyHash;
  }

  public Canonicalization headerCanonicalization() {
    return headerCanonicalization;
  }

  public Canonicalization bodyCanonicalization() {
    return bodyCanonicalization;
  }

  /** The SDID (d=) as written; when invalid, the raw d= value or null. */
  public String domain() {
    return domain != null ? domain : tags.get("d");
  }

  /** The selector (s=) as written; when invalid, the raw s= value or null. */
  public String selector() {
    return selector != null ? selector : tags.get("s");
  }

  /** The h= names in order, as written. */
  public List<String> signedHeaders() {
    return signedHeaders;
  }

  /** The AUID: i= decoded, or "@" + d= when i= is absent; when invalid, the raw i= value or null. */
  public String identity() {
    return identity != null ? identity : tags.get("i");
  }

  /** The l= body length, or -1 when absent. */
  public long bodyLength() {
    return bodyLength;
  }

  /** t= in seconds since the epoch, or -1 when absent. */
  public long timestamp() {
    return timestamp;
  }

  /** x= in seconds since the epoch, or -1 when absent. */
  public long expiration() {
    return expiration;
  }

  /**
   * The first 8 characters of b= without whitespace (RFC 6008 header.b), or null when there is no b=.
   */
  public String bPrefix() {
    String b = tags.get("b");
    if (b == null) {
      return null;
    }
    String s = TagList.removeWhitespace(b);
    return s.length() <= 8 ? s : s.substring(0, 8);
  }

  /**
   * The field as received with the value of b= deleted (RFC 6376 section 3.7 step 2): every other byte,
   * folding included, unchanged. Only meaningful when the tag-list parsed.
   */
  public String fieldWithoutSignature() {
    String raw = field.raw();
    return raw.substring(0, raw.indexOf(':') + 1) + tags.withEmptyValue("b");
  }

  private static final class Builder {
    HeaderField field;
    TagList tags;
    String error;
    SignatureAlgorithm algorithm;
    byte[] signature;
    byte[] bodyHash;
    Canonicalization headerCanonicalization;
    Canonicalization bodyCanonicalization;
    String domain;
    List<String> signedHeaders = List.of();
    String identity;
    long bodyLength = -1;
    String selector;
    long timestamp = -1;
    long expiration = -1;
  }

  @Override
  public String toString() {
    return "DkimSignature(d=" + domain() + ", s=" + selector() + ", a=" + algorithmName()
        + (error == null ? "" : ", invalid: " + error) + ")";
  }
}
