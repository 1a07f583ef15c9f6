package dev.mailgate.gateway;

import dev.mailgate.policy.PolicyConfig;
import java.time.Instant;
import java.util.List;

/**
 * Sends what the gateway decided to send: forwards and bounces through SES, relays over SMTP, or all of
 * them into an outbox folder for local runs. Implementations must be safe for concurrent use.
 */
public interface MailSender {

  /** Sends a forward; returns the provider's message ID. */
  String forward(Forward mail, Instant deadline) throws SendException;

  /** Relays a message to an SMTP server; returns the server's reply or a queue ID when it gave one. */
  String relay(Relay mail, Instant deadline) throws SendException;

  /** Asks SES to bounce a received message; returns the bounce's message ID. */
  String bounce(Bounce mail, Instant deadline) throws SendException;

  /**
   * A forward through SES.
   *
   * @param messageId SES's ID of the received message (for names and logs)
   * @param from the verified identity it is sent from (envelope and From)
   * @param to the destinations (at most 50 per SES call; senders split longer lists)
   * @param raw the complete message to send
   * @param configurationSet the SES configuration set, or null
   */
  record Forward(String messageId, String from, List<String> to, byte[] raw, String configurationSet) {
    public Forward {
      to = List.copyOf(to);
    }
  }

  /**
   * A relay over SMTP.
   *
   * @param messageId SES's ID of the received message
   * @param relayName the relay's name in the configuration
   * @param relay the relay's settings
   * @param password the password for SMTP AUTH (from the file or MAILGATE_RELAY_PASSWORD), or null
   * @param mailFrom the envelope sender ("" for the null reverse-path)
   * @param rcptTo the envelope recipients
   * @param raw the message bytes to send as they are
   */
  record Relay(String messageId, String relayName, PolicyConfig.Relay relay, String password, String mailFrom,
      List<String> rcptTo, byte[] raw) {
    public Relay {
      rcptTo = List.copyOf(rcptTo);
    }

    @Override
    public String toString() {
      return "Relay[" + relayName + " " + relay + ", mailFrom=" + mailFrom + ", rcptTo=" + rcptTo + "]";
    }
  }

  /**
   * A bounce of a received message (SES SendBounce).
   *
   * @param messageId SES's ID of the received message (OriginalMessageId)
   * @param sender the verified address the bounce comes from (BounceSender)
   * @param recipients the recipients that bounced
   * @param bounceType SES's BounceType: DoesNotExist or ContentRejected
   * @param explanation the human text
   * @param returnPath the envelope sender the bounce goes to (for the outbox; SES finds it itself)
   */
  record Bounce(String messageId, String sender, List<String> recipients, String bounceType, String explanation,
      String returnPath) {
    public Bounce {
      recipients = List.copyOf(recipients);
    }
  }
}
