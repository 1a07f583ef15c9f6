package dev.mailgate.message;

import java.net.InetAddress;
import java.util.List;

/**
 * The SMTP envelope of a message (RFC 5321): the connecting client's address, the name it gave in
 * HELO/EHLO, the MAIL FROM reverse-path and the RCPT TO recipients.
 *
 * @param clientIp the SMTP client's IP address, or null when unknown
 * @param helo the HELO/EHLO name as given, or null when unknown
 * @param mailFrom the MAIL FROM address without angle brackets; "" is the null reverse-path ({@code <>})
 *     and null means unknown
 * @param rcptTo the RCPT TO addresses (may be empty)
 */
public record Envelope(InetAddress clientIp, String helo, String mailFrom, List<String> rcptTo) {

  public Envelope {
    rcptTo = rcptTo == null ? List.of() : List.copyOf(rcptTo);
  }

  /**
   * The envelope as Amazon SES recorded it in the message's own header fields (the trace fields SES puts
   * on top of every message it stores); null for anything not found. {@link SesEnvelope#read} says where
   * each value came from and describes the rules.
   */
  public static Envelope fromSesHeaders(RawMessage message) {
    return SesEnvelope.read(message).envelope();
  }

  /** Whether MAIL FROM was the null reverse-path, as bounces use (RFC 5321 section 4.5.5). */
  public boolean isNullSender() {
    return mailFrom != null && mailFrom.isEmpty();
  }
}
