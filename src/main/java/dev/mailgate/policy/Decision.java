package dev.mailgate.policy;

import java.util.List;

/**
 * One thing to do with a message, as the policy decided it. A message gets one or more: a delivery per
 * distinct route, or a single quarantine, discard, bounce or retry. Immutable values; the gateway carries
 * them out.
 */
public sealed interface Decision
    permits Decision.Delivery, Decision.Tag, Decision.Quarantine, Decision.Discard,
        Decision.Bounce, Decision.Retry {

  /** Why, in a few words (for logs and the verdict header). */
  String reason();

  /** The recipients (RCPT TO) this decision is about; empty for a retry. */
  List<String> recipients();

  /** The action word for logs and output: forward, relay, tag, quarantine, discard, bounce, retry. */
  String action();

  /** A decision that delivers the message somewhere. */
  sealed interface Delivery extends Decision permits Forward, Relay {}

  /**
   * Forward through SES, From rewritten to our verified identity.
   *
   * @param recipients the original recipients this forward is for
   * @param to the addresses to send to
   */
  record Forward(List<String> recipients, List<String> to, String reason) implements Delivery {
    public Forward {
      recipients = List.copyOf(recipients);
      to = List.copyOf(to);
    }

    @Override
    public String action() {
      return "forward";
    }
  }

  /**
   * Relay the message unchanged but for our added header fields to an SMTP server.
   *
   * @param recipients the original recipients this relay is for
   * @param relay the relay's name in the configuration
   * @param rcptTo the RCPT TO addresses
   */
  record Relay(List<String> recipients, String relay, List<String> rcptTo, String reason) implements Delivery {
    public Relay {
      recipients = List.copyOf(recipients);
      rcptTo = List.copyOf(rcptTo);
    }

    @Override
    public String action() {
      return "relay";
    }
  }

  /**
   * Deliver, marked as suspicious: an X-Mailgate-Verdict header field, the Subject prefix if configured,
   * and the verdict in the stored object's tags.
   *
   * @param delivery where it goes
   * @param subjectPrefix text put before the Subject, or "" for none
   */
  record Tag(Delivery delivery, String subjectPrefix, String reason) implements Decision {
    @Override
    public List<String> recipients() {
      return delivery.recipients();
    }

    @Override
    public String action() {
      return "tag+" + delivery.action();
    }
  }

  /** Keep the message under the quarantine prefix with its verdict; deliver nothing. */
  record Quarantine(List<String> recipients, String reason) implements Decision {
    public Quarantine {
      recipients = List.copyOf(recipients);
    }

    @Override
    public String action() {
      return "quarantine";
    }
  }

  /** Deliver nothing to these recipients. */
  record Discard(List<String> recipients, String reason) implements Decision {
    public Discard {
      recipients = List.copyOf(recipients);
    }

    @Override
    public String action() {
      return "discard";
    }
  }

  /**
   * Have SES bounce the message to its envelope sender for these recipients. The policy chooses this
   * only when the sender is authenticated, so no bounce goes to a forged address.
   */
  record Bounce(List<String> recipients, BounceKind kind, String reason) implements Decision {
    public Bounce {
      recipients = List.copyOf(recipients);
    }

    @Override
    public String action() {
      return "bounce";
    }
  }

  /** Why a bounce is sent: the recipient does not exist here, or the content was refused. */
  enum BounceKind { DOES_NOT_EXIST, CONTENT_REJECTED }

  /** Do nothing now: a temporary error may clear; try again later (async) or once more now (sync). */
  record Retry(String reason) implements Decision {
    @Override
    public List<String> recipients() {
      return List.of();
    }

    @Override
    public String action() {
      return "retry";
    }
  }
}
