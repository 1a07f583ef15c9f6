package dev.mailgate.dmarc;

import java.util.Locale;

/**
 * A Domain Owner Assessment Policy: the value of the "p", "sp" and "np" tags (RFC 9989 section 4.7,
 * ABNF rule dmarc-request).
 */
public enum Policy {
  NONE, QUARANTINE, REJECT;

  /** The word as written in a record, a report and the {@code policy.dmarc} property. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * One step less strict: reject becomes quarantine, quarantine becomes none (RFC 9989 section 4.7 "t"
   * tag; RFC 7489 section 6.6.4 for messages sampled out by "pct").
   */
  public Policy lowered() {
    return this == REJECT ? QUARANTINE : NONE;
  }

  /** Reads a policy word; ABNF literals are case-insensitive (RFC 5234 2.3). Null when not one of the three. */
  static Policy fromWord(String word) {
    if (word.equalsIgnoreCase("none")) {
      return NONE;
    }
    if (word.equalsIgnoreCase("quarantine")) {
      return QUARANTINE;
    }
    if (word.equalsIgnoreCase("reject")) {
      return REJECT;
    }
    return null;
  }

  @Override
  public String toString() {
    return word();
  }
}
