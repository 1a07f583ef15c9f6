package dev.mailgate.authres;

import java.util.Locale;

/**
 * The result words of RFC 8601 section 2.7, shared by every method we report (spf, dkim, dmarc, arc).
 * Not every method uses every word: SPF has softfail, DKIM has policy, ARC has only none/pass/fail.
 */
public enum AuthStatus {
  PASS, FAIL, SOFTFAIL, NEUTRAL, NONE, POLICY, TEMPERROR, PERMERROR;

  /** The word as it appears in an Authentication-Results header and in our JSON, e.g. {@code "softfail"}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads a result word case-insensitively; RFC 8601 also allows the old "hardfail" for fail. */
  public static AuthStatus fromWord(String word) {
    String w = word.trim().toLowerCase(Locale.ROOT);
    if (w.equals("hardfail")) {
      return FAIL;
    }
    return valueOf(w.toUpperCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return word();
  }
}
