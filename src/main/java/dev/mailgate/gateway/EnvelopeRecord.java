package dev.mailgate.gateway;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The envelope an SES event gave for a message that is not finished yet, kept next to its delivery
 * markers ({@code statePrefix + messageId + "/envelope.json"}), so that the sweep re-drives it with the
 * same recipients: the stored message alone names at most one (SES's Received field), and Bcc recipients
 * not at all. Written once (create if absent), only when the message is left in retry or deferred.
 */
final class EnvelopeRecord {
  static final String NAME = "envelope.json";

  private EnvelopeRecord() {}

  static String key(String statePrefix, String messageId) {
    return statePrefix + messageId + "/" + NAME;
  }

  /** Keeps the event's envelope; a failure only means a later sweep reads the stored message instead. */
  static void keep(MessageStore store, MessageRef ref, String statePrefix, SesReceipt receipt, Instant deadline) {
    if (receipt == null || receipt.recipients().isEmpty()) {
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mailFrom", receipt.mailFrom() == null ? "" : receipt.mailFrom());
    m.put("recipients", receipt.recipients());
    try {
      store.createIfAbsent(ref.sibling(key(statePrefix, ref.messageId())), JSON.std.asBytes(m), deadline);
    } catch (StoreException | IOException e) {
      // best effort: the message's state tag is what matters
    }
  }

  /** The kept envelope as a receipt without SES verdicts (the gateway reads those from the stored message). */
  static Optional<SesReceipt> read(MessageStore store, MessageRef ref, String statePrefix, Instant deadline)
      throws StoreException {
    Optional<byte[]> b = store.read(ref.sibling(key(statePrefix, ref.messageId())), deadline);
    if (b.isEmpty()) {
      return Optional.empty();
    }
    try {
      Map<String, Object> m = JSON.std.mapFrom(b.get());
      List<String> rcpt = new ArrayList<>();
      if (m.get("recipients") instanceof List) {
        for (Object o : (List<?>) m.get("recipients")) {
          rcpt.add(String.valueOf(o));
        }
      }
      if (rcpt.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new SesReceipt(ref.messageId(), String.valueOf(m.getOrDefault("mailFrom", "")), rcpt, null,
          false, false, null));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
