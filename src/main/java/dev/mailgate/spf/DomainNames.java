package dev.mailgate.spf;

/** Domain-name rules SPF applies to <domain> arguments and to target names built from a domain-spec. */
final class DomainNames {
  /** RFC 7208 section 7.3: the longest domain name in presentation form, without the trailing dot. */
  static final int MAX_NAME = 253;
  /** RFC 1035 section 2.3.4. */
  static final int MAX_LABEL = 63;

  private DomainNames() {}

  /** {@code name} without one trailing dot. */
  static String stripTrailingDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  /**
   * Why {@code domain} cannot be a check_host() <domain>, or null when it can. RFC 7208 section 4.3:
   * a label longer than 63 characters, a zero-length label not at the end, or a name that is not a
   * multi-label domain name gives "none". Beyond that we require printable US-ASCII (section 4.3: IDNs
   * must arrive as A-labels) and a last label that could be a top-level domain (the "toplabel" rule of
   * section 7.1), which rules out address literals such as {@code [192.0.2.1]} and bare IPv4 addresses.
   */
  static String checkHostDomainProblem(String domain) {
    if (domain == null || domain.isEmpty()) {
      return "empty domain";
    }
    String name = stripTrailingDot(domain);
    if (name.length() > MAX_NAME) {
      return "domain name longer than " + MAX_NAME + " characters";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return "domain name contains a character that is not printable US-ASCII";
      }
    }
    String labelProblem = labelProblem(name);
    if (labelProblem != null) {
      return labelProblem;
    }
    int lastDot = name.lastIndexOf('.');
    if (lastDot < 0) {
      return "not a multi-label domain name";
    }
    if (!isTopLabel(name, lastDot + 1, name.length())) {
      return "last label '" + name.substring(lastDot + 1) + "' is not a valid top-level label";
    }
    return null;
  }

  /**
   * The target name for a DNS query made from an expanded domain-spec, or null when no query can be
   * made for it (RFC 7208 section 4.8: such names are "undefined"; we treat them as non-existent, as
   * section 4.3 does for the initial domain). A trailing dot is dropped, and a name longer than 253
   * characters loses labels on the left until it fits (section 7.3).
   */
  static String targetName(String expanded) {
    String name = stripTrailingDot(expanded);
    while (name.length() > MAX_NAME) {
      int dot = name.indexOf('.');
      if (dot < 0) {
        return null;
      }
      name = name.substring(dot + 1);
    }
    return name.isEmpty() || labelProblem(name) != null ? null : name;
  }

  /** Why the labels of {@code name} (no trailing dot) are unusable, or null: empty or too long labels. */
  private static String labelProblem(String name) {
    int start = 0;
    int n = name.length();
    while (start <= n) {
      int dot = name.indexOf('.', start);
      int end = dot < 0 ? n : dot;
      int len = end - start;
      if (len == 0) {
        return "empty label in domain name";
      }
      if (len > MAX_LABEL) {
        return "label longer than " + MAX_LABEL + " characters";
      }
      if (dot < 0) {
        return null;
      }
      start = dot + 1;
    }
    return null;
  }

  /**
   * RFC 7208 section 7.1: {@code toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *(
   * alphanum / "-" ) alphanum )}, i.e. letters, digits and hyphens, not starting or ending with a hyphen,
   * and not all digits.
   */
  static boolean isTopLabel(CharSequence s, int from, int to) {
    if (to <= from) {
      return false;
    }
    boolean letterOrHyphen = false;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (isAlpha(c) || c == '-') {
        letterOrHyphen = true;
      } else if (!isDigit(c)) {
        return false;
      }
    }
    return s.charAt(from) != '-' && s.charAt(to - 1) != '-' && letterOrHyphen;
  }

  /** Whether {@code name} equals {@code domain} or is a subdomain of it, ignoring case and trailing dots. */
  static boolean isWithin(String name, String domain) {
    String n = stripTrailingDot(name);
    String d = stripTrailingDot(domain);
    if (n.length() == d.length()) {
      return n.equalsIgnoreCase(d);
    }
    int offset = n.length() - d.length();
    return offset > 0 && n.charAt(offset - 1) == '.' && n.regionMatches(true, offset, d, 0, d.length());
  }

  static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
