package dev.mailgate.spf;

import dev.mailgate.authres.AuthStatus;

/**
 * The outcome of an SPF check (RFC 7208 section 2.6) of one identity.
 *
 * @param status none, neutral, pass, fail, softfail, temperror or permerror
 * @param identity which identity was checked: MAIL FROM, or HELO (also used for the null sender)
 * @param domain the domain whose policy was evaluated first (the identity's domain), or null when the
 *     identity had no usable domain
 * @param sender the identity checked as an address, e.g. {@code user@example.com} or
 *     {@code postmaster@helo.example} (RFC 7208 section 2.4); the value for smtp.mailfrom / smtp.helo
 * @param mechanism the term that decided the result as written in the record (e.g. {@code -all},
 *     {@code include:_spf.example.net}), or null when no term matched or evaluation stopped on an error
 * @param explanation for fail, the explanation string (from exp= or our default), otherwise null
 * @param reason a short text saying why, for header comments, logs and JSON
 */
public record SpfResult(
    AuthStatus status,
    Identity identity,
    String domain,
    String sender,
    String mechanism,
    String explanation,
    String reason) {

  /** The SPF identities (RFC 7208 section 2.3 and 2.4). */
  public enum Identity {
    MAILFROM, HELO;

    /** The RFC 8601 property for this identity: {@code smtp.mailfrom} or {@code smtp.helo}. */
    public String property() {
      return this == MAILFROM ? "smtp.mailfrom" : "smtp.helo";
    }

    /** The Received-SPF / JSON word: "mailfrom" or "helo". */
    public String word() {
      return this == MAILFROM ? "mailfrom" : "helo";
    }
  }
}
