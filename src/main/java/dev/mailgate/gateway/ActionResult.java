package dev.mailgate.gateway;

import java.util.List;

/**
 * What became of one decision. Immutable.
 *
 * @param action forward, relay, tag+forward, tag+relay, quarantine, discard, bounce or retry
 * @param recipients the original recipients it was for
 * @param targets where it went: forward destinations, relay RCPT TOs, the quarantine key
 * @param status how it ended
 * @param detail a few words: the provider's message ID, the error, why it was skipped
 */
public record ActionResult(String action, List<String> recipients, List<String> targets, Status status,
    String detail) {
  public ActionResult {
    recipients = List.copyOf(recipients);
    targets = List.copyOf(targets);
  }

  /** How an action ended. */
  public enum Status {
    /** Carried out now. */
    DONE,
    /** Carried out by an earlier invocation (its marker says so): not repeated. */
    ALREADY_DONE,
    /** Another invocation is carrying it out right now. */
    IN_PROGRESS,
    /** Failed for now; the invocation fails so that it is tried again. */
    RETRY,
    /** Failed for good (SES rejected the message, say); not tried again. */
    FAILED,
    /** May or may not have happened (no answer came); never repeated automatically. */
    IN_DOUBT;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }
}
