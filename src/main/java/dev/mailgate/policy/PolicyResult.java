package dev.mailgate.policy;

import java.util.List;
import java.util.Objects;

/**
 * The policy's answer for one message: the verdict on the message as a whole and what to do, per
 * distinct route. Immutable.
 *
 * @param verdict the action for the message and the rule that chose it
 * @param decisions what to do, in recipient order; never empty
 */
public record PolicyResult(Verdict verdict, List<Decision> decisions) {
  public PolicyResult {
    Objects.requireNonNull(verdict, "verdict");
    decisions = List.copyOf(decisions);
    if (decisions.isEmpty()) {
      throw new IllegalArgumentException("no decision");
    }
  }
}
