package dev.mailgate.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.dmarc.PublicSuffixList;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.gateway.Harness;
import dev.mailgate.report.AggregateReporter;
import dev.mailgate.report.MessageRecord;
import dev.mailgate.report.ReportFormat;
import dev.mailgate.report.RuaVerifier;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The records and the reports on the real S3 client against S3Mock and the real SES v2 client against a
 * recording endpoint: one object per record, listing across pages, conditional markers, a raw SendEmail.
 */
@ExtendWith(S3MockResolver.class)
class S3MockReportTest {
  static final LocalDate DAY = LocalDate.of(2026, 11, 27);

  private EndToEnd e2e;

  @BeforeEach
  void start(S3MockServer s3mock) throws Exception {
    e2e = new EndToEnd(s3mock, 1, Harness.sampleDns());
  }

  @AfterEach
  void stop() {
    e2e.close();
  }

  static MessageRecord record(String id, String ip) {
    MessageRecord.Dmarc d = new MessageRecord.Dmarc("pass", "sender.example", "treewalk", "reject", null, null, "r",
        "r", "n", "u", "0", 100, "p", "reject", "reject", "none", true, true, List.of(),
        List.of("mailto:dmarc@sender.example"), List.of());
    return new MessageRecord(Instant.parse("2026-11-27T09:00:00Z"), id, "delivered", "deliver", "clean", List.of(), ip,
        "mail.sender.example", "a@sender.example", "sender.example", List.of("b@mailgate.example"), "pass",
        "sender.example", "mfrom", List.of(new MessageRecord.Dkim("pass", "sender.example", "s1", "rsa-sha256")), "none",
        0, List.of(), d, "s", null);
  }

  /** A record write never outlives the invocation: with no time left it fails at once (and is counted). */
  @Test
  void aRecordIsNotWrittenPastTheInvocationsEnd() {
    S3RecordSink sink = new S3RecordSink(e2e.clients.s3(), S3MockServer.BUCKET, "late/");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sink.write(record("late-1", "192.0.2.1"),
        Instant.now().plusMillis(50))).isInstanceOf(java.io.IOException.class).hasMessageContaining("no time left");
    dev.mailgate.report.RecordSink.Guarded guarded = new dev.mailgate.report.RecordSink.Guarded(sink, (r, e) -> { });
    assertThat(guarded.write(record("late-2", "192.0.2.1"), Instant.now().minusSeconds(1))).isFalse();
    assertThat(guarded.failures()).isEqualTo(1);
    assertThat(guarded.write(record("on-time", "192.0.2.1"), Instant.now().plusSeconds(10))).isTrue();
  }

  @Test
  void recordsGoOneObjectEachAndTheDaysReportIsSentOnceThroughSes() throws Exception {
    String prefix = "records/";
    S3RecordSink sink = new S3RecordSink(e2e.clients.s3(), S3MockServer.BUCKET, prefix);
    int n = 30;
    for (int i = 0; i < n; i++) {
      sink.write(record("rec" + i, i % 2 == 0 ? "192.0.2.10" : "192.0.2.11"));
    }
    sink.write(record("rec0", "192.0.2.10")); // a retried message replaces its own record
    var listed = e2e.direct.listObjectsV2(b -> b.bucket(S3MockServer.BUCKET).prefix("records/dt=2026-11-27/"));
    assertThat(listed.keyCount()).isEqualTo(n);
    assertThat(e2e.direct.getObjectAsBytes(b -> b.bucket(S3MockServer.BUCKET).key("records/dt=2026-11-27/rec7.jsonl"))
        .asUtf8String()).startsWith("{\"v\":1,").endsWith("}\n");

    Clock clock = Clock.fixed(Instant.parse("2026-11-28T01:30:00Z"), ZoneOffset.UTC);
    // Pages of 7 keys: the listing must follow continuation tokens to see all 30.
    S3ReportStore store = new S3ReportStore(e2e.clients.s3(), S3MockServer.BUCKET, prefix, clock, 7);
    List<String> lines = new ArrayList<>();
    store.forEachLine(DAY, lines::add);
    assertThat(lines).hasSize(n);

    AggregateReporter reporter = new AggregateReporter(store, new RuaVerifier(InMemoryResolver.builder().build(),
        PublicSuffixList.bundled()), store, S3MockServer.BUCKET, new SesReportSender(e2e.clients.sesV2(), clock), clock,
        new AggregateReporter.Settings(null, null, "dmarc-reports@mailgate.example", "mailgate.example", 10_000_000,
            ReportFormat.RFC9990, prefix), l -> {}); // markers beside the records, as the template has them
    Instant deadline = Instant.now().plusSeconds(120);
    AggregateReporter.Summary first = reporter.run(DAY, deadline);
    assertThat(first.counted()).isEqualTo(n);
    assertThat(first.sent()).isEqualTo(1);
    assertThat(e2e.ses.calls).singleElement().satisfies(c -> {
      assertThat(c.action()).isEqualTo("SendEmail");
      assertThat(c.from()).isEqualTo("dmarc-reports@mailgate.example");
      assertThat(c.destinations()).containsExactly("dmarc@sender.example");
      assertThat(new String(c.raw(), java.nio.charset.StandardCharsets.US_ASCII))
          .contains("Subject: Report Domain: sender.example Submitter: mailgate.example");
    });
    AggregateReporter.Summary second = reporter.run(DAY, deadline);
    assertThat(second.alreadySent()).isEqualTo(1);
    assertThat(e2e.ses.calls).hasSize(1);
    var markers = e2e.direct.listObjectsV2(b -> b.bucket(S3MockServer.BUCKET)
        .prefix("records/dmarc-reports/2026-11-27/sender.example/"));
    assertThat(markers.contents()).singleElement().satisfies(o -> assertThat(o.key()).contains("dmarc-report-"));
  }
}
