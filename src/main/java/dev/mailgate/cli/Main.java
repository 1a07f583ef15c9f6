package dev.mailgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mailgate} command. Exit codes are listed in {@link ExitCodes}. */
@Command(
    name = "mailgate",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Mail gateway for Amazon SES: SPF, DKIM, DMARC and ARC verification and the gateway itself.",
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
    ClassPreloader.startFor(args); // cold start: classes load on a second thread (docs/PERFORMANCE.md)
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (tests call this instead of main). */
  public static int run(String... args) {
    return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs the command line with the given output streams and returns the exit code. */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Main());
    addSubcommands(cl, args.length == 0 ? "" : args[0]);
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

  /**
   * Registers the subcommands: only the one asked for when {@code first} names one (picocli reflects over
   * every registered command's options, a cold start cost), all of them otherwise (help, usage errors).
   */
  static void addSubcommands(CommandLine cl, String first) {
    switch (first) {
      case "verify":
        cl.addSubcommand("verify", new VerifyCommand());
        return;
      case "invoke":
        cl.addSubcommand("invoke", new InvokeCommand());
        return;
      case "sweep":
        cl.addSubcommand("sweep", new SweepCommand());
        return;
      case "report":
        cl.addSubcommand("report", new ReportCommand());
        return;
      default:
        cl.addSubcommand("verify", new VerifyCommand());
        cl.addSubcommand("invoke", new InvokeCommand());
        cl.addSubcommand("sweep", new SweepCommand());
        cl.addSubcommand("report", new ReportCommand());
        cl.addSubcommand("help", new CommandLine.HelpCommand());
    }
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
