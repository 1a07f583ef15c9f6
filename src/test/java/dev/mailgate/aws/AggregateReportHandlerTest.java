package dev.mailgate.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.mailgate.dmarc.PublicSuffixList;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.dns.RecordType;
import dev.mailgate.gateway.LocalFolderStore;
import dev.mailgate.gateway.OutboxSender;
import dev.mailgate.report.AggregateReporter;
import dev.mailgate.report.LocalRecordSink;
import dev.mailgate.report.MessageRecord;
import dev.mailgate.report.RecordSource;
import dev.mailgate.report.ReportFormat;
import dev.mailgate.report.RuaVerifier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduled handler fed an EventBridge event as the Lambda runtime deserializes it. */
class AggregateReportHandlerTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T01:30:05Z"), ZoneOffset.UTC);

  @TempDir Path bucket;
  final OutboxSender outbox = OutboxSender.inMemory();

  @SuppressWarnings("unchecked")
  static Map<String, Object> event() {
    return EventLoader.loadEvent("src/test/resources/report/scheduled-event.json", Map.class);
  }

  static MessageRecord record(String id, String rua) {
    MessageRecord.Dmarc d = new MessageRecord.Dmarc("pass", "sender.example", "treewalk", "reject", null, null, "r",
        "r", "n", "u", "0", 100, "p", "reject", "reject", "none", true, false, List.of(), List.of(rua), List.of());
    return new MessageRecord(Instant.parse("2026-11-27T09:00:00Z"), id, "delivered", "forward", "clean", List.of(),
        "192.0.2.10", "mail.sender.example", "a@sender.example", "sender.example", List.of("b@mailgate.example"),
        "pass", "sender.example", "mfrom", List.of(), "none", 0, List.of(), d, "s", null);
  }

  AggregateReportHandler handler(InMemoryResolver dns) {
    AggregateReporter r = new AggregateReporter(RecordSource.folder(bucket, "records/"),
        new RuaVerifier(dns, PublicSuffixList.bundled()), LocalFolderStore.of(bucket), "b", outbox, CLOCK,
        new AggregateReporter.Settings(null, null, "dmarc@mailgate.example", "mailgate.example", 10_000_000,
            ReportFormat.RFC9990, "records/"), l -> {});
    return new AggregateReportHandler(r, CLOCK);
  }

  @Test
  void aScheduledEventReportsTheDayBeforeItsTime() throws Exception {
    new LocalRecordSink(bucket, "records/").write(record("m1", "mailto:dmarc@sender.example"));
    Map<String, Object> out = handler(InMemoryResolver.builder().build()).handleRequest(event(),
        new LocalContext(900_000, System.err));
    assertThat(out).containsEntry("day", "2026-11-27").containsEntry("reports", 1).containsEntry("sent", 1);
    assertThat(outbox.sent()).hasSize(1);
    // The schedule fires again (a Lambda retry, or a manual rerun): nothing is sent twice.
    Map<String, Object> again = handler(InMemoryResolver.builder().build()).handleRequest(event(),
        new LocalContext(900_000, System.err));
    assertThat(again).containsEntry("sent", 0).containsEntry("alreadySent", 1);
    assertThat(outbox.sent()).hasSize(1);
  }

  @Test
  void aTemporaryFailureFailsTheInvocationSoLambdaRetries() throws Exception {
    new LocalRecordSink(bucket, "records/").write(record("m1", "mailto:agg@reports.example.net"));
    InMemoryResolver dns = InMemoryResolver.builder()
        .timeout("sender.example._report._dmarc.reports.example.net", RecordType.TXT).build();
    assertThatThrownBy(() -> handler(dns).handleRequest(event(), new LocalContext(900_000, System.err)))
        .isInstanceOf(RetryLaterException.class).hasMessageContaining("2026-11-27");
  }

  @Test
  void theDayComesFromTheEventOrTheClock() {
    assertThat(AggregateReportHandler.day(Map.of("date", "2026-01-05"), CLOCK)).isEqualTo(LocalDate.of(2026, 1, 5));
    assertThat(AggregateReportHandler.day(Map.of("detail", Map.of("date", "2026-01-06")), CLOCK))
        .isEqualTo(LocalDate.of(2026, 1, 6));
    assertThat(AggregateReportHandler.day(Map.of(), CLOCK)).isEqualTo(LocalDate.of(2026, 11, 27));
    assertThatThrownBy(() -> AggregateReportHandler.day(Map.of("date", "yesterday"), CLOCK))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theEnvironmentNamesWhatIsMissing() {
    assertThatThrownBy(() -> Config.reporting(Map.of("AWS_REGION", "eu-west-1")))
        .hasMessageContaining(Config.BUCKET).hasMessageContaining(Config.REPORT_FROM);
    Config.Reporting r = Config.reporting(Map.of("AWS_REGION", "eu-west-1", Config.BUCKET, "b",
        Config.REPORT_FROM, "dmarc@mailgate.example", Config.REPORT_FORMAT, "", Config.RECORDS_PREFIX, ""));
    assertThat(r.receiver()).isEqualTo("mailgate.example");
    assertThat(r.format()).isEqualTo("rfc9990");
    assertThat(r.recordsPrefix()).isEqualTo("records/");
    // Markers beside the records unless told otherwise, so they expire together.
    assertThat(r.statePrefix()).isEqualTo("records/");
    assertThat(Config.reporting(Map.of("AWS_REGION", "eu-west-1", Config.BUCKET, "b",
        Config.REPORT_FROM, "dmarc@mailgate.example", Config.RECORDS_PREFIX, "recs/")).statePrefix())
        .isEqualTo("recs/");
    assertThatThrownBy(() -> Config.reporting(Map.of("AWS_REGION", "eu-west-1", Config.BUCKET, "b",
        Config.REPORT_FROM, "dmarc@mailgate.example", Config.RECORDS_PREFIX, "/records")))
        .hasMessageContaining(Config.RECORDS_PREFIX);
  }
}
