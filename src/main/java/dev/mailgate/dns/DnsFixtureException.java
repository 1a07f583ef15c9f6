package dev.mailgate.dns;

/**
 * A DNS fixture file that could not be read: its message is {@code "SOURCE:LINE: what is wrong"}.
 * Fixture files are operator input (tests, offline runs), so a mistake stops the run instead of being
 * skipped.
 */
public final class DnsFixtureException extends IllegalArgumentException {
  private final String source;
  private final int line;
  private final String detail;

  public DnsFixtureException(String source, int line, String detail) {
    super(source + ":" + line + ": " + detail);
    this.source = source;
    this.line = line;
    this.detail = detail;
  }

  /** The file name (or other label) the text came from. */
  public String source() {
    return source;
  }

  /** The line the mistake is on, counting from 1. */
  public int line() {
    return line;
  }

  /** What is wrong, without the source and line. */
  public String detail() {
    return detail;
  }
}
