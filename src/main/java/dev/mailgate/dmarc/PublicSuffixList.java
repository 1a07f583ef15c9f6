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
 * wildcards, {@code !} exceptions, the ICANN and PRIVATE sections. A domain may be given in A-labels or
 * U-labels; it is matched in A-labels (java.net.IDN; the list's U-label rules are converted once, when
 * the first name with an A-label is looked up) and answered in the form it was given. The algorithm is the list's own: the exception rule wins, otherwise the matching
 * rule with the most labels, otherwise the implicit rule "*".
 */
public final class PublicSuffixList {
  /** The copy shipped with mailgate (see NOTICE next to it). */
  public static final String BUNDLED_RESOURCE = "/dev/mailgate/dmarc/public_suffix_list.dat";

  private final Rules ascii;
  /** Rules with non-ASCII labels, as written (U-labels); converted to A-labels on first need. */
  private final Rules unicode;
  private volatile Rules idn;

  /** Normal rules, wildcard rules (stored as the name after "*."), exception rules (after "!"). */
  private record Rules(Set<String> rules, Set<String> wildcardParents, Set<String> exceptions) {
    int size() {
      return rules.size() + wildcardParents.size() + exceptions.size();
    }
  }

  private PublicSuffixList(Rules ascii, Rules unicode) {
    this.ascii = ascii;
    this.unicode = unicode;
  }

  /** Reads a list with both sections. */
  public static PublicSuffixList parse(Reader in) throws IOException {
    return parse(in, true);
  }

  /**
   * Reads a list; with {@code includePrivate} false, rules of the PRIVATE section (between
   * {@code ===BEGIN PRIVATE DOMAINS===} and its END line) are skipped. A rule whose U-labels IDNA cannot
   * convert never matches.
   */
  public static PublicSuffixList parse(Reader in, boolean includePrivate) throws IOException {
    Rules ascii = new Rules(new HashSet<>(16384), new HashSet<>(512), new HashSet<>(32));
    Rules unicode = new Rules(new HashSet<>(1024), new HashSet<>(4), new HashSet<>(4));
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
      // IDN conversion is slow on a cold JVM (about 0.2 s for the ~470 IDN rules), so rules with
      // non-ASCII labels wait until a lookup involves an A-label.
      Rules into = Domains.isAscii(rule) ? ascii : unicode;
      if (rule.startsWith("!")) {
        into.exceptions().add(Domains.toLowerAscii(rule.substring(1)));
      } else if (rule.startsWith("*.")) {
        into.wildcardParents().add(Domains.toLowerAscii(rule.substring(2)));
      } else {
        into.rules().add(Domains.toLowerAscii(rule));
      }
    }
    return new PublicSuffixList(freeze(ascii), freeze(unicode));
  }

  private static Rules freeze(Rules r) {
    return new Rules(Set.copyOf(r.rules()), Set.copyOf(r.wildcardParents()), Set.copyOf(r.exceptions()));
  }

  /** The IDN rules in A-labels; converted once, on the first lookup that has an A-label. */
  private Rules idnRules() {
    Rules r = idn;
    if (r == null) {
      synchronized (this) {
        r = idn;
        if (r == null) {
          r = new Rules(toAscii(unicode.rules()), toAscii(unicode.wildcardParents()), toAscii(unicode.exceptions()));
          idn = r;
        }
      }
    }
    return r;
  }

  private static Set<String> toAscii(Set<String> names) {
    Set<String> out = new HashSet<>(names.size() * 2);
    for (String n : names) {
      String a = toAscii(n);
      if (a != null) {
        out.add(a);
      }
    }
    return Set.copyOf(out);
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
    return ascii.size() + unicode.size();
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
  private int publicSuffixLabels(String domain, int[] starts) {
    // Only a name with an A-label can match a rule written with U-labels.
    Rules extra = domain.contains("xn--") ? idnRules() : null;
    int n = starts.length;
    for (int i = 0; i < n; i++) {
      String suffix = domain.substring(starts[i]);
      if (ascii.exceptions().contains(suffix) || (extra != null && extra.exceptions().contains(suffix))) {
        return n - i - 1; // an exception rule prevails; its left-most label is not part of the suffix
      }
    }
    for (int i = 0; i < n; i++) {
      // The longest matching rule: a normal rule for this suffix, or a wildcard over its parent.
      String suffix = domain.substring(starts[i]);
      String parent = i + 1 < n ? domain.substring(starts[i + 1]) : null;
      if (ascii.rules().contains(suffix) || (parent != null && ascii.wildcardParents().contains(parent))
          || (extra != null && (extra.rules().contains(suffix)
              || (parent != null && extra.wildcardParents().contains(parent))))) {
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
