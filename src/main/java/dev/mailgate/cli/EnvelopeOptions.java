package dev.mailgate.cli;

import dev.mailgate.message.Envelope;
import java.net.InetAddress;

/** Merges envelope values given on the command line over those read from the message. */
final class EnvelopeOptions {
  private EnvelopeOptions() {}

  /** Each non-null option replaces the corresponding part of {@code fromMessage}. */
  static Envelope merge(Envelope fromMessage, InetAddress ip, String helo, String mailFrom) {
    return new Envelope(
        ip != null ? ip : fromMessage.clientIp(),
        helo != null ? helo : fromMessage.helo(),
        mailFrom != null ? mailFrom : fromMessage.mailFrom(),
        fromMessage.rcptTo());
  }
}
