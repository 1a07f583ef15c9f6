package dev.mailgate.gateway;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Sends nothing: keeps what would have been sent, in memory and, when given a folder, as files there
 * ({@code MESSAGEID-KIND-DIGEST.eml}, the exact bytes that would go out, with the envelope beside it in
 * {@code .envelope.json}). The file names depend only on the message and the destinations, so running
 * again replaces the files instead of adding copies. Used by local runs and tests. Thread-safe.
 */
public final class OutboxSender implements MailSender {
  private final Path dir;
  private final List<Sent> sent = new CopyOnWriteArrayList<>();

  private OutboxSender(Path dir) {
    this.dir = dir;
  }

  /** An outbox writing files to {@code dir} (created when missing). */
  public static OutboxSender toFolder(Path dir) {
    return new OutboxSender(dir);
  }

  /** An outbox kept in memory only. */
  public static OutboxSender inMemory() {
    return new OutboxSender(null);
  }

  /**
   * One message that would have been sent.
   *
   * @param kind forward, relay or bounce
   * @param messageId the received message's SES ID
   * @param from the envelope sender
   * @param to the envelope recipients
   * @param raw the message bytes
   * @param file the file written, or null in memory
   * @param via how it would have gone: "ses", "smtp HOST:PORT"
   */
  public record Sent(String kind, String messageId, String from, List<String> to, byte[] raw, Path file, String via) {}

  /** Everything "sent" so far, oldest first. */
  public List<Sent> sent() {
    return List.copyOf(sent);
  }

  public void clear() {
    sent.clear();
  }

  @Override
  public String forward(Forward m, Instant deadline) throws SendException {
    return keep("forward", m.messageId(), m.from(), m.to(), m.raw(), "ses");
  }

  @Override
  public String relay(Relay m, Instant deadline) throws SendException {
    return keep("relay", m.messageId(), m.mailFrom(), m.rcptTo(), m.raw(),
        "smtp " + m.relay().host() + ":" + m.relay().port() + " (relay " + m.relayName() + ")");
  }

  @Override
  public String bounce(Bounce b, Instant deadline) throws SendException {
    // SES composes the real delivery status notification; this stands for it.
    String text = "From: " + b.sender() + "\r\n"
        + "To: " + b.returnPath() + "\r\n"
        + "Subject: Delivery Status Notification (Failure)\r\n"
        + "X-Mailgate-Bounce-Of: " + b.messageId() + "\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "\r\n"
        + b.explanation() + "\r\n\r\n"
        + "Bounce type: " + b.bounceType() + "\r\n"
        + "Recipients: " + String.join(", ", b.recipients()) + "\r\n\r\n"
        + "(In AWS, SES SendBounce composes and sends the real notification.)\r\n";
    return keep("bounce", b.messageId(), b.sender(), List.of(b.returnPath()), text.getBytes(StandardCharsets.UTF_8),
        "ses bounce");
  }

  private String keep(String kind, String messageId, String from, List<String> to, byte[] raw, String via)
      throws SendException {
    Path file = null;
    if (dir != null) {
      String name = safe(messageId) + "-" + DeliveryLedger.deliveryId(kind, to);
      file = dir.resolve(name + ".eml");
      try {
        Files.createDirectories(dir);
        Files.write(file, raw);
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("kind", kind);
        env.put("via", via);
        env.put("mailFrom", from);
        env.put("rcptTo", new ArrayList<>(to));
        env.put("bytes", raw.length);
        Files.write(dir.resolve(name + ".envelope.json"), JSON.std.asBytes(env));
      } catch (IOException e) {
        throw new SendException(SendException.Kind.TRANSIENT, "cannot write outbox: " + e.getMessage(), e);
      }
    }
    sent.add(new Sent(kind, messageId, from, to, raw, file, via));
    return "outbox:" + (file == null ? kind + "-" + sent.size() : file.getFileName());
  }

  private static String safe(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' ? c : '_');
    }
    return sb.toString();
  }
}
