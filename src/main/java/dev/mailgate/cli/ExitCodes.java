package dev.mailgate.cli;

/** Exit codes of the mailgate command (a contract: scripts depend on them). */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int INPUT_ERROR = 1;
  public static final int USAGE = 2;
  public static final int INTERNAL = 70;

  private ExitCodes() {}
}
