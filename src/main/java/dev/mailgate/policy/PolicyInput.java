package dev.mailgate.policy;

import java.util.List;
import java.util.Objects;

/**
 * Everything the policy decides on for one message. Immutable.
 *
 * @param auth the authentication results
 * @param ses SES's own verdicts (spam and virus scans among them)
 * @param mailFrom the envelope sender: "" for the null reverse-path, null when unknown
 * @param recipients the envelope recipients (RCPT TO) to decide for
 * @param receivedCount how many Received header fields the message has
 * @param loopHeaderSeen whether an X-Mailgate-Loop field names this deployment (we sent it before)
 * @param retryPossible whether a temporary error may still be retried (false on the last attempt)
 */
public record PolicyInput(
    AuthSummary auth, SesVerdicts ses, String mailFrom, List<String> recipients, int receivedCount,
    boolean loopHeaderSeen, boolean retryPossible) {

  public PolicyInput {
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(ses, "ses");
    recipients = List.copyOf(recipients);
  }
}
