package dev.mailgate.report.summary;

import dev.mailgate.report.ingest.ReceivedReport;
import dev.mailgate.report.ingest.ReportAuthentication;
import dev.mailgate.report.ingest.ReportJson;
import dev.mailgate.report.ingest.ReportMailReader;
import dev.mailgate.report.ingest.ReportParse;
import dev.mailgate.report.ingest.ReportReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Collects reports for a summary from stored files: normalised JSON ({@code .json}, as the gateway stores
 * them), raw reports ({@code .xml}, {@code .gz}, {@code .zip}) and report mails ({@code .eml}). Other files
 * are skipped; files that cannot be read are listed as problems. A JSON report keeps the verdict on its
 * mail (its {@code authentication} member); raw reports and JSON stored without one are of unknown
 * authentication. Not thread-safe (one per summary).
 */
public final class StoredReports {
  /** The most files read from one folder or prefix: a summary of a mistaken path ends, it does not hang. */
  public static final int MAX_FILES = 200_000;

  private final ReportReader reader;
  private final ReportMailReader mail;
  private final List<ReportSummary.Entry> entries = new ArrayList<>();
  private final List<ReportSummary.Problem> problems = new ArrayList<>();
  private int files;

  public StoredReports(ReportReader reader) {
    this.reader = reader;
    this.mail = new ReportMailReader(reader);
  }

  /** Whether a file of this name is read (by its extension). */
  public static boolean wanted(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".json") || n.endsWith(".xml") || n.endsWith(".gz") || n.endsWith(".zip") || n.endsWith(".eml");
  }

  /** Adds one file's reports; {@code name} says what it is by its extension. */
  public void add(String name, byte[] bytes) {
    files++;
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".json")) {
      if (bytes.length > reader.limits().maxXmlBytes()) {
        problems.add(new ReportSummary.Problem(name, "larger than " + reader.limits().maxXmlBytes() + " bytes"));
        return;
      }
      ReportJson.Stored s = ReportJson.fromJson(bytes);
      if (s == null) {
        problems.add(new ReportSummary.Problem(name, "not a normalised report (JSON written by mailgate)"));
      } else {
        entries.add(new ReportSummary.Entry(s.report(), s.authentication()));
      }
      return;
    }
    List<ReportParse> results = n.endsWith(".eml") ? mail.read(name, bytes) : reader.read(name, bytes);
    for (ReportParse p : results) {
      if (p instanceof ReportParse.Parsed ok) {
        entries.add(new ReportSummary.Entry(ok.report(), ReportAuthentication.UNKNOWN));
      } else {
        ReportParse.Failed f = (ReportParse.Failed) p;
        problems.add(new ReportSummary.Problem(f.source(), f.problem().word() + ": " + f.reason()));
      }
    }
  }

  /** Adds the wanted files under {@code dir}, in name order, at most {@link #MAX_FILES}. */
  public void addFolder(Path dir, long maxFileBytes) throws IOException {
    List<Path> paths;
    try (Stream<Path> s = Files.walk(dir)) {
      paths = s.filter(Files::isRegularFile).filter(p -> wanted(p.getFileName().toString()))
          .sorted(Comparator.naturalOrder()).limit(MAX_FILES + 1L).toList();
    }
    for (Path p : paths) {
      if (files >= MAX_FILES) {
        problems.add(new ReportSummary.Problem(dir.toString(), "more than " + MAX_FILES + " files: the rest not read"));
        return;
      }
      String name = dir.relativize(p).toString();
      if (Files.size(p) > maxFileBytes) {
        problems.add(new ReportSummary.Problem(name, "larger than " + maxFileBytes + " bytes: not read"));
        files++;
        continue;
      }
      add(name, Files.readAllBytes(p));
    }
  }

  public int files() {
    return files;
  }

  /** The reports read, without their authentication. */
  public List<ReceivedReport> reports() {
    return entries.stream().map(ReportSummary.Entry::report).toList();
  }

  /** The reports read, with the verdict on each one's mail. */
  public List<ReportSummary.Entry> entries() {
    return entries;
  }

  public List<ReportSummary.Problem> problems() {
    return problems;
  }
}
