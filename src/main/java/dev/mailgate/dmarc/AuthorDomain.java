package dev.mailgate.dmarc;

/**
 * The Author Domain of a message (RFC 9989 section 3.2.2), as the From: parser found it: one usable
 * domain, or the reason there is none (no From:, several From: fields or addresses, group syntax, an
 * address literal, a malformed domain). RFC 9989 section 5.3.1: with zero or several domains DMARC
 * validation is not possible.
 */
public sealed interface AuthorDomain {

  /** One domain, normalized to a lower-case A-label name without trailing dot. */
  record Usable(String domain) implements AuthorDomain {
    /** Normalizes {@code domain}; a caller that has not checked it should use {@link AuthorDomain#of}. */
    public Usable {
      String d = Domains.normalize(domain);
      if (d == null) {
        throw new IllegalArgumentException("not a usable domain name: " + DmarcRecordParser.echo(domain));
      }
      domain = d;
    }
  }

  /** No usable Author Domain, and why. */
  record Unusable(String reason) implements AuthorDomain {}

  /**
   * The Author Domain {@code domain}: converted to lower-case A-labels (RFC 9989 5.3.1 requires
   * A-labels) and checked; {@link Unusable} when null, empty or not a domain name (e.g. an address
   * literal such as {@code [192.0.2.1]}).
   */
  static AuthorDomain of(String domain) {
    if (domain == null || domain.isBlank()) {
      return new Unusable("no Author Domain");
    }
    String d = Domains.normalize(domain);
    if (d == null) {
      return new Unusable("Author Domain '" + DmarcRecordParser.echo(domain) + "' is not a usable domain name");
    }
    return new Usable(d);
  }

  /** No usable Author Domain, for the given reason (e.g. "2 From: header fields"). */
  static AuthorDomain unusable(String reason) {
    return new Unusable(reason);
  }
}
