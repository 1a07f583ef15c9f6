package dev.mailgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mailgate report}: DMARC reporting (docs/REPORTING.md). A parent of subcommands only. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "DMARC aggregate reports: read received ones, summarise them.",
    subcommands = {ReportIngestCommand.class, ReportSummaryCommand.class})
final class ReportCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (try: mailgate report --help)");
  }
}
