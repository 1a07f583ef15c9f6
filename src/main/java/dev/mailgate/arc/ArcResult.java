package dev.mailgate.arc;

import dev.mailgate.authres.AuthStatus;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of validating a message's Authenticated Received Chain (RFC 8617 section 5.2).
 *
 * @param status the Chain Validation Status (section 4.4): {@link AuthStatus#NONE} (no ARC header
 *     field at all), {@link AuthStatus#PASS} or {@link AuthStatus#FAIL}; nothing else
 * @param instances N, the highest valid instance value found (0 when there is none); the next sealer
 *     uses N + 1 (section 5.1 step 3)
 * @param oldestPass RFC 8617 section 6 {@code header.oldest-pass}: the instance of the oldest
 *     ARC-Message-Signature that still verifies, or 0 when all of them verify (section 5.2 step 5).
 *     Only meaningful when the status is PASS; 0 otherwise
 * @param sealers the d= and s= of each ARC-Seal, oldest (i=1) first, for DMARC local policy overrides
 *     and reports (section 7.2). Listed whenever the chain is structurally valid; only to be trusted
 *     when the status is PASS. Empty when the structure is broken
 * @param authResults the authres-payload of each ARC-Authentication-Results (the text after {@code
 *     i=N;}, unfolded), oldest first, listed under the same condition as {@code sealers}: what each
 *     sealer says it found (section 4.1.1), e.g. for the originating IP of section 7.2.2
 * @param reason why, in a few words (for the header comment, logs and JSON)
 * @param dnsTempFailure whether the chain failed only because a key could not be fetched now (DNS
 *     timeout or SERVFAIL). RFC 8617 section 5.2.1 makes every error, DNS failures included, a
 *     permanent "fail"; this flag lets a caller that can defer the message do so instead
 */
public record ArcResult(
    AuthStatus status,
    int instances,
    int oldestPass,
    List<Sealer> sealers,
    List<String> authResults,
    String reason,
    boolean dnsTempFailure) {

  /**
   * One sealer of the chain, from its ARC-Seal.
   *
   * @param instance the ARC Set's instance (i=)
   * @param domain the sealing domain (d=), as written; null when that seal has no d= (the chain then
   *     fails)
   * @param selector the selector (s=), as written; null when that seal has no s=
   */
  public record Sealer(int instance, String domain, String selector) {}

  public ArcResult {
    Objects.requireNonNull(status, "status");
    if (status != AuthStatus.NONE && status != AuthStatus.PASS && status != AuthStatus.FAIL) {
      throw new IllegalArgumentException("ARC has only none, pass and fail (RFC 8617 section 4.4): " + status);
    }
    sealers = List.copyOf(sealers);
    authResults = List.copyOf(authResults);
    Objects.requireNonNull(reason, "reason");
  }

  /** No ARC header field on the message. */
  static ArcResult none() {
    return new ArcResult(AuthStatus.NONE, 0, 0, List.of(), List.of(), "no ARC Sets", false);
  }

  public boolean isPass() {
    return status == AuthStatus.PASS;
  }

  /** The sealing domains (d= of each ARC-Seal), oldest first, as DMARC overrides look at them. */
  public List<String> sealerDomains() {
    return sealers.stream().map(Sealer::domain).toList();
  }
}
