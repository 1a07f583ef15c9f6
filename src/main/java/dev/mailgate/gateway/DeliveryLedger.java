package dev.mailgate.gateway;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Makes each delivery of a message happen at most once, however often the function runs for it, with a
 * marker object per delivery next to the message (docs/GATEWAY.md, "Idempotency"). Thread-safe.
 *
 * <p>A marker at {@code STATE_PREFIX + messageId + "/" + deliveryId} goes through: absent, then
 * {@code sending} (created only if absent: S3's conditional PutObject, so of two concurrent invocations
 * one wins), then {@code sent} once the provider accepted the message, or {@code failed} when it refused
 * it for good. A transient failure deletes the marker so a retry sends again. A {@code sending} marker
 * whose claim expired (the claiming invocation is certainly over) means nobody knows whether the message
 * went out: the delivery is in doubt and is not repeated.
 */
public final class DeliveryLedger {
  private final MessageStore store;
  private final String statePrefix;
  private final Clock clock;

  public DeliveryLedger(MessageStore store, String statePrefix, Clock clock) {
    this.store = store;
    this.statePrefix = statePrefix;
    this.clock = clock;
  }

  /** Sends something; throws SendException as the provider does. Returns the provider's ID. */
  @FunctionalInterface
  public interface Send {
    String send() throws SendException;
  }

  /** A stable name for a delivery: its kind and a digest of where it goes. */
  public static String deliveryId(String kind, List<String> targets) {
    StringBuilder sb = new StringBuilder();
    targets.stream().map(t -> t.toLowerCase(Locale.ROOT)).sorted().forEach(t -> sb.append(t).append('\n'));
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return kind + "-" + HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** The marker key of a delivery. */
  public String markerKey(MessageRef ref, String deliveryId) {
    return statePrefix + ref.messageId() + "/" + deliveryId;
  }

  /**
   * Carries out {@code send} unless a marker shows it was done, is being done, or may have been done.
   *
   * @param claimExpiry when a claim made now is certainly abandoned (the invocation's hard end plus grace)
   */
  public Result run(MessageRef ref, String deliveryId, Instant deadline, Instant claimExpiry, Send send)
      throws StoreException {
    MessageRef marker = ref.sibling(markerKey(ref, deliveryId));
    Optional<byte[]> existing = store.read(marker, deadline);
    if (existing.isPresent()) {
      return fromMarker(existing.get());
    }
    String token = UUID.randomUUID().toString();
    byte[] claim = json(Map.of("state", "sending", "token", token, "claimed", clock.instant().toString(),
        "expires", claimExpiry.toString()));
    if (!store.createIfAbsent(marker, claim, deadline)) {
      return store.read(marker, deadline).map(this::fromMarker)
          .orElse(new Result(ActionResult.Status.RETRY, "marker vanished while claiming; try again"));
    }
    String id;
    try {
      id = send.send();
    } catch (SendException e) {
      return afterFailure(marker, e, deadline);
    }
    Map<String, Object> sent = new LinkedHashMap<>();
    sent.put("state", "sent");
    sent.put("at", clock.instant().toString());
    sent.put("id", id == null ? "" : id);
    try {
      store.put(marker, json(sent), deadline);
    } catch (StoreException e) {
      // Sent all the same. The claim stays "sending": a later run finds it in doubt and sends nothing.
      return new Result(ActionResult.Status.DONE, id + " (delivery marker not confirmed: " + e.getMessage() + ")");
    }
    return new Result(ActionResult.Status.DONE, id);
  }

  private Result afterFailure(MessageRef marker, SendException e, Instant deadline) {
    try {
      switch (e.kind()) {
        case TRANSIENT:
          // Certainly not sent: free the claim so the retry sends.
          store.delete(marker, deadline);
          return new Result(ActionResult.Status.RETRY, e.getMessage());
        case PERMANENT:
          store.put(marker, json(Map.of("state", "failed", "at", clock.instant().toString(),
              "reason", String.valueOf(e.getMessage()))), deadline);
          return new Result(ActionResult.Status.FAILED, e.getMessage());
        default:
          // Maybe sent: the claim stays; once it expires, later runs see the delivery in doubt.
          return new Result(ActionResult.Status.IN_DOUBT, e.getMessage());
      }
    } catch (StoreException se) {
      // The marker could not be updated: it still says "sending", which later runs treat as in progress,
      // then in doubt. Nothing is sent twice; a person resolves it (docs/GATEWAY.md).
      ActionResult.Status status = e.kind() == SendException.Kind.PERMANENT ? ActionResult.Status.FAILED
          : e.kind() == SendException.Kind.TRANSIENT ? ActionResult.Status.RETRY : ActionResult.Status.IN_DOUBT;
      return new Result(status, e.getMessage() + "; delivery marker not updated: " + se.getMessage());
    }
  }

  private Result fromMarker(byte[] content) {
    Map<String, Object> m;
    try {
      m = JSON.std.mapFrom(content);
    } catch (IOException | RuntimeException e) {
      return new Result(ActionResult.Status.IN_DOUBT, "unreadable delivery marker");
    }
    String state = String.valueOf(m.get("state"));
    switch (state) {
      case "sent":
        return new Result(ActionResult.Status.ALREADY_DONE, "sent earlier (" + m.get("at") + ", id " + m.get("id") + ")");
      case "failed":
        return new Result(ActionResult.Status.FAILED, "failed earlier: " + m.get("reason"));
      case "sending":
        Instant expires;
        try {
          expires = Instant.parse(String.valueOf(m.get("expires")));
        } catch (RuntimeException e) {
          expires = Instant.EPOCH;
        }
        if (clock.instant().isBefore(expires)) {
          return new Result(ActionResult.Status.IN_PROGRESS, "another invocation is sending it (claimed "
              + m.get("claimed") + ")");
        }
        return new Result(ActionResult.Status.IN_DOUBT, "an earlier invocation claimed it at " + m.get("claimed")
            + " and never confirmed: it may have been sent");
      default:
        return new Result(ActionResult.Status.IN_DOUBT, "unknown marker state '" + state + "'");
    }
  }

  private static byte[] json(Map<String, Object> m) {
    try {
      return JSON.std.asBytes(m);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How a delivery ended, and a detail (provider ID or reason). */
  public record Result(ActionResult.Status status, String detail) {}
}
