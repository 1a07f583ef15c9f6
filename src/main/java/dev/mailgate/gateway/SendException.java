package dev.mailgate.gateway;

/** Sending a message failed; {@link #kind()} says whether it may have been sent and whether to try again. */
public final class SendException extends Exception {
  /** What is known about the attempt. */
  public enum Kind {
    /** Not sent; trying again later may succeed (throttling, 5xx, connection refused, the deadline). */
    TRANSIENT,
    /** Not sent; trying again will not help (message rejected, unverified identity, too large). */
    PERMANENT,
    /** Maybe sent: the request went out and no answer came back. Never retried automatically. */
    IN_DOUBT
  }

  private final Kind kind;

  public SendException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public SendException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
