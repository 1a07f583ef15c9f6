package dev.mailgate.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.dmarc.PublicSuffixList;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Grouping: one report per policy domain with rua, one row per distinct tuple, counts that add up. */
class ReportAggregatorTest {
  private final ReportAggregator agg = new ReportAggregator(PublicSuffixList.bundled());

  @Test
  void rowsGroupBySourceAndResultsAndCountMessages() {
    for (int i = 0; i < 5; i++) {
      agg.add(Records.pass().id("a" + i).build());
    }
    for (int i = 0; i < 3; i++) {
      agg.add(Records.pass().id("b" + i).ip("203.0.113.66").fail("reject").build());
    }
    agg.add(Records.pass().id("c").ip("203.0.113.66").build()); // same IP, other results: its own row
    List<AggregateReport> reports = agg.reports();
    assertThat(reports).hasSize(1);
    AggregateReport r = reports.get(0);
    assertThat(r.policyDomain()).isEqualTo("sender.example");
    assertThat(r.messages()).isEqualTo(9);
    Map<String, Long> counts = r.rows().stream().collect(Collectors.toMap(
        x -> x.key().sourceIp() + " " + x.key().disposition(), AggregateReport.Row::count));
    assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(
        "192.0.2.10 pass", 5L, "203.0.113.66 reject", 3L, "203.0.113.66 pass", 1L));
    assertThat(r.rows().get(0).count()).isEqualTo(5); // biggest first
    assertThat(agg.counted()).isEqualTo(9);
  }

  @Test
  void oneReportPerPolicyDomainWhateverTheFromDomain() {
    // RFC 9990 3.1.2: a subdomain without its own record is reported under the policy domain.
    Records.B sub = Records.pass().id("sub");
    sub.headerFrom = "news.sender.example";
    agg.add(sub.build());
    agg.add(Records.pass().id("org").build());
    Records.B other = Records.pass().id("other");
    other.headerFrom = "lax.example";
    other.policyDomain = "lax.example";
    other.rua = List.of("mailto:agg@lax.example");
    agg.add(other.build());
    List<AggregateReport> reports = agg.reports();
    assertThat(reports).extracting(AggregateReport::policyDomain).containsExactly("lax.example", "sender.example");
    assertThat(reports.get(1).rows()).extracting(x -> x.key().headerFrom())
        .containsExactlyInAnyOrder("news.sender.example", "sender.example");
  }

  /**
   * A message whose delivery is retried has its verdict: it counts. One deferred by a temporary error
   * counts as it stands, nothing applied, with the reason: its final record would come too late.
   */
  @Test
  void retriedAndDeferredMessagesAreReportedAsTheyStand() {
    agg.add(Records.pass().id("retry").state("retry").build());
    // Recorded as DMARC would have it (fail, reject), but the gateway applied nothing yet.
    Records.B deferred = Records.pass().id("deferred").state("deferred").ip("203.0.113.9").fail("reject");
    agg.add(deferred.build());
    assertThat(agg.counted()).isEqualTo(2);
    List<AggregateReport> reports = agg.reports();
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).rows()).hasSize(2);
    AggregateReport.Row d = reports.get(0).rows().stream()
        .filter(r -> r.key().sourceIp().equals("203.0.113.9")).findFirst().orElseThrow();
    assertThat(d.key().disposition()).isEqualTo("none");
    assertThat(d.key().reasons()).containsExactly(ReportAggregator.DEFERRED);
    AggregateReport.Row retried = reports.get(0).rows().stream()
        .filter(r -> !r.key().sourceIp().equals("203.0.113.9")).findFirst().orElseThrow();
    assertThat(retried.key().reasons()).isEmpty();
  }

  /** A deferred message that passed overrides nothing: no reason (RFC 9990 3.1.6). */
  @Test
  void aDeferredMessageThatPassedHasNoOverrideReason() {
    agg.add(Records.pass().id("deferred").state("deferred").build());
    AggregateReport.Row row = agg.reports().get(0).rows().get(0);
    assertThat(row.key().reasons()).isEmpty();
    assertThat(row.key().disposition()).isIn("none", "pass");
  }

  @Test
  void unreportableRecordsAreLeftOut() {
    agg.add(Records.pass().id("norua").rua().build());
    agg.add(Records.pass().id("missing").state("missing").build());
    Records.B noDmarc = Records.pass().id("nodmarc");
    noDmarc.result = null;
    agg.add(noDmarc.build());
    Records.B noIp = Records.pass().id("noip").ip(null);
    agg.add(noIp.build());
    Records.B invalid = Records.pass().id("invalid");
    invalid.p = null;
    agg.add(invalid.build());
    agg.addLine("not json");
    agg.addLine("{\"message_id\":\"x\"}");
    assertThat(agg.reports()).isEmpty();
    assertThat(agg.added()).isEqualTo(5);
    assertThat(agg.counted()).isZero();
    assertThat(agg.malformed()).isEqualTo(2);
  }

  @Test
  void whenTheGatewaysDmarcRuleDidLessTheReportSaysWhatWasDoneAndWhy() {
    // The default dmarcReject = quarantine: DMARC asked for reject, the message was quarantined.
    Records.B b = Records.pass().id("q").ip("203.0.113.66").fail("reject");
    MessageRecord base = b.build();
    MessageRecord quarantined = new MessageRecord(base.received(), "q", "quarantined", "quarantine", "dmarc-reject",
        base.actions(), base.sourceIp(), base.helo(), base.mailFrom(), base.headerFrom(), base.recipients(),
        base.spfResult(), base.spfDomain(), base.spfScope(), base.dkim(), base.arcResult(), 0, List.of(), base.dmarc(),
        null, null);
    MessageRecord virus = new MessageRecord(base.received(), "v", "discarded", "discard", "virus", base.actions(),
        base.sourceIp(), base.helo(), base.mailFrom(), base.headerFrom(), base.recipients(), base.spfResult(),
        base.spfDomain(), base.spfScope(), base.dkim(), base.arcResult(), 0, List.of(), base.dmarc(), null, null);
    agg.add(quarantined);
    agg.add(virus);
    List<AggregateReport.RowKey> rows = agg.reports().get(0).rows().stream().map(AggregateReport.Row::key).toList();
    assertThat(rows).anySatisfy(k -> {
      assertThat(k.disposition()).isEqualTo("quarantine");
      assertThat(k.reasons()).containsExactly(new MessageRecord.Reason("local_policy",
          "mailgate rule dmarc-reject: quarantine"));
    });
    // Another rule (a virus) decided: DMARC's own disposition is reported, without a reason.
    assertThat(rows).anySatisfy(k -> {
      assertThat(k.disposition()).isEqualTo("reject");
      assertThat(k.reasons()).isEmpty();
    });
  }

  @Test
  void theLatestPolicyOfThePeriodIsPublished() {
    // RFC 9990 3.1: "SHOULD note only the final configuration observed during the period".
    Records.B late = Records.pass().id("late").at(Instant.parse("2026-11-27T22:00:00Z"));
    late.p = "quarantine";
    late.rua = List.of("mailto:new@sender.example");
    agg.add(late.build());
    agg.add(Records.pass().id("early").at(Instant.parse("2026-11-27T01:00:00Z")).build());
    AggregateReport r = agg.reports().get(0);
    assertThat(r.policy().p()).isEqualTo("quarantine");
    assertThat(r.rua()).containsExactly("mailto:new@sender.example");
    assertThat(r.messages()).isEqualTo(2);
  }

  @Test
  void aMillionLinesNeedNoMoreRowsThanDistinctTuples() {
    // Streaming: 20,000 messages from 4 sources make 4 rows, whatever the message count.
    String[] ips = {"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"};
    for (int i = 0; i < 20_000; i++) {
      agg.addLine(Records.pass().id("m" + i).ip(ips[i % 4]).build().toJson());
    }
    AggregateReport r = agg.reports().get(0);
    assertThat(r.rows()).hasSize(4).allSatisfy(x -> assertThat(x.count()).isEqualTo(5_000));
  }
}
