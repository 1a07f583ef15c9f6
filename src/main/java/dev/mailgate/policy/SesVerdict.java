package dev.mailgate.policy;

import java.util.Locale;

/**
 * One of Amazon SES's receipt verdicts ({@code receipt.spamVerdict.status} and its siblings in the
 * Lambda-action event, or the {@code X-SES-Spam-Verdict} / {@code X-SES-Virus-Verdict} fields SES writes
 * into the stored message). {@link #ABSENT} stands for a verdict SES did not give.
 */
public enum SesVerdict {
  PASS, FAIL, GRAY, PROCESSING_FAILED, DISABLED, ABSENT;

  /** The word used in configuration rules, logs and tags: pass, fail, gray, processing_failed, disabled, absent. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads SES's status string case-insensitively; null, blank and unknown words are {@link #ABSENT}. */
  public static SesVerdict fromStatus(String status) {
    if (status == null) {
      return ABSENT;
    }
    String s = status.strip().toUpperCase(Locale.ROOT);
    for (SesVerdict v : values()) {
      if (v.name().equals(s)) {
        return v;
      }
    }
    return ABSENT;
  }

  @Override
  public String toString() {
    return word();
  }
}
