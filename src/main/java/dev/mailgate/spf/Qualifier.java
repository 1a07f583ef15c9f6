package dev.mailgate.spf;

import dev.mailgate.authres.AuthStatus;

/** A directive's qualifier and the result it gives when its mechanism matches (RFC 7208 section 4.6.2). */
enum Qualifier {
  /** "+", also the default. */
  PASS(AuthStatus.PASS),
  /** "-". */
  FAIL(AuthStatus.FAIL),
  /** "~". */
  SOFTFAIL(AuthStatus.SOFTFAIL),
  /** "?". */
  NEUTRAL(AuthStatus.NEUTRAL);

  private final AuthStatus status;

  Qualifier(AuthStatus status) {
    this.status = status;
  }

  AuthStatus status() {
    return status;
  }

  /** The qualifier written as {@code c}, or null when {@code c} is not one. */
  static Qualifier of(char c) {
    return switch (c) {
      case '+' -> PASS;
      case '-' -> FAIL;
      case '~' -> SOFTFAIL;
      case '?' -> NEUTRAL;
      default -> null;
    };
  }
}
