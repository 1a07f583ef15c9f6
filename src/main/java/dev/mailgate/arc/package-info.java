/**
 * ARC: validating and adding Authenticated Received Chains (RFC 8617).
 *
 * <p>Entry points: {@link dev.mailgate.arc.ArcValidator#validate} gives an {@link
 * dev.mailgate.arc.ArcResult} (none, pass or fail, the oldest-pass instance, the sealers' domains for
 * DMARC local policy overrides); {@link dev.mailgate.arc.ArcSealer#seal} makes the next {@link
 * dev.mailgate.arc.ArcSet}. Signatures, canonicalization, body hashes and key records are the dkim
 * package's ({@link dev.mailgate.dkim.TagList}, {@link dev.mailgate.dkim.Canonicalization}, {@link
 * dev.mailgate.dkim.BodyHasher}, {@link dev.mailgate.dkim.SignedHeaders}, {@link
 * dev.mailgate.dkim.SignatureAlgorithm}, {@link dev.mailgate.dkim.DkimKeyRecord}, {@link
 * dev.mailgate.dkim.DkimSigner#signatureValue}); {@code DkimPieces} holds the few dkim members that are
 * not public yet.
 *
 * <p>Decisions where the RFC leaves a choice or the published suite (ValiMail, written against
 * draft-ietf-dmarc-arc-protocol-18) reads it differently, each stated again where it is implemented:
 *
 * <ul>
 *   <li>ARC-Message-Signature: DKIM-Signature syntax and semantics (section 4.1.2), so a missing c= is
 *       simple/simple (RFC 6376 section 3.5). The suite's {@code ams_fields_c_na} expects relaxed there
 *       (its reference verifier canonicalizes every ARC message relaxed/relaxed); we do not follow it.
 *   <li>AMS h=: must be present and must not name ARC-Seal (section 4.1.2); an empty h=, empty items
 *       and h= without From are accepted, as the suite expects ({@code ams_fields_h_empty}, {@code
 *       ams_fields_h_mis_hdr}). h= naming ARC-Authentication-Results or ARC-Message-Signature is
 *       accepted when verifying (the suite's messages do it); our sealer never signs them.
 *   <li>Exactly one AAR, AMS and AS per instance (section 4.2.1): a second set of another algorithm
 *       (the experimental ARC-MULTI) is not supported and makes the chain fail.
 *   <li>The instance tag: anywhere in the AMS and AS tag-lists (the suite puts it after d=); first in
 *       the AAR, as {@code i=N;} (section 4.1.1; the suite's {@code aar_i_not_prefixed}). 1 or 2 digits,
 *       1..50 (section 3.9).
 *   <li>cv= is compared case-insensitively (ABNF strings are). The AS tags we read are i, a, b, d, s, t
 *       and cv; an h= makes the seal fail (section 4.1.3); other tags are ignored.
 *   <li>Algorithms: rsa-sha256 and ed25519-sha256 (section 5.2 imports DKIM's methods; RFC 8463 added
 *       Ed25519 to DKIM). rsa-sha1 and RSA keys under 1024 bits fail (RFC 8301).
 *   <li>Time: t= in the future is accepted (as for DKIM); an AMS x= in the past fails; x= on a seal is
 *       not an AS tag and is ignored.
 *   <li>DNS: a timeout or SERVFAIL makes the chain fail (section 5.2.1, "All errors, including DNS
 *       failures, ... are considered permanent"; ARC has no temperror), flagged in {@link
 *       dev.mailgate.arc.ArcResult#dnsTempFailure()}. Keys are cached per message and at most 20
 *       distinct key names are queried per message (section 9.2).
 *   <li>Order: the seals (step 6) are checked before oldest-pass (step 5), so an invalid chain costs no
 *       queries for older AMSs. oldest-pass is 0 when every AMS verifies (section 6); a DNS failure or
 *       the query budget while computing it only stops the search there.
 *   <li>Sealing: cv= is the validation status of the existing chain (none, pass or fail); a cv=fail seal
 *       signs only the new set (section 5.1.2); nothing is added after a seal saying cv=fail (section
 *       5.1 step 2) or beyond 50 sets. Output uses the suite's layout (alphabetical tags, b= unfolded),
 *       which the next seal's relaxed canonicalization makes part of what it signs.
 * </ul>
 */
package dev.mailgate.arc;
