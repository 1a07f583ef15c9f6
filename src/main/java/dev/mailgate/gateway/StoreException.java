package dev.mailgate.gateway;

/** A {@link MessageStore} operation that failed; {@link #kind()} says whether trying again can help. */
public final class StoreException extends Exception {
  /** What went wrong. */
  public enum Kind {
    /** The object does not exist. */
    NOT_FOUND,
    /** The object is larger than allowed; nothing was read. */
    TOO_LARGE,
    /** Throttling, a 5xx, a timeout, the deadline: trying again later may succeed. */
    TRANSIENT,
    /** Access denied, a malformed request: trying again will not help. */
    PERMANENT
  }

  private final Kind kind;

  public StoreException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public StoreException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
