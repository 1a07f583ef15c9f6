package dev.mailgate.aws.deploy;

import java.util.Optional;

/** The region's active SES receipt rule set: which one it is, and switching it. Implementations are thread-safe. */
public interface ReceiptRuleSets {
  /** The name of the active rule set, or empty when none is active. */
  Optional<String> active();

  /** Makes {@code ruleSetName} the active rule set (the one active before stops receiving). */
  void activate(String ruleSetName);

  /** Leaves the region without an active rule set: SES then rejects all mail it receives there. */
  void deactivate();
}
