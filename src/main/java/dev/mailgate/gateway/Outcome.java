package dev.mailgate.gateway;

import dev.mailgate.authres.AuthReport;
import dev.mailgate.message.Envelope;
import dev.mailgate.policy.AuthSummary;
import dev.mailgate.policy.SesVerdicts;
import dev.mailgate.policy.SyncDisposition;
import dev.mailgate.policy.Verdict;
import java.time.Instant;
import java.util.List;

/**
 * What processing one message came to. Immutable.
 *
 * @param ref the message
 * @param state the state the stored object is in now
 * @param skipped whether nothing was done because an earlier invocation had finished the message
 * @param verdict the policy's verdict, or null when processing stopped before deciding
 * @param auth the authentication results, or null when not reached
 * @param ses SES's verdicts as used, or null when not reached
 * @param envelope the envelope the message was judged on, or null when not reached
 * @param actions what became of each decision, in order
 * @param disposition the answer for SES in synchronous mode
 * @param retryLater whether the invocation must fail so that Lambda retries it (asynchronous mode)
 * @param detail a few words on why, for failures and skips ("" otherwise)
 * @param attempt which attempt this was for the message (1 for the first)
 * @param millis wall-clock processing time
 * @param report the full authentication report (for the message record), or null when not reached
 * @param received when SES received the message (its event's timestamp), else when processing began
 */
public record Outcome(
    MessageRef ref,
    ObjectState state,
    boolean skipped,
    Verdict verdict,
    AuthSummary auth,
    SesVerdicts ses,
    Envelope envelope,
    List<ActionResult> actions,
    SyncDisposition disposition,
    boolean retryLater,
    String detail,
    int attempt,
    long millis,
    AuthReport report,
    Instant received) {

  public Outcome {
    actions = List.copyOf(actions);
  }
}
