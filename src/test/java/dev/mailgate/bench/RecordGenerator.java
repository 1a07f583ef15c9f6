package dev.mailgate.bench;

import dev.mailgate.report.LocalRecordSink;
import dev.mailgate.report.MessageRecord;
import dev.mailgate.report.RecordSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a day of message records for the aggregate report benchmark (bench/report-aggregate.sh),
 * and measures how fast the local sink writes records one object per message.
 *
 * <pre>
 * java ... dev.mailgate.bench.RecordGenerator DIR RECORDS DOMAINS PER-FILE SINK-RECORDS
 * </pre>
 *
 * Writes {@code DIR/records/dt=2026-11-27/batch-NNNNN.jsonl} (PER-FILE records each: one object per
 * invocation batch, as docs/RECORDS.md allows), and {@code DIR/dns.zone}, the fixture that authorizes the
 * external report destinations. Domain {@code dN.example} is a DMARC Policy Domain; one in ten sends
 * its reports to an external host (reports.example.net). Each domain has five legitimate sources that
 * pass, and one message in ten comes from one of 2,000 spoofing addresses and fails. Deterministic (a
 * fixed seed). Then writes SINK-RECORDS records through {@link LocalRecordSink} into DIR/sink-test and
 * prints the rate.
 */
public final class RecordGenerator {
  static final LocalDate DAY = LocalDate.of(2026, 11, 27);

  private RecordGenerator() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    long records = Long.parseLong(args[1]);
    int domains = Integer.parseInt(args[2]);
    int perFile = Integer.parseInt(args[3]);
    int sinkRecords = args.length > 4 ? Integer.parseInt(args[4]) : 50_000;

    Path day = dir.resolve(RecordSink.partition("records/", DAY));
    Files.createDirectories(day);
    SplittableRandom rnd = new SplittableRandom(20261127);
    long t0 = System.nanoTime();
    long bytes = 0;
    int file = 0;
    BufferedWriter w = null;
    for (long i = 0; i < records; i++) {
      if (i % perFile == 0) {
        if (w != null) {
          w.close();
        }
        w = Files.newBufferedWriter(day.resolve(String.format("batch-%05d.jsonl", file++)), StandardCharsets.UTF_8);
      }
      String line = record(rnd, i, domains).toJson();
      bytes += line.length() + 1;
      w.write(line);
      w.write('\n');
    }
    if (w != null) {
      w.close();
    }
    double genSeconds = (System.nanoTime() - t0) / 1e9;
    try (BufferedWriter z = Files.newBufferedWriter(dir.resolve("dns.zone"), StandardCharsets.UTF_8)) {
      z.write("; external report destinations authorized (RFC 9990 section 4)\n$TTL 300\n");
      for (int d = 0; d < domains; d += 10) {
        z.write("d" + d + ".example._report._dmarc.reports.example.net. TXT \"v=DMARC1\"\n");
      }
    }
    System.out.printf("generated %d records over %d policy domains in %d files (%.0f MB) in %.1f s%n", records,
        domains, file, bytes / 1e6, genSeconds);

    // Records written per second through the local sink: one object (file) per message, as the gateway does.
    Path sinkDir = dir.resolve("sink-test");
    LocalRecordSink sink = new LocalRecordSink(sinkDir, "records/");
    List<MessageRecord> batch = new ArrayList<>(sinkRecords);
    for (int i = 0; i < sinkRecords; i++) {
      batch.add(record(rnd, i, domains));
    }
    long s0 = System.nanoTime();
    for (MessageRecord r : batch) {
      sink.write(r);
    }
    double sinkSeconds = (System.nanoTime() - s0) / 1e9;
    System.out.printf("local sink: %d records written (one file each) in %.2f s = %.0f records/s%n", sinkRecords,
        sinkSeconds, sinkRecords / sinkSeconds);
  }

  static MessageRecord record(SplittableRandom rnd, long i, int domains) {
    int d = rnd.nextInt(domains);
    String domain = "d" + d + ".example";
    boolean spoof = rnd.nextInt(10) == 0;
    String ip = spoof ? "203.0." + (113 + rnd.nextInt(8)) + "." + rnd.nextInt(250)
        : "10." + (d >> 8 & 0xff) + "." + (d & 0xff) + "." + (1 + rnd.nextInt(5));
    String from = rnd.nextInt(4) == 0 ? "news." + domain : domain;
    String rua = d % 10 == 0 ? "mailto:agg@reports.example.net" : "mailto:dmarc@" + domain;
    boolean pass = !spoof;
    String disposition = pass ? "none" : (d % 3 == 0 ? "none" : d % 3 == 1 ? "quarantine" : "reject");
    String p = d % 3 == 0 ? "none" : d % 3 == 1 ? "quarantine" : "reject";
    List<MessageRecord.Dkim> dkim = pass
        ? List.of(new MessageRecord.Dkim("pass", domain, "s" + (1 + rnd.nextInt(2)), "rsa-sha256"))
        : List.of();
    MessageRecord.Dmarc dmarc = new MessageRecord.Dmarc(pass ? "pass" : "fail", domain, "treewalk", p, null, null, "r",
        "r", "n", "u", "0", 100, from.equals(domain) ? "p" : "sp", p, p, disposition, pass, pass, List.of(),
        List.of(rua), List.of());
    Instant at = DAY.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(rnd.nextInt(86_400));
    return new MessageRecord(at, "m" + i, pass ? "delivered" : "quarantined", pass ? "forward" : "quarantine",
        pass ? "clean" : "dmarc-" + p, List.of(new MessageRecord.ActionTaken(pass ? "forward" : "quarantine", "done",
            List.of("user@elsewhere.example"))), ip, "mail." + domain, "bounce@" + from, from,
        List.of("user@mailgate.example"), pass ? "pass" : "fail", from, "mfrom", dkim, "none", 0, List.of(), dmarc,
        "spf=mailgate dkim=mailgate dmarc=mailgate arc=mailgate", null);
  }
}
