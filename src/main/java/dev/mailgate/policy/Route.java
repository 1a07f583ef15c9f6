package dev.mailgate.policy;

import java.util.List;
import java.util.Objects;

/**
 * Where mail for some recipients goes: forwarded through SES to other addresses, relayed to an SMTP
 * server, or dropped. Immutable.
 *
 * @param match which recipients this route is for
 * @param target what happens to their mail
 */
public record Route(RecipientPattern match, Target target) {

  public Route {
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(target, "target");
  }

  /** What a route does with a message. */
  public sealed interface Target permits Forward, Relay, Drop {}

  /** Forward through SES, with From rewritten to our verified identity, to these addresses. */
  public record Forward(List<String> to) implements Target {
    public Forward {
      to = List.copyOf(to);
    }
  }

  /**
   * Relay unchanged (but for our added header fields) to the named SMTP relay.
   *
   * @param relay the name of a relay in the configuration's {@code relays}
   * @param rcptTo the RCPT TO addresses to use; empty means the original recipient
   */
  public record Relay(String relay, List<String> rcptTo) implements Target {
    public Relay {
      rcptTo = List.copyOf(rcptTo);
    }
  }

  /** Deliver nowhere (an address that only receives unwanted mail). */
  public record Drop() implements Target {}
}
