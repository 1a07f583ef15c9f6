package dev.mailgate.dmarc;

import java.util.Locale;

/**
 * Why the disposition differs from the policy the Domain Owner asked for: the PolicyOverrideType of
 * RFC 7489 Appendix C and RFC 9990 section 3.1.6 (the union of both lists).
 */
public enum PolicyOverride {
  /** RFC 7489: the message was relayed by a forwarder. */
  FORWARDED,
  /** RFC 7489: not selected by the "pct" sampling (section 6.6.4). */
  SAMPLED_OUT,
  /** Known, trusted forwarder (local list). */
  TRUSTED_FORWARDER,
  /** Arrived through a mailing list (local list). */
  MAILING_LIST,
  /** Local policy, e.g. a trusted ARC sealer (RFC 8617 section 7.2.2 uses this type). */
  LOCAL_POLICY,
  /** RFC 9990: the record's testing flag t=y lowered the policy. */
  POLICY_TEST_MODE,
  /** Anything else; the comment says what. */
  OTHER;

  /** The report word, e.g. {@code trusted_forwarder}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return word();
  }
}
