package dev.mailgate.policy;

import java.util.Locale;

/**
 * What the policy does with a message as a whole. {@link #DELIVER} and {@link #TAG} then go through each
 * recipient's route; the others apply to the message once.
 */
public enum Action {
  /** Deliver along the recipients' routes, with our Authentication-Results added. */
  DELIVER,
  /** Deliver, marked: X-Mailgate-Verdict, optional Subject prefix, object tags. */
  TAG,
  /** Deliver nowhere; keep a copy under the quarantine prefix. */
  QUARANTINE,
  /** Deliver nowhere. */
  DISCARD,
  /** Deliver nowhere; SES sends a bounce to the (authenticated) envelope sender. */
  BOUNCE,
  /** Decide later: a temporary error may clear (never chosen by configuration, only for temperror). */
  RETRY;

  /** The word used in configuration, logs and tags. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the action cannot be undone: the message is gone or the sender has been told it failed. */
  public boolean isPermanent() {
    return this == DISCARD || this == BOUNCE;
  }

  /** Reads a configuration word; null when it is not one of {@code allowed}. */
  static Action fromWord(String word, java.util.Set<Action> allowed) {
    for (Action a : allowed) {
      if (a.word().equals(word)) {
        return a;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return word();
  }
}
