package dev.mailgate.cli;

import dev.mailgate.report.ingest.ReceivedReport;
import dev.mailgate.report.ingest.ReportAuthentication;
import dev.mailgate.report.ingest.ReportJson;
import dev.mailgate.report.ingest.ReportKeys;
import dev.mailgate.report.ingest.ReportMailReader;
import dev.mailgate.report.ingest.ReportParse;
import dev.mailgate.report.ingest.ReportReader;
import dev.mailgate.report.ingest.ReverseNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailgate report ingest}: reads received reports and prints their normalised JSON. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Reads DMARC aggregate reports (.xml, .xml.gz, .zip, or a report mail as .eml) and prints each report's",
      "normalised JSON on its own line, as the gateway stores it (docs/REPORTING.md, \"Reports in\").",
      "Files that hold no readable report are named on stderr with the reason.",
      "A file has no envelope to authenticate, so each report is marked \"unverified\" (left out of the",
      "metrics and of the summary's counts) unless --trusted says that you vouch for the files."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every file held at least one report and none was refused",
      "1:some file or report was refused or unreadable (the others were printed)",
      "2:usage error"
    })
final class ReportIngestCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--store", paramLabel = "DIR",
      description = "Also write each report to DIR/<prefix>dt=YYYY-MM-DD/<org>!<report_id>.json, as the gateway does.")
  Path store;

  @Option(names = "--prefix", paramLabel = "PREFIX", defaultValue = "reports/",
      description = "The key prefix under --store (default: ${DEFAULT-VALUE}).")
  String prefix;

  @Option(names = "--reverse-dns",
      description = "Record each source's host name: its PTR name when that name leads back to the address.")
  boolean reverseDns;

  @Option(names = "--trusted",
      description = "Mark the reports \"trusted\": you vouch for these files, so the summary counts them.")
  boolean trusted;

  @CommandLine.Mixin DnsOptions dnsOptions = new DnsOptions();

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Report files or report mails; - for stdin.")
  List<String> files;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws IOException {
    ReportReader reader = new ReportReader();
    ReportMailReader mail = new ReportMailReader(reader);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int failures = 0;
    Instant now = clock.instant();
    ReverseNames names = reverseDns ? new ReverseNames(dnsOptions.resolver(spec.commandLine())) : null;
    // A file comes without the envelope and DNS answers its mail was received with: nothing to verify.
    ReportAuthentication auth = trusted ? ReportAuthentication.TRUSTED : ReportAuthentication.UNVERIFIED;
    if (!trusted) {
      err.println("mailgate report ingest: reports read from files cannot be authenticated: marked \"unverified\""
          + " (not counted by the summary; --trusted to vouch for them)");
    }
    for (String file : files) {
      byte[] bytes;
      try {
        bytes = read(file, reader.limits().maxInputBytes() + 1);
      } catch (IOException e) {
        err.println("mailgate report ingest: " + file + ": cannot read: " + e.getMessage());
        failures++;
        continue;
      }
      boolean eml = file.toLowerCase(Locale.ROOT).endsWith(".eml") || looksLikeMail(bytes);
      for (ReportParse p : eml ? mail.read(file, bytes) : reader.read(file, bytes)) {
        if (p instanceof ReportParse.Failed f) {
          err.println("mailgate report ingest: " + f.source() + ": " + f.problem().word() + ": " + f.reason());
          failures++;
          continue;
        }
        ReceivedReport r = ((ReportParse.Parsed) p).report();
        if (names != null) {
          r = names.resolve(r);
        }
        byte[] json = ReportJson.toJson(r, p.source(), now, auth);
        out.println(new String(json, StandardCharsets.UTF_8));
        if (store != null) {
          Path target = store.resolve(ReportKeys.key(prefix, r, now));
          Files.createDirectories(target.getParent());
          if (keepsStored(target, auth)) {
            err.println("mailgate report ingest: " + p.source() + ": " + target + " already holds this report with"
                + " an authenticated verdict: kept (use --trusted to store it as trusted)");
          } else {
            Files.write(target, json);
          }
        }
      }
      out.flush();
    }
    return failures == 0 ? ExitCodes.OK : ExitCodes.INPUT_ERROR;
  }

  /**
   * Whether the report stored at {@code target} keeps its place: a verdict that counts (pass, trusted)
   * is never replaced by one that does not, as the gateway never downgrades a stored report.
   */
  private static boolean keepsStored(Path target, ReportAuthentication incoming) {
    if (incoming.authenticated() || !Files.exists(target)) {
      return false;
    }
    try {
      return ReportJson.fromJson(Files.readAllBytes(target)).authentication().authenticated();
    } catch (IOException | RuntimeException e) {
      return false; // unreadable: replaced by what was read now
    }
  }

  private static byte[] read(String file, long max) throws IOException {
    if (file.equals("-")) {
      return System.in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, max));
    }
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, max));
    }
  }

  /** A file that starts with a header field ("Name: value") is a mail, whatever its name. */
  static boolean looksLikeMail(byte[] b) {
    int i = 0;
    while (i < b.length && i < 80 && b[i] > 32 && b[i] < 127 && b[i] != ':') {
      i++;
    }
    return i > 0 && i < b.length && b[i] == ':' && b[0] != '<';
  }
}
