package dev.mailgate.cli;

import dev.mailgate.aws.AwsClients;
import dev.mailgate.aws.S3ReportSource;
import dev.mailgate.report.ingest.ReportReader;
import dev.mailgate.report.summary.ReportSummary;
import dev.mailgate.report.summary.StoredReports;
import dev.mailgate.report.summary.SummaryHtml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailgate report summary}: one self-contained HTML page from stored reports. */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Renders received DMARC aggregate reports into one self-contained HTML page (no scripts, fonts or",
      "images from anywhere): headline numbers, volume over time, top failing sources, pass and fail per",
      "sending source, the policy in force per domain (docs/REPORTING.md, \"Summary\").",
      "Reports whose mail was not authenticated (it did not pass DMARC) are left out of the counts and",
      "listed in a section of their own, unless --include-unauthenticated.",
      "SOURCE is a folder (normalised .json as the gateway stores them, and raw .xml, .gz, .zip, .eml) or",
      "s3://bucket/prefix (credentials and region from the AWS SDK's default chains)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the page was written",
      "1:the source could not be read",
      "2:usage error"
    })
final class ReportSummaryCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Where to write the page (default: standard output).")
  Path output;

  @Option(names = "--from", paramLabel = "DATE", description = "First day counted, YYYY-MM-DD (UTC).")
  String from;

  @Option(names = "--to", paramLabel = "DATE", description = "Last day counted, YYYY-MM-DD (UTC), inclusive.")
  String to;

  @Option(names = "--include-unauthenticated",
      description = "Count reports whose mail was not authenticated too (they are still listed apart).")
  boolean includeUnauthenticated;

  @Parameters(paramLabel = "SOURCE", arity = "1", description = "A folder, or s3://bucket/prefix.")
  String source;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws IOException {
    LocalDate first = date("--from", from);
    LocalDate last = date("--to", to);
    if (first != null && last != null && last.isBefore(first)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--to: before --from");
    }
    ReportReader reader = new ReportReader();
    StoredReports stored = new StoredReports(reader);
    String[] s3 = S3ReportSource.parseUri(source);
    try {
      if (s3 != null) {
        try (AwsClients clients = S3ReportSource.clients(System.getenv(dev.mailgate.aws.Config.AWS_REGION),
            System.getenv(dev.mailgate.aws.Config.S3_ENDPOINT))) {
          new S3ReportSource(clients.s3()).addPrefix(s3[0], s3[1], stored, reader.limits().maxInputBytes());
        }
      } else {
        Path dir = Path.of(source);
        if (!Files.isDirectory(dir)) {
          throw new CommandLine.ParameterException(spec.commandLine(), "SOURCE: not a folder or s3:// URI: " + source);
        }
        stored.addFolder(dir, reader.limits().maxInputBytes());
      }
    } catch (IOException e) {
      spec.commandLine().getErr().println("mailgate report summary: " + source + ": " + e.getMessage());
      return ExitCodes.INPUT_ERROR;
    }
    ReportSummary summary = ReportSummary.ofEntries(stored.entries(), stored.problems(), first, last,
        includeUnauthenticated);
    String html = SummaryHtml.render(summary, clock);
    if (output == null) {
      spec.commandLine().getOut().print(html);
      spec.commandLine().getOut().flush();
    } else {
      Files.writeString(output, html, StandardCharsets.UTF_8);
      spec.commandLine().getErr().println("mailgate report summary: " + summary.reports() + " reports ("
          + stored.files() + " files, " + stored.problems().size() + " not read"
          + (summary.unauthenticated().isEmpty() ? "" : "; " + summary.unauthenticated().size()
              + " not authenticated, " + (includeUnauthenticated ? "included" : "not counted")) + ") -> " + output);
    }
    return ExitCodes.OK;
  }

  private LocalDate date(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + ": not a date (YYYY-MM-DD): " + value);
    }
  }
}
