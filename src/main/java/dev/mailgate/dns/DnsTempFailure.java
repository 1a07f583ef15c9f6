package dev.mailgate.dns;

/**
 * A DNS query that could not be answered now: a timeout, SERVFAIL, or a network error. The checks turn
 * it into temperror. NXDOMAIN and NODATA are not failures: they are answers (an empty list).
 */
public final class DnsTempFailure extends Exception {
  private final String name;

  public DnsTempFailure(String name, String message) {
    super(message);
    this.name = name;
  }

  public DnsTempFailure(String name, String message, Throwable cause) {
    super(message, cause);
    this.name = name;
  }

  /** The name that was queried. */
  public String name() {
    return name;
  }
}
