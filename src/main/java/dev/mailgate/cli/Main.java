package dev.mailgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mailgate} command. Exit codes are listed in {@link ExitCodes}. */
@Command(
    name = "mailgate",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Mail gateway for Amazon SES: SPF, DKIM, DMARC and ARC verification and the gateway itself.",
    subcommands = {VerifyCommand.class, InvokeCommand.class, ReportCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every input was processed",
      "1:some input could not be read or processed (the others were)",
      "2:usage error (unknown option, malformed option value)",
      "70:internal error (a bug: please report it)"
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (tests call this instead of main). */
  public static int run(String... args) {
    return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs the command line with the given output streams and returns the exit code. */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      // No stack trace for the user; MAILGATE_DEBUG=1 shows it.
      commandLine.getErr().println("mailgate: internal error: " + ex);
      if (System.getenv("MAILGATE_DEBUG") != null) {
        ex.printStackTrace(commandLine.getErr());
      }
      return ExitCodes.INTERNAL;
    });
    return cl.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try: mailgate verify --help)");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"mailgate " + (v == null ? "(development build)" : v)};
    }
  }
}
