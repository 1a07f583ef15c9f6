package dev.mailgate.aws;

/**
 * Thrown by a handler to fail an asynchronous invocation on purpose, so that Lambda retries it (twice)
 * and then hands the event to the dead-letter queue or failure destination. The stored messages carry
 * their state in their tags; the message lists them.
 */
public final class RetryLaterException extends RuntimeException {
  public RetryLaterException(String message) {
    super(message, null, false, false);
  }
}
