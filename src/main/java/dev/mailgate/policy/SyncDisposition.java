package dev.mailgate.policy;

/**
 * The answer a synchronous (RequestResponse) SES Lambda action gives: whether SES goes on with the
 * receipt rule's next actions and the following rules.
 */
public enum SyncDisposition {
  /** Go on with the rule's next action and the rules after it. */
  CONTINUE,
  /** Skip the rest of this rule's actions; later rules still run. */
  STOP_RULE,
  /** Skip everything else in the rule set. */
  STOP_RULE_SET;

  /** Reads the word as SES spells it (upper case with underscores); null when unknown. */
  static SyncDisposition fromWord(String word) {
    for (SyncDisposition d : values()) {
      if (d.name().equals(word)) {
        return d;
      }
    }
    return null;
  }
}
