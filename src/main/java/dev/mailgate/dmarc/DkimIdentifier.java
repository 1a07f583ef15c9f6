package dev.mailgate.dmarc;

import dev.mailgate.authres.AuthStatus;

/**
 * What DMARC needs from one checked DKIM signature (RFC 9989 section 5.3.3: the result and the "d" and
 * "s" tags). Only a signature with status {@link AuthStatus#PASS} yields a DKIM-Authenticated Identifier.
 *
 * @param domain the "d=" tag (the DKIM Signing Domain); may be null when the signature had none
 * @param status the DKIM result for this signature
 * @param selector the "s=" tag, for reports; may be null
 */
public record DkimIdentifier(String domain, AuthStatus status, String selector) {

  /** A signature that verified. */
  public static DkimIdentifier pass(String domain, String selector) {
    return new DkimIdentifier(domain, AuthStatus.PASS, selector);
  }
}
