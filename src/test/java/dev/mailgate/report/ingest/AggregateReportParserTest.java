package dev.mailgate.report.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AggregateReportParserTest {

  static ReceivedReport parsed(String sample) {
    ReportParse p = AggregateReportParser.parse(sample, Samples.bytes(sample), ReportLimits.DEFAULT);
    assertThat(p).as("%s", p).isInstanceOf(ReportParse.Parsed.class);
    return ((ReportParse.Parsed) p).report();
  }

  static Stream<Arguments> samples() {
    return Stream.of(
        Arguments.of("google-like.xml", "rfc7489", "google.com", "13954812003218823372", 3, 1241L),
        Arguments.of("microsoft-like.xml", "rfc7489", "Enterprise Outlook", "8f3c9a2b1d0e4f5a8b7c6d5e4f3a2b1c", 2, 7L),
        Arguments.of("yahoo-like.xml", "rfc7489", "Yahoo", "1790380800.713208", 2, 322L),
        Arguments.of("mailru-like.xml", "rfc7489", "Mail.Ru", "45271009937312543471790380800", 2, 8_000_000_000L),
        Arguments.of("rfc9990-sample.xml", "rfc9990", "Sample Reporter", "3v98abbp8ya9n3va8yr8oa3ya", 1, 123L),
        Arguments.of("small-provider.xml", "rfc7489", "smallmail.example", "r-2026-10-01", 1, 0L));
  }

  @ParameterizedTest(name = "{0}: {1}, org {2}, {4} records, {5} messages")
  @MethodSource("samples")
  void providerShapesParse(String sample, String schema, String org, String id, int records, long messages) {
    ReceivedReport r = parsed(sample);
    assertThat(r.schema()).isEqualTo(schema);
    assertThat(r.metadata().orgName()).isEqualTo(org);
    assertThat(r.metadata().reportId()).isEqualTo(id);
    assertThat(r.records()).hasSize(records);
    assertThat(r.messageCount()).isEqualTo(messages);
  }

  @Test
  void rfc9990AppendixBSampleReadsCompletely() {
    ReceivedReport r = parsed("rfc9990-sample.xml");
    assertThat(r.version()).isEqualTo("1.0");
    assertThat(r.metadata().generator()).isEqualTo("Example DMARC Aggregate Reporter v1.2");
    assertThat(r.metadata().begin()).isEqualTo(Instant.ofEpochSecond(302832000));
    assertThat(r.metadata().end()).isEqualTo(Instant.ofEpochSecond(302918399));
    assertThat(r.policy()).isEqualTo(new ReceivedReport.PolicyPublished("example.com", "quarantine", "none", "none",
        null, null, null, null, "n", "treewalk"));
    ReceivedReport.Record rec = r.records().get(0);
    assertThat(rec.sourceIp()).isEqualTo("192.0.2.123");
    assertThat(rec.disposition()).isEqualTo("pass");
    assertThat(rec.dkim()).isEqualTo("pass");
    assertThat(rec.spf()).isEqualTo("fail");
    assertThat(rec.dmarcPass()).isTrue();
    assertThat(rec.envelopeFrom()).isEqualTo("example.com");
    assertThat(rec.dkimResults()).containsExactly(new ReceivedReport.DkimAuth("example.com", "abc123", "pass", null));
    assertThat(rec.spfResults()).containsExactly(new ReceivedReport.SpfAuth("example.com", null, "fail", null));
    // The extension's own <x:record> is not a report record.
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void namespaceOfRfc7489IsRecognised() {
    assertThat(parsed("mailru-like.xml").schema()).isEqualTo(ReceivedReport.RFC7489);
  }

  @Test
  void countsAbove2To31And2To32AreKept() {
    ReceivedReport r = parsed("mailru-like.xml");
    assertThat(r.records()).extracting(ReceivedReport.Record::count).containsExactly(3_000_000_000L, 5_000_000_000L);
    assertThat(r.records().get(0).dkimResults()).hasSize(1);
    assertThat(r.records().get(0).spfResults()).isEmpty();
  }

  @Test
  void whitespaceAndCaseAreNormalised() {
    ReceivedReport r = parsed("yahoo-like.xml");
    assertThat(r.metadata().orgName()).isEqualTo("Yahoo");
    assertThat(r.metadata().extraContactInfo()).isNull();
    assertThat(r.metadata().begin()).isEqualTo(Instant.ofEpochSecond(1790380800));
    assertThat(r.policy().domain()).isEqualTo("mailgate.example");
    assertThat(r.policy().p()).isEqualTo("quarantine");
    assertThat(r.policy().adkim()).isEqualTo("r");
    ReceivedReport.Record first = r.records().get(0);
    assertThat(first.disposition()).isEqualTo("none");
    assertThat(first.dkim()).isEqualTo("pass");
    assertThat(first.dkimResults().get(0).result()).isEqualTo("pass");
    ReceivedReport.Record second = r.records().get(1);
    assertThat(second.dmarcPass()).isFalse();
    assertThat(second.reasons()).containsExactly(new ReceivedReport.Reason("forwarded", "arc=pass, mailing list"));
  }

  @Test
  void bomXsiNamespacesAndIpv6() {
    ReceivedReport r = parsed("microsoft-like.xml");
    assertThat(r.version()).isEqualTo("1.0");
    assertThat(r.records().get(0).sourceIp()).isEqualTo("2001:db8:40::25");
    assertThat(r.records().get(0).envelopeTo()).isEqualTo("contoso.example");
    assertThat(r.records().get(0).spfResults().get(0).scope()).isEqualTo("mfrom");
  }

  @Test
  void oddDateRangeMissingElementsAndFullIpv6AreWarningsNotFailures() {
    ReceivedReport r = parsed("small-provider.xml");
    assertThat(r.metadata().email()).isNull();
    assertThat(r.metadata().begin()).isEqualTo(Instant.ofEpochSecond(1790467199));
    assertThat(r.records().get(0).sourceIp()).isEqualTo("2001:db8::42");
    assertThat(r.records().get(0).count()).isZero();
    assertThat(r.warnings()).anyMatch(w -> w.contains("milliseconds"))
        .anyMatch(w -> w.contains("begins after it ends"))
        .anyMatch(w -> w.contains("no count"));
  }

  @Test
  void aCountBeyond2To63IsSaturatedWithAWarning() {
    String xml = "<feedback><report_metadata><org_name>o</org_name><report_id>1</report_id></report_metadata>"
        + "<record><row><source_ip>192.0.2.1</source_ip><count>99999999999999999999</count></row></record></feedback>";
    ReportParse p = AggregateReportParser.parse("big", xml.getBytes(StandardCharsets.UTF_8), ReportLimits.DEFAULT);
    ReceivedReport r = ((ReportParse.Parsed) p).report();
    assertThat(r.records().get(0).count()).isEqualTo(Long.MAX_VALUE);
    assertThat(r.warnings()).anyMatch(w -> w.contains("larger than 2^63-1"));
  }

  @Test
  void aMissingReportIdIsNamedAfterTheContent() {
    String xml = "<feedback><report_metadata><org_name>o</org_name></report_metadata></feedback>";
    ReceivedReport r = ((ReportParse.Parsed) AggregateReportParser.parse("x", xml.getBytes(StandardCharsets.UTF_8),
        ReportLimits.DEFAULT)).report();
    assertThat(r.metadata().reportId()).matches("sha256-[0-9a-f]{16}");
  }

  @Test
  void compressIpv6FollowsRfc5952() {
    assertThat(dev.mailgate.dns.InetAddresses.text(dev.mailgate.dns.InetAddresses.parse("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
    assertThat(dev.mailgate.dns.InetAddresses.text(dev.mailgate.dns.InetAddresses.parse("0:0:0:0:0:0:0:1"))).isEqualTo("::1");
    assertThat(dev.mailgate.dns.InetAddresses.text(dev.mailgate.dns.InetAddresses.parse("2001:db8:1:1:1:1:0:1"))).isEqualTo("2001:db8:1:1:1:1:0:1");
    assertThat(dev.mailgate.dns.InetAddresses.text(dev.mailgate.dns.InetAddresses.parse("192.0.2.1"))).isEqualTo("192.0.2.1");
  }
}
