package dev.mailgate.dmarc;

import java.util.Locale;

/**
 * What the receiver does with a message as far as DMARC is concerned, after the testing flag, "pct"
 * sampling and local overrides (the "disposition" of RFC 9990 section 3.1.1.9). A message that passes
 * DMARC, or that DMARC does not apply to, has {@link #NONE}.
 */
public enum Disposition {
  NONE, QUARANTINE, REJECT;

  /** The disposition that carries out {@code policy}. */
  public static Disposition of(Policy policy) {
    return switch (policy) {
      case NONE -> NONE;
      case QUARANTINE -> QUARANTINE;
      case REJECT -> REJECT;
    };
  }

  /** The word used in reports and JSON: none, quarantine or reject. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return word();
  }
}
