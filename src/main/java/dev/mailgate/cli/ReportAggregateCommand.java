package dev.mailgate.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailgate.dmarc.PublicSuffixList;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.gateway.LocalFolderStore;
import dev.mailgate.gateway.OutboxSender;
import dev.mailgate.report.AggregateReporter;
import dev.mailgate.report.RecordSource;
import dev.mailgate.report.ReportFormat;
import dev.mailgate.report.RuaVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mailgate report aggregate}: sends one day's DMARC aggregate reports from the message records in
 * a local bucket folder, into an outbox folder (docs/REPORTING.md, "Aggregate reports out").
 */
@Command(
    name = "aggregate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Builds the DMARC aggregate reports (RFC 9990) of one UTC day from the message records under",
      "DIR/records/dt=DAY/ (docs/RECORDS.md), one per DMARC Policy Domain that publishes rua=, checks",
      "external destinations in DNS, and writes each report email (gzipped XML attached) to the outbox.",
      "Markers under DIR/records/dmarc-reports/ (beside the records, so they live as long as the records do)",
      "make a second run for the same day send nothing again."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every report went out (or had gone out before)",
      "1:some report failed or must be tried again (run again later)",
      "2:usage error",
      "70:internal error"
    })
final class ReportAggregateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--date", paramLabel = "YYYY-MM-DD",
      description = "The UTC day to report (default: yesterday, UTC).")
  String date;

  @Option(names = "--bucket-dir", paramLabel = "DIR", defaultValue = ".",
      description = "The local bucket folder holding the records (default: the current folder).")
  Path bucketDir;

  @Option(names = "--records-prefix", paramLabel = "PREFIX", defaultValue = "records/",
      description = "The records' key prefix, as MAILGATE_RECORDS_PREFIX (default: ${DEFAULT-VALUE}).")
  String recordsPrefix;

  @Option(names = "--state-prefix", paramLabel = "PREFIX",
      description = "Where the sent-markers go in the bucket folder, as MAILGATE_REPORT_STATE_PREFIX "
          + "(default: the records prefix, so that markers and records expire together).")
  String statePrefix;

  @Option(names = "--outbox", paramLabel = "DIR", defaultValue = "target/outbox",
      description = "Where report emails are written as .eml (default: ${DEFAULT-VALUE}).")
  Path outbox;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "rfc9990",
      description = "rfc9990 (default) or rfc7489 (Appendix C schema; honours !size limits).")
  String format;

  @Option(names = "--from", paramLabel = "ADDRESS", required = true,
      description = "The verified address reports are sent from.")
  String from;

  @Option(names = "--receiver", paramLabel = "DOMAIN",
      description = "Our domain as the report's Submitter and filename receiver (default: the --from domain).")
  String receiver;

  @Option(names = "--org-name", paramLabel = "NAME", description = "report_metadata/org_name (default: the receiver).")
  String orgName;

  @Option(names = "--contact", paramLabel = "ADDRESS", description = "report_metadata/email (default: --from).")
  String contact;

  @Option(names = "--max-bytes", paramLabel = "N", defaultValue = "10485760",
      description = "The largest report email sent (default: ${DEFAULT-VALUE}).")
  long maxBytes;

  @Option(names = "--now", paramLabel = "EPOCH-SECONDS", description = "Run as of this time.")
  Long now;

  @Option(names = "--json", description = "Print the summary as one JSON object.")
  boolean json;

  @CommandLine.Mixin DnsOptions dnsOptions = new DnsOptions();

  @Override
  public Integer call() throws IOException {
    CommandLine cl = spec.commandLine();
    ReportFormat f = ReportFormat.fromWord(format);
    if (f == null) {
      throw new CommandLine.ParameterException(cl, "--format: rfc9990 or rfc7489, not '" + format + "'");
    }
    if (!Files.isDirectory(bucketDir)) {
      throw new CommandLine.ParameterException(cl, "--bucket-dir: not a folder: " + bucketDir);
    }
    int at = from.lastIndexOf('@');
    if (at <= 0 || at == from.length() - 1) {
      throw new CommandLine.ParameterException(cl, "--from: not an address: '" + from + "'");
    }
    if (maxBytes < 1024) {
      throw new CommandLine.ParameterException(cl, "--max-bytes: at least 1024");
    }
    Clock clock = now == null ? Clock.systemUTC() : Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC);
    LocalDate day;
    try {
      day = date == null ? AggregateReporter.previousDay(clock) : LocalDate.parse(date);
    } catch (DateTimeParseException e) {
      throw new CommandLine.ParameterException(cl, "--date: not YYYY-MM-DD: '" + date + "'");
    }
    DnsResolver dns = dnsOptions.resolver(cl);
    String recv = receiver != null ? receiver : from.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    PrintWriter out = cl.getOut();
    PrintWriter err = cl.getErr();
    AggregateReporter reporter = new AggregateReporter(RecordSource.folder(bucketDir, recordsPrefix),
        new RuaVerifier(dns, PublicSuffixList.bundled()), LocalFolderStore.of(bucketDir), "local",
        OutboxSender.toFolder(outbox), clock,
        new AggregateReporter.Settings(orgName, contact, from, recv, maxBytes, f,
            statePrefix == null ? recordsPrefix : statePrefix),
        line -> err.println("mailgate: " + line));
    long t0 = System.nanoTime();
    AggregateReporter.Summary s = reporter.run(day, clock.instant().plus(Duration.ofHours(1)));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (json) {
      var m = s.toMap();
      m.put("millis", ms);
      out.println(JSON.std.asString(m));
    } else {
      out.printf("%s: %d records read (%d reportable, %d malformed), %d reports, %d sent, %d sent before,"
          + " %d destinations skipped, %d to retry, %d failed, %d ms%n", s.day(), s.records(), s.counted(),
          s.malformed(), s.reports(), s.sent(), s.alreadySent(), s.skipped(), s.retry(), s.failed(), ms);
    }
    out.flush();
    return s.retry() > 0 || s.failed() > 0 ? ExitCodes.INPUT_ERROR : ExitCodes.OK;
  }
}
