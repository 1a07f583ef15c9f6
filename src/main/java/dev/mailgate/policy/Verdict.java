package dev.mailgate.policy;

import java.util.Objects;

/**
 * The policy's conclusion about a message as a whole: the action and which rule chose it, with a reason
 * people can read. Immutable.
 *
 * @param action what is done with the message
 * @param rule the rule that decided: a configured rule's name, or one of the built-in rules {@code loop},
 *     {@code virus}, {@code temperror}, {@code dmarc-reject}, {@code dmarc-quarantine}, {@code spam},
 *     {@code clean}
 * @param reason why, in a few words
 */
public record Verdict(Action action, String rule, String reason) {
  public Verdict {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(reason, "reason");
  }
}
