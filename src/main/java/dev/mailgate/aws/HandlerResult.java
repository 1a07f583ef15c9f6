package dev.mailgate.aws;

import dev.mailgate.gateway.Outcome;
import dev.mailgate.policy.SyncDisposition;
import java.util.List;

/**
 * What a handler did with an event. Immutable.
 *
 * @param outcomes one per message processed
 * @param synchronous whether SES waits for {@link #disposition()}
 * @param disposition the answer for SES (synchronous mode)
 * @param failure why the invocation must fail so that Lambda retries it, or null when it succeeds
 * @param notes what was ignored or could not be read (malformed events, keys outside the prefix)
 */
public record HandlerResult(List<Outcome> outcomes, boolean synchronous, SyncDisposition disposition, String failure,
    List<String> notes) {
  public HandlerResult {
    outcomes = List.copyOf(outcomes);
    notes = List.copyOf(notes);
  }
}
