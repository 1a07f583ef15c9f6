package dev.mailgate.dmarc;

import dev.mailgate.authres.AuthStatus;
import java.util.List;

/**
 * The outcome of DMARC evaluation for one message: what the Authentication-Results header
 * ({@code dmarc=pass header.from=example.com policy.dmarc=reject}), the policy layer and the aggregate
 * reports (RFC 9990 policy_published / policy_evaluated) need.
 *
 * @param status pass, fail, none (no DMARC Policy Record applies), temperror (a DNS failure kept DMARC
 *     from reaching a result; the policy must not be applied) or permerror (the record found cannot be
 *     applied, or there is no usable Author Domain)
 * @param domain the Author Domain (header.from), lower-case A-labels; null when there was none
 * @param policyDomain the DMARC Policy Domain: where the applied record was found; null without one
 * @param organizationalDomain the Author Domain's Organizational Domain when evaluation determined it
 *     (it is not looked up when no relaxed alignment needs it), else null
 * @param record the applied record; null without one. For permerror, the partial record when one was found
 * @param policyTag which tag {@code policy} came from: p, sp or np; null without a record
 * @param policy the Domain Owner Assessment Policy as published by that tag; null without a usable record
 * @param effectivePolicy {@code policy} after the record's own options: lowered one step by t=y (RFC
 *     9989) or when sampled out by pct (RFC 7489); the {@code policy.dmarc} property. Null without a
 *     usable record
 * @param disposition what to do: none unless DMARC failed; then the effective policy, lowered further by
 *     a local override
 * @param spfAligned whether the SPF-Authenticated Identifier passed and is aligned
 * @param dkimAligned whether some DKIM-Authenticated Identifier passed and is aligned
 * @param alignedDkimDomain the d= of the first aligned passing signature, or null
 * @param overrides why the disposition differs from the published policy (testing mode, sampling,
 *     local overrides), in the order applied; empty when it does not
 * @param mode the evaluation mode; {@link DmarcMode#discoveryMethod()} gives the report's word
 * @param reason a short explanation for header comments, logs and JSON
 */
public record DmarcResult(
    AuthStatus status,
    String domain,
    String policyDomain,
    String organizationalDomain,
    DmarcRecord record,
    PolicyTag policyTag,
    Policy policy,
    Policy effectivePolicy,
    Disposition disposition,
    boolean spfAligned,
    boolean dkimAligned,
    String alignedDkimDomain,
    List<OverrideReason> overrides,
    DmarcMode mode,
    String reason) {

  public DmarcResult {
    overrides = overrides == null ? List.of() : List.copyOf(overrides);
  }

  /** The first override reason, or null. */
  public OverrideReason override() {
    return overrides.isEmpty() ? null : overrides.get(0);
  }

  /** The {@code policy.dmarc} value (RFC 9989 section 9.1): the effective policy's word, or null. */
  public String policyDmarc() {
    return effectivePolicy == null ? null : effectivePolicy.word();
  }

  /** Whether the Domain Owner's policy was put into effect: DMARC failed and the disposition is not none. */
  public boolean enforced() {
    return status == AuthStatus.FAIL && disposition != Disposition.NONE;
  }
}
