package dev.mailgate.dmarc;

import java.util.EnumSet;
import java.util.Set;

/**
 * One entry of the local override list: when a DMARC failure comes with evidence that the message
 * passed through {@code domain} (a trusted ARC sealer, a mailing list, a forwarder), the disposition
 * is lowered to {@code disposition} and the override reason {@code type} is recorded for reports
 * (RFC 9989 section 5.4: deviations SHOULD be reported as PolicyOverride, RFC 9990 3.1.6).
 *
 * <p>A rule matches an identifier equal to {@code domain} or a subdomain of it, from the kinds of
 * evidence listed: the ARC sealers when the chain validated, the d= of a passing DKIM signature, the
 * domain of a passing SPF check. Only authenticated identifiers count, so a rule cannot be triggered by
 * a forged header.
 *
 * @param domain the configured domain (normalized to lower-case A-labels)
 * @param type the override reason to report
 * @param evidence which authenticated identifiers may match
 * @param disposition the disposition the message gets instead (normally none)
 * @param comment extra text for the report's comment, or null
 */
public record OverrideRule(
    String domain, PolicyOverride type, Set<Evidence> evidence, Disposition disposition, String comment) {

  /** Kinds of evidence a rule accepts. */
  public enum Evidence {
    /** A sealer (ARC-Seal d=) of a chain that validated. */
    ARC_SEALER,
    /** The d= of a DKIM signature that passed. */
    DKIM,
    /** The domain of an SPF pass. */
    SPF
  }

  public OverrideRule {
    String d = Domains.normalize(domain);
    if (d == null) {
      throw new IllegalArgumentException("override rule: not a domain name: " + domain);
    }
    domain = d;
    if (type == null || evidence == null || evidence.isEmpty() || disposition == null) {
      throw new IllegalArgumentException("override rule for " + domain + ": type, evidence and disposition are required");
    }
    evidence = Set.copyOf(evidence);
  }

  /**
   * A trusted ARC sealer: its validated chain overrides a DMARC failure, reported as local_policy with
   * the ARC data in the comment (RFC 8617 section 7.2.2).
   */
  public static OverrideRule trustedArcSealer(String domain) {
    return new OverrideRule(domain, PolicyOverride.LOCAL_POLICY, EnumSet.of(Evidence.ARC_SEALER), Disposition.NONE, null);
  }

  /** A mailing list, recognised by its ARC seal, its DKIM signature or its SPF-authenticated MAIL FROM. */
  public static OverrideRule mailingList(String domain) {
    return new OverrideRule(domain, PolicyOverride.MAILING_LIST, EnumSet.allOf(Evidence.class), Disposition.NONE, null);
  }

  /** A trusted forwarder, recognised like a mailing list. */
  public static OverrideRule trustedForwarder(String domain) {
    return new OverrideRule(domain, PolicyOverride.TRUSTED_FORWARDER, EnumSet.allOf(Evidence.class), Disposition.NONE, null);
  }

  boolean covers(String identifier) {
    return identifier != null && Domains.isSameOrSubdomain(identifier, domain);
  }
}
