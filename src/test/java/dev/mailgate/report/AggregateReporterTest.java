package dev.mailgate.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.dmarc.PublicSuffixList;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.dns.RecordType;
import dev.mailgate.gateway.LocalFolderStore;
import dev.mailgate.gateway.OutboxSender;
import dev.mailgate.gateway.SendException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A day's reports from records in a folder to an outbox: idempotency, destinations, size limits. */
class AggregateReporterTest {
  static final LocalDate DAY = LocalDate.of(2026, 11, 27);
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T01:30:00Z"), ZoneOffset.UTC);

  /** Later than the other records of the day: its rua is the policy the report publishes. */
  static final Instant LATER = Instant.parse("2026-11-27T12:00:00Z");

  @TempDir Path bucket;
  final OutboxSender outbox = OutboxSender.inMemory();
  final List<String> log = new ArrayList<>();
  InMemoryResolver.Builder dns = InMemoryResolver.builder()
      .txt("sender.example._report._dmarc.reports.example.net", "v=DMARC1");

  @BeforeEach
  void records() throws IOException {
    LocalRecordSink sink = new LocalRecordSink(bucket, "records/");
    sink.write(Records.pass().id("a").build());
    sink.write(Records.pass().id("b").ip("203.0.113.66").fail("reject").build());
    sink.write(Records.pass().id("other-day").at(Instant.parse("2026-11-28T00:00:01Z")).build());
  }

  AggregateReporter reporter(ReportFormat f, long maxBytes) {
    return reporter(f, maxBytes, outbox);
  }

  AggregateReporter reporter(ReportFormat f, long maxBytes, dev.mailgate.gateway.MailSender sender) {
    return new AggregateReporter(RecordSource.folder(bucket, "records/"),
        new RuaVerifier(dns.build(), PublicSuffixList.bundled()), LocalFolderStore.of(bucket), "local", sender, CLOCK,
        new AggregateReporter.Settings("Mailgate", null, "dmarc@mailgate.example", "mailgate.example", maxBytes, f,
            "mailgate-state/"), log::add);
  }

  Instant deadline() {
    return CLOCK.instant().plusSeconds(600);
  }

  @Test
  void oneReportPerDomainAndDayAndASecondRunSendsNothing() throws IOException {
    AggregateReporter.Summary first = reporter(ReportFormat.RFC9990, 10_000_000).run(DAY, deadline());
    assertThat(first.records()).isEqualTo(2);
    assertThat(first.reports()).isEqualTo(1);
    assertThat(first.sent()).isEqualTo(1);
    assertThat(outbox.sent()).hasSize(1);
    OutboxSender.Sent s = outbox.sent().get(0);
    assertThat(s.from()).isEqualTo("dmarc@mailgate.example");
    assertThat(s.to()).containsExactly("dmarc@sender.example");
    AggregateReporter.Summary second = reporter(ReportFormat.RFC9990, 10_000_000).run(DAY, deadline());
    assertThat(second.sent()).isZero();
    assertThat(second.alreadySent()).isEqualTo(1);
    assertThat(outbox.sent()).hasSize(1);
  }

  @Test
  void everyUsableDestinationGetsTheReportAndUnverifiedOnesAreLogged() throws IOException {
    new LocalRecordSink(bucket, "records/").write(Records.pass().id("a").at(LATER)
        .rua("mailto:dmarc@sender.example", "mailto:agg@reports.example.net", "mailto:x@unverified.example").build());
    AggregateReporter.Summary s = reporter(ReportFormat.RFC9990, 10_000_000).run(DAY, deadline());
    assertThat(s.sent()).isEqualTo(2);
    assertThat(s.skipped()).isEqualTo(1);
    assertThat(outbox.sent()).extracting(x -> x.to().get(0))
        .containsExactlyInAnyOrder("dmarc@sender.example", "agg@reports.example.net");
    assertThat(log).anyMatch(l -> l.contains("mailto:x@unverified.example not used"));
  }

  @Test
  void aReportOverTheConfiguredMaximumIsNotSent() throws IOException {
    AggregateReporter.Summary s = reporter(ReportFormat.RFC9990, 1024).run(DAY, deadline());
    assertThat(s.sent()).isZero();
    assertThat(s.skipped()).isEqualTo(1);
    assertThat(outbox.sent()).isEmpty();
    assertThat(log).anyMatch(l -> l.contains("over the configured maximum of 1024"));
  }

  @Test
  void rfc7489HonoursTheSizeSuffixAndRfc9990IgnoresIt() throws IOException {
    new LocalRecordSink(bucket, "records/").write(Records.pass().id("a").at(LATER)
        .rua("mailto:small@sender.example!1k", "mailto:big@sender.example!1m").build());
    AggregateReporter.Summary old = reporter(ReportFormat.RFC7489, 10_000_000).run(DAY, deadline());
    assertThat(old.sent()).isEqualTo(1);
    assertThat(outbox.sent()).extracting(x -> x.to().get(0)).containsExactly("big@sender.example");
    assertThat(log).anyMatch(l -> l.contains("over small@sender.example's limit of 1024 bytes"));
    outbox.clear();
    AggregateReporter.Summary next = reporter(ReportFormat.RFC9990, 10_000_000).run(LocalDate.of(2026, 11, 27), deadline());
    // The markers are per destination: big@ was sent above; small@ now gets the RFC 9990 report.
    assertThat(next.sent()).isEqualTo(1);
    assertThat(outbox.sent()).extracting(x -> x.to().get(0)).containsExactly("small@sender.example");
  }

  @Test
  void aTemporaryFailureLeavesNoMarkerSoTheNextRunSends() throws IOException {
    dev.mailgate.gateway.MailSender failing = new dev.mailgate.gateway.MailSender() {
      @Override
      public String forward(Forward m, Instant d) throws SendException {
        throw new SendException(SendException.Kind.TRANSIENT, "throttled");
      }

      @Override
      public String relay(Relay m, Instant d) {
        throw new UnsupportedOperationException();
      }

      @Override
      public String bounce(Bounce m, Instant d) {
        throw new UnsupportedOperationException();
      }
    };
    AggregateReporter.Summary s = reporter(ReportFormat.RFC9990, 10_000_000, failing).run(DAY, deadline());
    assertThat(s.retry()).isEqualTo(1);
    assertThat(s.sent()).isZero();
    AggregateReporter.Summary again = reporter(ReportFormat.RFC9990, 10_000_000).run(DAY, deadline());
    assertThat(again.sent()).isEqualTo(1);
  }

  @Test
  void aDnsTimeoutOnAnExternalDestinationIsToBeRetried() throws IOException {
    dns = InMemoryResolver.builder().timeout("sender.example._report._dmarc.reports.example.net", RecordType.TXT);
    new LocalRecordSink(bucket, "records/").write(Records.pass().id("a").at(LATER).rua("mailto:agg@reports.example.net").build());
    AggregateReporter.Summary s = reporter(ReportFormat.RFC9990, 10_000_000).run(DAY, deadline());
    assertThat(s.retry()).isEqualTo(1);
    assertThat(outbox.sent()).isEmpty();
  }

  @Test
  void theDefaultPeriodIsThePreviousUtcDay() {
    assertThat(AggregateReporter.previousDay(CLOCK)).isEqualTo(DAY);
    long[] p = AggregateReporter.period(DAY);
    assertThat(p[0]).isEqualTo(Instant.parse("2026-11-27T00:00:00Z").getEpochSecond());
    assertThat(p[1]).isEqualTo(Instant.parse("2026-11-27T23:59:59Z").getEpochSecond());
  }
}
