package dev.mailgate.spf;

/**
 * A syntax error found while parsing a record, a macro string or an explanation. It never leaves the
 * package: the parser turns it into an {@link RecordParse.Invalid} value, and the checker into permerror.
 * No stack trace is filled in, since hostile records make it an expected, frequent event.
 */
final class SpfSyntaxException extends Exception {
  SpfSyntaxException(String message) {
    super(message, null, false, false);
  }
}
