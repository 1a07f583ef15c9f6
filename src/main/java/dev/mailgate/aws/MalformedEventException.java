package dev.mailgate.aws;

/** An event that does not have the shape of the event it claims to be; the message names the JSON path. */
public final class MalformedEventException extends RuntimeException {
  public MalformedEventException(String message) {
    super(message);
  }
}
