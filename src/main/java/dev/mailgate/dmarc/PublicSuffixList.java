package dev.mailgate.dmarc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The Public Suffix List (https://publicsuffix.org/list/) and the registrable domain it defines, which
 * RFC 7489 section 3.2 uses as the Organizational Domain. Immutable and safe for concurrent use.
 *
 * <p>Reads the standard text format: {@code //} comments, one rule per line (first word), {@code *.}
 * wildcards, {@code !} exceptions, the ICANN and PRIVATE sections. Rules are stored as A-labels; a
 * domain may be given in A-labels or U-labels, is matched in A-labels (java.net.IDN) and answered in the
 * form it was given. The algorithm is the list's own: the exception rule wins, otherwise the matching
 * rule with the most labels, otherwise the implicit rule "*".
 */
public final class PublicSuffixList {
  /** The copy shipped with mailgate (see NOTICE next to it). */
  public static final String BUNDLED_RESOURCE = "/dev/mailgate/dmarc/public_suffix_list.dat";

  private final Set<String> rules;
  private final Set<String> wildcardParents;
  private final Set<String> exceptions;

  private PublicSuffixList(Set<String> rules, Set<String> wildcardParents, Set<String> exceptions) {
    this.rules = rules;
    this.wildcardParents = wildcardParents;
    this.exceptions = exceptions;
  }

  /** Reads a list with both sections. */
  public static PublicSuffixList parse(Reader in) throws IOException {
    return parse(in, true);
  }

  /**
   * Reads a list; with {@code includePrivate} false, rules of the PRIVATE section (between
   * {@code ===BEGIN PRIVATE DOMAINS===} and its END line) are skipped. Lines that are not valid rules
   * are skipped too.
   */
  public static PublicSuffixList parse(Reader in, boolean includePrivate) throws IOException {
    Set<String> rules = new HashSet<>(16384);
    Set<String> wildcards = new HashSet<>(512);
    Set<String> exceptions = new HashSet<>(32);
    BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
    boolean inPrivate = false;
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      String s = line.strip();
      if (s.startsWith("//")) {
        if (s.contains("===BEGIN PRIVATE DOMAINS===")) {
          inPrivate = true;
        } else if (s.contains("===END PRIVATE DOMAINS===")) {
          inPrivate = false;
        }
        continue;
      }
      if (s.isEmpty() || (inPrivate && !includePrivate)) {
        continue;
      }
      int space = indexOfWhitespace(s);
      String rule = space < 0 ? s : s.substring(0, space);
      if (rule.startsWith("!")) {
        String name = toAscii(rule.substring(1));
        if (name != null) {
          exceptions.add(name);
        }
      } else if (rule.startsWith("*.")) {
        String name = toAscii(rule.substring(2));
        if (name != null) {
          wildcards.add(name);
        }
      } else {
        String name = toAscii(rule);
        if (name != null) {
          rules.add(name);
        }
      }
    }
    return new PublicSuffixList(Set.copyOf(rules), Set.copyOf(wildcards), Set.copyOf(exceptions));
  }

  /** Reads a list from text (both sections). */
  public static PublicSuffixList parse(String text) {
    try {
      return parse(new StringReader(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringReader does not fail
    }
  }

  /**
   * The list shipped with mailgate, loaded on first use and then kept for the life of the process.
   * Nothing reads it unless RFC 7489 mode is configured.
   */
  public static PublicSuffixList bundled() {
    return Bundled.LIST;
  }

  /** Holder idiom: the class initializer runs once, on first use, and is thread-safe by the JLS. */
  private static final class Bundled {
    static final PublicSuffixList LIST = load();

    private static PublicSuffixList load() {
      try (InputStream in = PublicSuffixList.class.getResourceAsStream(BUNDLED_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(BUNDLED_RESOURCE + " is missing from the classpath");
        }
        return parse(new InputStreamReader(in, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + BUNDLED_RESOURCE, e);
      }
    }
  }

  /** The number of rules (normal, wildcard and exception). */
  public int size() {
    return rules.size() + wildcardParents.size() + exceptions.size();
  }

  /**
   * The registrable domain: the public suffix plus one label, in the form {@code domain} was given
   * (lower-cased). Null when the domain is itself a public suffix, or is not a usable domain name
   * (null, empty, a leading dot or an empty label, or an IDN conversion error).
   */
  public String registrableDomain(String domain) {
    Split s = split(domain);
    if (s == null) {
      return null;
    }
    int suffixLabels = publicSuffixLabels(s.ascii, s.starts);
    int n = s.starts.length;
    return n > suffixLabels ? s.given.substring(s.givenStarts[n - suffixLabels - 1]) : null;
  }

  /** The public suffix of {@code domain}, in the form it was given (lower-cased); null when unusable. */
  public String publicSuffix(String domain) {
    Split s = split(domain);
    if (s == null) {
      return null;
    }
    int suffixLabels = publicSuffixLabels(s.ascii, s.starts);
    return s.given.substring(s.givenStarts[s.starts.length - suffixLabels]);
  }

  /**
   * The Organizational Domain of RFC 7489 section 3.2: the registrable domain, or the domain itself
   * when it is a public suffix (it then is its own Organizational Domain; it cannot align with a
   * different domain). Null when the domain is not usable.
   */
  public String organizationalDomain(String domain) {
    String reg = registrableDomain(domain);
    if (reg != null) {
      return reg;
    }
    Split s = split(domain);
    return s == null ? null : s.given;
  }

  /** The number of labels of the public suffix of the ASCII domain whose labels start at {@code starts}. */
  private int publicSuffixLabels(String ascii, int[] starts) {
    int n = starts.length;
    for (int i = 0; i < n; i++) {
      if (exceptions.contains(ascii.substring(starts[i]))) {
        return n - i - 1; // an exception rule prevails; its left-most label is not part of the suffix
      }
    }
    for (int i = 0; i < n; i++) {
      // The longest matching rule: a normal rule for this suffix, or a wildcard over its parent.
      if (rules.contains(ascii.substring(starts[i]))
          || (i + 1 < n && wildcardParents.contains(ascii.substring(starts[i + 1])))) {
        return n - i;
      }
    }
    return 1; // the implicit rule "*"
  }

  /** A domain cut into labels, in the given form and in A-labels. */
  private record Split(String given, int[] givenStarts, String ascii, int[] starts) {}

  private static Split split(String domain) {
    if (domain == null) {
      return null;
    }
    String given = domain.strip();
    if (given.endsWith(".")) {
      given = given.substring(0, given.length() - 1); // a fully qualified name: the root label is implied
    }
    if (given.isEmpty()) {
      return null;
    }
    given = Domains.isAscii(given) ? Domains.toLowerAscii(given) : given.toLowerCase(java.util.Locale.ROOT);
    int[] givenStarts = labelStarts(given);
    if (givenStarts == null) {
      return null;
    }
    String ascii = given;
    int[] starts = givenStarts;
    if (!Domains.isAscii(given)) {
      ascii = toAscii(given);
      if (ascii == null) {
        return null;
      }
      starts = labelStarts(ascii);
      if (starts == null || starts.length != givenStarts.length) {
        return null;
      }
    }
    return new Split(given, givenStarts, ascii, starts);
  }

  /** Start index of each label; null when a label is empty (leading dot, "..", trailing dot left). */
  private static int[] labelStarts(String d) {
    int n = 1;
    for (int i = 0; i < d.length(); i++) {
      if (d.charAt(i) == '.') {
        n++;
      }
    }
    int[] starts = new int[n];
    int k = 0;
    int start = 0;
    for (int i = 0; i <= d.length(); i++) {
      if (i == d.length() || d.charAt(i) == '.') {
        if (i == start) {
          return null;
        }
        starts[k++] = start;
        start = i + 1;
      }
    }
    return starts;
  }

  /** The A-label form of a name, lower-cased; null when IDNA conversion fails. */
  private static String toAscii(String name) {
    if (Domains.isAscii(name)) {
      return Domains.toLowerAscii(name);
    }
    try {
      return Domains.toLowerAscii(IDN.toASCII(name, IDN.ALLOW_UNASSIGNED));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
