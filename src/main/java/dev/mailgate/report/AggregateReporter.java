package dev.mailgate.report;

import dev.mailgate.dmarc.PublicSuffixList;
import dev.mailgate.gateway.ActionResult;
import dev.mailgate.gateway.DeliveryLedger;
import dev.mailgate.gateway.MailSender;
import dev.mailgate.gateway.MessageRef;
import dev.mailgate.gateway.MessageStore;
import dev.mailgate.gateway.StoreException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Sends a period's DMARC aggregate reports (docs/REPORTING.md, "Aggregate reports out"): reads the day's
 * message records, groups them per DMARC Policy Domain ({@link ReportAggregator}), checks each rua
 * destination ({@link RuaVerifier}), writes the XML ({@link AggregateReportXml}), gzips it, wraps it in
 * the email RFC 9990 section 3.5.2 describes ({@link ReportMail}) and sends it through a
 * {@link MailSender}: SES in AWS, an outbox folder locally.
 *
 * <p>Idempotent: each (policy domain, period, destination) goes through the gateway's
 * {@link DeliveryLedger}, whose marker is created only if absent, so running again for the same day
 * sends nothing twice and a send that failed for now is tried again. Thread-safe for sequential runs.
 */
public final class AggregateReporter {
  /**
   * The markers' name under their prefix: {@code <prefix>dmarc-reports/<day>/<domain>/<delivery>}. The
   * prefix is the records' own by default (template.yaml, Config.reporting), so markers expire with
   * the records they report on: a rerun of any day that still has records finds its markers.
   */
  public static final String MARKERS = "dmarc-reports/";

  private final RecordSource source;
  private final RuaVerifier verifier;
  private final MessageStore markers;
  private final String bucket;
  private final MailSender sender;
  private final Clock clock;
  private final Settings settings;
  private final Consumer<String> log;
  private final PublicSuffixList psl;

  /**
   * The reporter's settings.
   *
   * @param orgName the Reporting Organization (report_metadata/org_name)
   * @param contact the contact address (report_metadata/email)
   * @param from the verified address reports are sent from
   * @param receiver our domain name: the filename's receiver and the Subject's Submitter
   * @param maxMessageBytes the largest report email sent; larger ones are not sent (logged)
   * @param format the schema reports are written in
   * @param statePrefix the key prefix of the markers ("" or ending with "/")
   */
  public record Settings(String orgName, String contact, String from, String receiver, long maxMessageBytes,
      ReportFormat format, String statePrefix) {
    public Settings {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(receiver, "receiver");
      Objects.requireNonNull(format, "format");
      orgName = orgName == null ? receiver : orgName;
      contact = contact == null ? from : contact;
      statePrefix = statePrefix == null ? "" : statePrefix;
    }
  }

  /**
   * What a run came to.
   *
   * @param records record lines read
   * @param counted records that went into some report
   * @param malformed lines that were no record
   * @param reports reports built (one per policy domain with rua)
   * @param sent messages sent now
   * @param alreadySent destinations a previous run had sent to
   * @param skipped destinations not used: unverified, unsupported, over a size limit
   * @param retry destinations to try again (a temporary failure): the run should be repeated
   * @param failed destinations that failed for good or are in doubt
   */
  public record Summary(LocalDate day, long records, long counted, long malformed, int reports, int sent,
      int alreadySent, int skipped, int retry, int failed) {
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("day", day.toString());
      m.put("records", records);
      m.put("counted", counted);
      m.put("malformed", malformed);
      m.put("reports", reports);
      m.put("sent", sent);
      m.put("alreadySent", alreadySent);
      m.put("skipped", skipped);
      m.put("retry", retry);
      m.put("failed", failed);
      return m;
    }
  }

  /**
   * @param markers where the idempotency markers are kept (the bucket, or a folder)
   * @param bucket the bucket name for marker references (a local store ignores it)
   * @param log receives one line per notable event (unverified destination, size limit, failure)
   */
  public AggregateReporter(RecordSource source, RuaVerifier verifier, MessageStore markers, String bucket,
      MailSender sender, Clock clock, Settings settings, Consumer<String> log) {
    this.source = source;
    this.verifier = verifier;
    this.markers = markers;
    this.bucket = bucket == null ? "local" : bucket;
    this.sender = sender;
    this.clock = clock;
    this.settings = settings;
    this.log = log;
    this.psl = PublicSuffixList.bundled();
  }

  /** The period RFC 9990 3.1.1.4 suggests: one UTC day; {@code end} is its last second. */
  public static long[] period(LocalDate day) {
    long begin = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    return new long[] {begin, begin + 86_399};
  }

  /** The day before today (UTC): the default period of a scheduled run. */
  public static LocalDate previousDay(Clock clock) {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
  }

  /** Reads, aggregates and sends the reports of {@code day}; everything is done or given up by {@code deadline}. */
  public Summary run(LocalDate day, Instant deadline) throws IOException {
    ReportAggregator agg = new ReportAggregator(psl);
    long[] lines = {0};
    source.forEachLine(day, l -> {
      lines[0]++;
      agg.addLine(l);
    });
    List<AggregateReport> reports = agg.reports();
    Counts c = new Counts();
    DeliveryLedger ledger = new DeliveryLedger(markers, settings.statePrefix() + MARKERS, clock);
    long[] p = period(day);
    for (AggregateReport r : reports) {
      send(r, day, p[0], p[1], ledger, deadline, c);
    }
    return new Summary(day, lines[0], agg.counted(), agg.malformed(), reports.size(), c.sent, c.already, c.skipped,
        c.retry, c.failed);
  }

  private static final class Counts {
    int sent;
    int already;
    int skipped;
    int retry;
    int failed;
  }

  private void send(AggregateReport r, LocalDate day, long begin, long end, DeliveryLedger ledger, Instant deadline,
      Counts c) {
    String domain = r.policyDomain();
    Map<String, Long> mailboxes = new LinkedHashMap<>(); // mailbox -> its size limit (or null)
    for (String uri : r.rua()) {
      RuaVerifier.Destination d = verifier.check(domain, uri);
      if (!d.usable()) {
        log.accept("report " + domain + " " + day + ": destination " + uri + " not used: " + d.note());
        if (d.temporary()) {
          c.retry++;
        } else {
          c.skipped++;
        }
        continue;
      }
      for (String box : d.mailboxes()) {
        mailboxes.putIfAbsent(box.toLowerCase(java.util.Locale.ROOT), d.maxBytes());
      }
    }
    if (mailboxes.isEmpty()) {
      return;
    }
    String reportId = ReportMail.reportId(day.toString(), domain, settings.receiver());
    byte[] xml = AggregateReportXml.write(r, new AggregateReportXml.Metadata(settings.orgName(), settings.contact(),
        reportId, begin, end, "mailgate"), settings.format());
    byte[] gz = ReportMail.gzip(xml);
    String filename = ReportMail.filename(settings.receiver(), domain, begin, end, true);
    MessageRef ref = new MessageRef(bucket, MARKERS + day + "/" + domain, day + "/" + domain);
    Instant claimExpiry = deadline.plus(Duration.ofMinutes(5));
    for (Map.Entry<String, Long> m : mailboxes.entrySet()) {
      String box = m.getKey();
      byte[] mail = ReportMail.message(settings.from(), List.of(box), clock.instant(), domain, settings.receiver(),
          reportId, filename, gz, begin, end);
      if (mail.length > settings.maxMessageBytes()) {
        log.accept("report " + domain + " " + day + ": " + mail.length + " bytes, over the configured maximum of "
            + settings.maxMessageBytes() + ": not sent to " + box);
        c.skipped++;
        continue;
      }
      // RFC 7489 6.2/7.2.1.1: a URI whose size limit the report exceeds (after compression and encoding)
      // MUST NOT be used. RFC 9989 made the limit obsolete; RFC 9990 reports ignore it.
      if (settings.format() == ReportFormat.RFC7489 && m.getValue() != null && mail.length > m.getValue()) {
        log.accept("report " + domain + " " + day + ": " + mail.length + " bytes, over " + box + "'s limit of "
            + m.getValue() + " bytes: not sent there");
        c.skipped++;
        continue;
      }
      DeliveryLedger.Result res;
      try {
        res = ledger.run(ref, DeliveryLedger.deliveryId("dmarc-report", List.of(box)), deadline, claimExpiry,
            () -> sender.forward(new MailSender.Forward(reportId, settings.from(), List.of(box), mail, null), deadline));
      } catch (StoreException e) {
        log.accept("report " + domain + " " + day + " to " + box + ": marker store failed: " + e.getMessage());
        c.retry++;
        continue;
      }
      count(res, c, domain, day, box);
    }
  }

  private void count(DeliveryLedger.Result res, Counts c, String domain, LocalDate day, String box) {
    ActionResult.Status s = res.status();
    switch (s) {
      case DONE -> c.sent++;
      case ALREADY_DONE -> c.already++;
      case RETRY, IN_PROGRESS -> {
        c.retry++;
        log.accept("report " + domain + " " + day + " to " + box + ": " + s.word() + ": " + res.detail());
      }
      default -> {
        c.failed++;
        log.accept("report " + domain + " " + day + " to " + box + ": " + s.word() + ": " + res.detail());
      }
    }
  }
}
