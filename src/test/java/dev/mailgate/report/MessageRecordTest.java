package dev.mailgate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The record's JSON (docs/RECORDS.md), its key, and the local sink. */
class MessageRecordTest {
  @TempDir Path dir;

  @Test
  void theJsonHasTheDocumentedSnakeCaseFieldsAndReadsBack() throws IOException {
    MessageRecord r = Records.pass().build();
    String json = r.toJson();
    Map<String, Object> m = JSON.std.mapFrom(json);
    assertThat(m).containsEntry("v", 1).containsEntry("received", "2026-11-27T10:00:00Z")
        .containsEntry("message_id", "m1").containsEntry("source_ip", "192.0.2.10")
        .containsEntry("mail_from_domain", "sender.example").containsEntry("spf_scope", "mfrom")
        .containsEntry("dmarc_domain", "sender.example").containsEntry("dmarc_p", "reject")
        .containsEntry("dmarc_spf_aligned", true).containsEntry("dmarc_rua", List.of("mailto:dmarc@sender.example"))
        .doesNotContainKey("dmarc_sp").doesNotContainKey("detail");
    assertThat(json).doesNotContain("\n");
    assertThat(MessageRecord.fromJson(json)).isEqualTo(r);
  }

  @Test
  void everyFieldNameIsInRecordsMd() throws IOException {
    String doc = Files.readString(Path.of("docs/RECORDS.md"));
    Records.B b = Records.pass();
    b.sp = "quarantine";
    b.overrides.add(new MessageRecord.Reason("local_policy", "trusted ARC sealer"));
    MessageRecord full = new MessageRecord(Records.DAY, "m", "retry", "retry", "r",
        List.of(new MessageRecord.ActionTaken("forward", "retry", List.of("x@y"))), "::1", "h", "", "d",
        List.of(), "none", "d", "helo", List.of(), "pass", 1, List.of("arc.example"), b.build().dmarc(), "s", "why");
    for (String key : full.toMap().keySet()) {
      assertThat(doc).as(key).contains("`" + key + "`");
    }
    assertThat(MessageRecord.fromJson(full.toJson())).isEqualTo(full);
  }

  @Test
  void fieldsOfALaterVersionAreSkippedWhateverTheirShape() {
    String json = Records.pass().build().toJson();
    String later = "{\"v\":2,\"future\":{\"a\":[1,{\"b\":null}]},\"list\":[[]],\"n\":null," + json.substring(1);
    assertThat(MessageRecord.fromJson(later)).isEqualTo(Records.pass().build());
  }

  @Test
  void truncatedOrOddJsonIsRefused() {
    String json = Records.pass().build().toJson();
    assertThatThrownBy(() -> MessageRecord.fromJson(json.substring(0, json.length() / 2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageRecord.fromJson("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageRecord.fromJson("\"text\"")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theNullReversePathHasAnEmptyMailFromDomain() {
    Records.B b = Records.pass();
    b.mailFrom = "";
    assertThat(b.build().mailFromDomain()).isEmpty();
    b.mailFrom = null;
    assertThat(b.build().mailFromDomain()).isNull();
  }

  @Test
  void aLineThatIsNoRecordIsRefused() {
    assertThatThrownBy(() -> MessageRecord.fromJson("[1,2]")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageRecord.fromJson("{\"message_id\":\"x\"}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageRecord.fromJson("{\"message_id\":\"x\",\"received\":\"yesterday\"}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "RFC 5952: {0} -> {1}")
  @CsvSource({
    "2001:db8:0:0:0:0:0:1, 2001:db8::1",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "0:0:0:0:0:0:0:0, ::",
    "2001:DB8:AA:0:0:0:0:0, 2001:db8:aa::",
    "192.0.2.1, 192.0.2.1"
  })
  void ipAddressesAreWrittenInTheirCanonicalForm(String literal, String expected) throws Exception {
    assertThat(dev.mailgate.dns.InetAddresses.text(InetAddress.getByName(literal))).isEqualTo(expected);
  }

  @Test
  void theKeyIsHivePartitionedByTheUtcDayOfReceipt() {
    MessageRecord r = Records.pass().at(Instant.parse("2026-11-27T23:59:59.900Z")).id("abc123").build();
    assertThat(RecordSink.key("records/", r.date(), r.messageId())).isEqualTo("records/dt=2026-11-27/abc123.jsonl");
    assertThat(RecordSink.key("", LocalDate.of(2026, 1, 2), "../../etc")).isEqualTo("dt=2026-01-02/_._.._etc.jsonl");
  }

  @Test
  void theLocalSinkWritesOneFilePerMessageAndARetryReplacesIt() throws IOException {
    LocalRecordSink sink = new LocalRecordSink(dir, "records/");
    sink.write(Records.pass().id("a").state("retry").build());
    sink.write(Records.pass().id("b").build());
    sink.write(Records.pass().id("a").state("delivered").build());
    Path day = dir.resolve("records/dt=2026-11-27");
    try (var files = Files.list(day)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.jsonl", "b.jsonl");
    }
    List<String> lines = new ArrayList<>();
    RecordSource.folder(dir, "records/").forEachLine(LocalDate.of(2026, 11, 27), lines::add);
    assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l).contains("\"state\":\"delivered\""));
  }

  @Test
  void aFailedWriteIsCountedAndReportedButDoesNotThrow() {
    List<String> reported = new ArrayList<>();
    RecordSink.Guarded g = new RecordSink.Guarded(r -> {
      throw new IOException("disk full");
    }, (r, e) -> reported.add(r.messageId() + ": " + e.getMessage()));
    assertThat(g.write(Records.pass().build())).isFalse();
    assertThat(g.failures()).isEqualTo(1);
    assertThat(g.written()).isZero();
    assertThat(reported).containsExactly("m1: disk full");
  }
}
