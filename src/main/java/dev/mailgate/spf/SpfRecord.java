package dev.mailgate.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed SPF record (RFC 7208 section 4.6): its directives in order and the redirect and exp
 * modifiers. Unknown modifiers are checked for syntax and then dropped (section 6). Immutable, so one
 * instance serves every evaluation of the same text.
 *
 * @param directives the directives, left to right
 * @param redirect the redirect= domain-spec, or null
 * @param explanation the exp= domain-spec, or null
 * @param text the record as published
 */
record SpfRecord(List<Directive> directives, DomainSpec redirect, DomainSpec explanation, String text) {
  private static final String VERSION = "v=spf1";

  SpfRecord {
    directives = List.copyOf(directives);
  }

  /**
   * Whether a TXT record is an SPF version 1 record (section 4.5): it begins with "v=spf1",
   * case-insensitively, followed by a space or the end of the record.
   */
  static boolean isSpfRecord(String txt) {
    return txt.regionMatches(true, 0, VERSION, 0, VERSION.length())
        && (txt.length() == VERSION.length() || txt.charAt(VERSION.length()) == ' ');
  }

  /** Parses a record for which {@link #isSpfRecord} holds. Never throws for any input. */
  static RecordParse parse(String text) {
    if (!isSpfRecord(text)) {
      return new RecordParse.Invalid("not an SPF version 1 record");
    }
    try {
      return new RecordParse.Valid(parseTerms(text));
    } catch (SpfSyntaxException e) {
      return new RecordParse.Invalid(e.getMessage());
    }
  }

  private static SpfRecord parseTerms(String text) throws SpfSyntaxException {
    List<Directive> directives = new ArrayList<>();
    DomainSpec redirect = null;
    DomainSpec explanation = null;
    int n = text.length();
    int pos = VERSION.length();
    // terms = *( 1*SP ( directive / modifier ) ), record = version terms *SP (section 4.5, 4.6.1)
    while (pos < n) {
      while (pos < n && text.charAt(pos) == ' ') {
        pos++;
      }
      if (pos == n) {
        break;
      }
      int end = text.indexOf(' ', pos);
      if (end < 0) {
        end = n;
      }
      String term = text.substring(pos, end);
      pos = end;
      checkCharacters(term);
      int nameEnd = modifierNameEnd(term);
      if (nameEnd > 0) {
        String name = term.substring(0, nameEnd);
        String value = term.substring(nameEnd + 1);
        if (name.equalsIgnoreCase("redirect")) {
          if (redirect != null) {
            throw new SpfSyntaxException("redirect= appears more than once"); // section 6
          }
          redirect = DomainSpec.parse(value);
        } else if (name.equalsIgnoreCase("exp")) {
          if (explanation != null) {
            throw new SpfSyntaxException("exp= appears more than once"); // section 6
          }
          // Section 6.2 says to ignore an empty exp=, but its grammar (and the erratum the test suite
          // follows) makes "exp=" a syntax error, so DomainSpec.parse rejects it.
          explanation = DomainSpec.parse(value);
        } else {
          // unknown-modifier = name "=" macro-string: ignored, but its syntax must be valid.
          MacroString.parse(value, MacroString.Kind.UNKNOWN_MODIFIER);
        }
      } else {
        directives.add(parseDirective(term));
      }
    }
    return new SpfRecord(directives, redirect, explanation, text);
  }

  /** Terms are visible US-ASCII (section 3.1); any other character, control or non-ASCII, is an error. */
  private static void checkCharacters(String term) throws SpfSyntaxException {
    for (int i = 0; i < term.length(); i++) {
      char c = term.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new SpfSyntaxException(String.format("character U+%04X in term %s", (int) c, quote(term)));
      }
    }
  }

  /**
   * Where a modifier name ends (the index of its "="), or -1 when the term is not a modifier: section
   * 4.6.1, {@code name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )} immediately followed by "=".
   */
  private static int modifierNameEnd(String term) {
    if (term.isEmpty() || !DomainNames.isAlpha(term.charAt(0))) {
      return -1;
    }
    int i = 1;
    while (i < term.length()) {
      char c = term.charAt(i);
      if (DomainNames.isAlpha(c) || DomainNames.isDigit(c) || c == '-' || c == '_' || c == '.') {
        i++;
      } else {
        return c == '=' ? i : -1;
      }
    }
    return -1;
  }

  private static Directive parseDirective(String term) throws SpfSyntaxException {
    Qualifier qualifier = Qualifier.of(term.charAt(0));
    int start = qualifier == null ? 0 : 1;
    if (qualifier == null) {
      qualifier = Qualifier.PASS; // section 4.6.2: the qualifier defaults to "+"
    }
    int nameEnd = start;
    while (nameEnd < term.length()
        && (DomainNames.isAlpha(term.charAt(nameEnd)) || DomainNames.isDigit(term.charAt(nameEnd)))) {
      nameEnd++;
    }
    String name = term.substring(start, nameEnd).toLowerCase(Locale.ROOT);
    String rest = term.substring(nameEnd);
    if (!rest.isEmpty() && rest.charAt(0) != ':' && rest.charAt(0) != '/') {
      throw new SpfSyntaxException("invalid term " + quote(term));
    }
    Mechanism mechanism = switch (name) {
      case "all" -> {
        if (!rest.isEmpty()) {
          throw new SpfSyntaxException("'all' takes no argument: " + quote(term)); // section 5.1
        }
        yield new Mechanism.All();
      }
      case "include" -> new Mechanism.Include(requiredDomainSpec(rest, term));
      case "exists" -> new Mechanism.Exists(requiredDomainSpec(rest, term));
      case "ptr" -> {
        if (rest.isEmpty()) {
          yield new Mechanism.Ptr(null);
        }
        yield new Mechanism.Ptr(requiredDomainSpec(rest, term));
      }
      case "a", "mx" -> addressMechanism(name, rest, term);
      case "ip4" -> ip4(rest, term);
      case "ip6" -> ip6(rest, term);
      default -> throw new SpfSyntaxException("unknown mechanism " + quote(term));
    };
    return new Directive(qualifier, mechanism, term);
  }

  /** {@code ":" domain-spec}, as include, exists and ptr take it. */
  private static DomainSpec requiredDomainSpec(String rest, String term) throws SpfSyntaxException {
    if (!rest.startsWith(":")) {
      throw new SpfSyntaxException(quote(term) + " needs ':' and a domain");
    }
    if (rest.length() == 1) {
      throw new SpfSyntaxException("empty domain-spec in " + quote(term));
    }
    return DomainSpec.parse(rest.substring(1));
  }

  /** a and mx: {@code [ ":" domain-spec ] [ dual-cidr-length ]} (sections 5.3, 5.4, 5.6). */
  private static Mechanism addressMechanism(String name, String rest, String term) throws SpfSyntaxException {
    int cidr4 = 32;
    int cidr6 = 128;
    String r = rest;
    int digits = trailingDigitsStart(r);
    if (digits < r.length() && digits >= 1 && r.charAt(digits - 1) == '/') {
      if (digits >= 2 && r.charAt(digits - 2) == '/') {
        // "//" ip6-cidr-length at the end, possibly after an ip4-cidr-length
        cidr6 = cidrLength(r.substring(digits), 128, term);
        r = r.substring(0, digits - 2);
        digits = trailingDigitsStart(r);
        if (digits < r.length() && digits >= 1 && r.charAt(digits - 1) == '/') {
          cidr4 = cidrLength(r.substring(digits), 32, term);
          r = r.substring(0, digits - 1);
        }
      } else {
        cidr4 = cidrLength(r.substring(digits), 32, term);
        r = r.substring(0, digits - 1);
      }
    }
    DomainSpec target = null;
    if (!r.isEmpty()) {
      if (r.charAt(0) != ':') {
        throw new SpfSyntaxException("invalid argument in " + quote(term));
      }
      target = requiredDomainSpec(r, term);
    }
    return name.equals("a") ? new Mechanism.A(target, cidr4, cidr6) : new Mechanism.Mx(target, cidr4, cidr6);
  }

  private static int trailingDigitsStart(String s) {
    int i = s.length();
    while (i > 0 && DomainNames.isDigit(s.charAt(i - 1))) {
      i--;
    }
    return i;
  }

  /**
   * ip4-cidr-length = "/" ("0" / %x31-39 0*1DIGIT), value 0-32; ip6-cidr-length = "/" ("0" / %x31-39
   * 0*2DIGIT), value 0-128 (section 5.6). No leading zeros.
   */
  private static int cidrLength(String digits, int max, String term) throws SpfSyntaxException {
    if (digits.isEmpty() || digits.length() > 3 || (digits.length() > 1 && digits.charAt(0) == '0')) {
      throw new SpfSyntaxException("invalid CIDR length in " + quote(term));
    }
    for (int i = 0; i < digits.length(); i++) {
      if (!DomainNames.isDigit(digits.charAt(i))) {
        throw new SpfSyntaxException("invalid CIDR length in " + quote(term));
      }
    }
    int value = Integer.parseInt(digits);
    if (value > max) {
      throw new SpfSyntaxException("CIDR length " + value + " larger than " + max + " in " + quote(term));
    }
    return value;
  }

  private static Mechanism ip4(String rest, String term) throws SpfSyntaxException {
    if (!rest.startsWith(":")) {
      throw new SpfSyntaxException(quote(term) + " needs ':' and a network");
    }
    int slash = rest.indexOf('/');
    String network = slash < 0 ? rest.substring(1) : rest.substring(1, slash);
    int prefix = slash < 0 ? 32 : cidrLength(rest.substring(slash + 1), 32, term);
    Integer bits = IpLiterals.parseIp4(network);
    if (bits == null) {
      throw new SpfSyntaxException("invalid IPv4 network in " + quote(term));
    }
    int mask = IpLiterals.mask4(prefix);
    return new Mechanism.Ip4(bits & mask, prefix);
  }

  private static Mechanism ip6(String rest, String term) throws SpfSyntaxException {
    if (!rest.startsWith(":")) {
      throw new SpfSyntaxException(quote(term) + " needs ':' and a network");
    }
    int slash = rest.indexOf('/');
    String network = slash < 0 ? rest.substring(1) : rest.substring(1, slash);
    int prefix = slash < 0 ? 128 : cidrLength(rest.substring(slash + 1), 128, term);
    long[] bits = IpLiterals.parseIp6(network);
    if (bits == null) {
      throw new SpfSyntaxException("invalid IPv6 network in " + quote(term));
    }
    return new Mechanism.Ip6(bits[0] & IpLiterals.mask64(prefix), bits[1] & IpLiterals.mask64(prefix - 64), prefix);
  }

  /** The text quoted and made printable, for error messages. */
  static String quote(String s) {
    return s == null ? "(none)" : "'" + printable(s) + "'";
  }

  /** The term with control and non-ASCII characters shown as '?', for error messages. */
  static String printable(String s) {
    if (s.length() <= 80 && s.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
      return s;
    }
    StringBuilder sb = new StringBuilder(Math.min(s.length(), 80));
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c <= 0x7e ? c : '?');
    }
    if (s.length() > 80) {
      sb.append("...");
    }
    return sb.toString();
  }
}
