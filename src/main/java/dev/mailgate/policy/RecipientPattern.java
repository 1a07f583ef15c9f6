package dev.mailgate.policy;

import dev.mailgate.message.MailAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * Which recipients a route is for: one address ({@code bob@example.com}), every address at a domain
 * ({@code @example.com}), or every address at any of our domains ({@code *}). Immutable.
 *
 * <p>Matching ignores case in both parts. RFC 5321 section 2.4 lets a host treat local-parts as
 * case-sensitive, but senders write addresses in every case and a route should not depend on it.
 * Plus-addressing ({@code bob+news@example.com} reaching the route for {@code bob@example.com}) is done
 * by {@link RouteTable}, not here.
 *
 * @param kind which form this is
 * @param localPart the local-part, lower case, for {@link Kind#EXACT}; else null
 * @param domain the domain (lower-case A-labels) for EXACT and DOMAIN; null for CATCH_ALL
 */
public record RecipientPattern(Kind kind, String localPart, String domain) {

  /** The three forms, most specific first. */
  public enum Kind { EXACT, DOMAIN, CATCH_ALL }

  public static final RecipientPattern CATCH_ALL = new RecipientPattern(Kind.CATCH_ALL, null, null);

  /**
   * Reads a pattern as written in the configuration.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static RecipientPattern parse(String text) {
    String s = text.strip();
    if (s.equals("*")) {
      return CATCH_ALL;
    }
    if (s.startsWith("@")) {
      String domain = MailAddress.normalizeDomain(s.substring(1))
          .orElseThrow(() -> new IllegalArgumentException("not a domain after '@': '" + s + "'"));
      return new RecipientPattern(Kind.DOMAIN, null, domain);
    }
    MailAddress a = MailAddress.tryParse(s)
        .orElseThrow(() -> new IllegalArgumentException(
            "not an address, '@domain' or '*': '" + s + "'"));
    return new RecipientPattern(Kind.EXACT, a.localPart().toLowerCase(Locale.ROOT), a.domain());
  }

  /** The pattern as written in configuration: {@code bob@example.com}, {@code @example.com} or {@code *}. */
  @Override
  public String toString() {
    switch (kind) {
      case EXACT:
        return localPart + "@" + domain;
      case DOMAIN:
        return "@" + domain;
      default:
        return "*";
    }
  }

  /** Splits a recipient into lower-case local-part and domain; empty when it is no address. */
  static Optional<String[]> split(String recipient) {
    return MailAddress.tryParse(recipient)
        .map(a -> new String[] {a.localPart().toLowerCase(Locale.ROOT), a.domain()});
  }
}
