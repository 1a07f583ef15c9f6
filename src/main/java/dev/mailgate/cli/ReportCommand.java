package dev.mailgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mailgate report}: DMARC reporting (docs/REPORTING.md). Each kind of report is a subcommand. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "DMARC reporting: aggregate reports out (aggregate), reports received (ingest, summary) (docs/REPORTING.md).",
    subcommands = {ReportAggregateCommand.class, ReportIngestCommand.class, ReportSummaryCommand.class})
final class ReportCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (try: mailgate report --help)");
  }
}
