package dev.mailgate.gateway;

import java.util.Locale;

/**
 * The state of a stored message, kept in its {@code mailgate-state} object tag (docs/GATEWAY.md, "State
 * machine"). A message without the tag has not been processed yet. Terminal states are never left:
 * a later invocation for the same message does nothing.
 */
public enum ObjectState {
  /** Delivered along its routes (forwarded, relayed). Terminal. */
  DELIVERED(true),
  /** Delivered, marked as suspicious. Terminal. */
  TAGGED(true),
  /** Copied under the quarantine prefix; nothing delivered. Terminal. */
  QUARANTINED(true),
  /** Nothing delivered, on purpose. Terminal. */
  DISCARDED(true),
  /** SES bounced it to its (authenticated) sender. Terminal. */
  BOUNCED(true),
  /** Not processed: too large or not a mail message. Terminal. */
  REJECTED(true),
  /** A delivery was refused for good (SES rejected the message, say). Terminal. */
  FAILED(true),
  /** A delivery may or may not have happened; a person decides. Terminal. */
  IN_DOUBT(true),
  /** A transient failure (throttling, 5xx, deadline): the invocation failed to be retried. */
  RETRY(false),
  /** A temporary DNS error: the invocation failed to be retried later, before the safe action is taken. */
  DEFERRED(false),
  /** The object was not found (never written as a tag: there is no object to tag). */
  MISSING(false);

  private final boolean terminal;

  ObjectState(boolean terminal) {
    this.terminal = terminal;
  }

  public boolean terminal() {
    return terminal;
  }

  /** The tag value: delivered, in-doubt, ... */
  public String word() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Reads a tag value; null when absent or unknown. */
  public static ObjectState fromWord(String word) {
    if (word == null) {
      return null;
    }
    for (ObjectState s : values()) {
      if (s.word().equals(word)) {
        return s;
      }
    }
    return null;
  }
}
