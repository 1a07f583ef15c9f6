package dev.mailgate.dkim;

import dev.mailgate.authres.AuthStatus;

/**
 * The outcome of verifying one DKIM-Signature field (RFC 6376 section 6; result words of RFC 8601
 * section 2.7.1).
 *
 * @param status pass, fail, policy, temperror or permerror (see {@link DkimVerifier} for which reason
 *     gives which)
 * @param domain the SDID (d=) as written, or null when the signature had none or did not parse
 * @param selector s= as written, or null
 * @param algorithm a= as written (e.g. {@code rsa-sha256}), or null
 * @param keyBits the size of the key used (RSA modulus length, 256 for Ed25519), 0 when no key was
 *     obtained
 * @param identity the AUID: i= decoded, or {@code @d} when i= is absent (RFC 6376 section 6.1.1); null
 *     when unknown
 * @param bPrefix the first 8 characters of b= (RFC 6008 header.b), or null
 * @param reason a short text saying why, for header comments, logs and JSON
 * @param testing whether the key record has t=y: the signer is testing DKIM, and a verifier "MUST NOT
 *     treat messages from Signers in testing mode differently from unsigned email" (RFC 6376 section
 *     3.6.1); policy code decides what that means
 */
public record DkimResult(
    AuthStatus status,
    String domain,
    String selector,
    String algorithm,
    int keyBits,
    String identity,
    String bPrefix,
    String reason,
    boolean testing) {

  public boolean isPass() {
    return status == AuthStatus.PASS;
  }
}
