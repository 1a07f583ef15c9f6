package dev.mailgate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgate.dmarc.PublicSuffixList;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXException;

/** Generated reports against the RFC 9990 schema and the corrected RFC 7489 schema (javax.xml.validation). */
class AggregateReportXmlTest {
  static Schema rfc9990;
  static Schema rfc7489;

  @BeforeAll
  static void schemas() throws SAXException {
    SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
    rfc9990 = f.newSchema(Path.of("src/test/resources/report/dmarc-aggregate-2.0.xsd").toFile());
    rfc7489 = f.newSchema(Path.of("src/test/resources/report/rfc7489-appendix-c-corrected.xsd").toFile());
  }

  static Schema schema(ReportFormat f) {
    return f == ReportFormat.RFC9990 ? rfc9990 : rfc7489;
  }

  static void validate(byte[] xml, ReportFormat f) throws Exception {
    Validator v = schema(f).newValidator();
    v.validate(new StreamSource(new ByteArrayInputStream(xml)));
  }

  static final AggregateReportXml.Metadata META = new AggregateReportXml.Metadata("Mailgate Example", "dmarc@mailgate.example",
      "2026-11-27_sender.example@mailgate.example", 1795737600L, 1795823999L, "mailgate");

  /** A report with the awkward cases: IPv6, null sender, HELO-only SPF, no SPF, many signatures, overrides, errors. */
  static AggregateReport awkward() {
    ReportAggregator agg = new ReportAggregator(PublicSuffixList.bundled());
    agg.add(Records.pass().build());
    agg.add(Records.pass().id("v6").ip("2001:db8::1").build());
    Records.B nullSender = Records.pass().id("ns").fail("reject");
    nullSender.mailFrom = "";
    nullSender.spfScope = "helo";
    nullSender.spfDomain = "mail.sender.example";
    nullSender.spfResult = "pass";
    agg.add(nullSender.build());
    Records.B noSpf = Records.pass().id("nospf").ip("198.51.100.7");
    noSpf.spfResult = null;
    noSpf.spfDomain = null;
    noSpf.mailFrom = null;
    agg.add(noSpf.build());
    Records.B forwarded = Records.pass().id("fw").ip("203.0.113.9").fail("none");
    forwarded.overrides.add(new MessageRecord.Reason("forwarded", null));
    forwarded.overrides.add(new MessageRecord.Reason("local_policy", "trusted ARC sealer <arc.example> & co\u0001"));
    forwarded.overrides.add(new MessageRecord.Reason("policy_test_mode", null));
    agg.add(forwarded.build());
    Records.B many = Records.pass().id("many").ip("192.0.2.99");
    for (int i = 0; i < 120; i++) {
      many.dkim.add(new MessageRecord.Dkim(i % 2 == 0 ? "fail" : "permerror", "d" + i + ".example", null, null));
    }
    many.dkim.add(new MessageRecord.Dkim("none", null, null, null)); // no d=: cannot be reported
    agg.add(many.build());
    Records.B latest = Records.pass().id("latest").at(Instant.parse("2026-11-27T20:00:00Z"));
    latest.sp = "quarantine";
    latest.errors.add("unknown tag \"foo\"");
    latest.errors.add("invalid fo value");
    agg.add(latest.build());
    return agg.reports().get(0);
  }

  @ParameterizedTest(name = "{0}: the awkward report validates")
  @EnumSource(ReportFormat.class)
  void theAwkwardReportValidates(ReportFormat f) throws Exception {
    byte[] xml = AggregateReportXml.write(awkward(), META, f);
    validate(xml, f);
    String text = new String(xml, StandardCharsets.UTF_8);
    assertThat(text).contains("<feedback xmlns=\"" + f.namespace() + "\">").contains("<version>1.0</version>")
        .contains("<report_id>2026-11-27_sender.example@mailgate.example</report_id>")
        .contains("<begin>1795737600</begin>").contains("&lt;arc.example").contains("&amp; co").doesNotContain("\u0001");
    if (f == ReportFormat.RFC9990) {
      assertThat(text).contains("<source_ip>2001:db8::1</source_ip>").contains("<type>other</type>")
          .contains("<comment>forwarded</comment>").contains("<type>policy_test_mode</type>")
          .contains("<testing>n</testing>").contains("<discovery_method>treewalk</discovery_method>")
          .contains("<sp>quarantine</sp>").contains("<error>unknown tag \"foo\"; invalid fo value</error>");
    } else {
      assertThat(text).contains("<source_ip>2001:db8:0:0:0:0:0:1</source_ip>").contains("<type>forwarded</type>")
          .contains("<comment>policy_test_mode</comment>").contains("<pct>100</pct>")
          .contains("<error>unknown tag \"foo\"</error>").contains("<error>invalid fo value</error>")
          .doesNotContain("<testing>").doesNotContain("<disposition>pass</disposition>");
    }
  }

  @ParameterizedTest(name = "{0}: the validator does reject a broken report")
  @EnumSource(ReportFormat.class)
  void theSchemaCheckCanFail(ReportFormat f) {
    byte[] xml = AggregateReportXml.write(awkward(), META, f);
    String broken = new String(xml, StandardCharsets.UTF_8).replaceFirst("<count>\\d+</count>", "<count>many</count>");
    assertThatThrownBy(() -> validate(broken.getBytes(StandardCharsets.UTF_8), f)).isInstanceOf(SAXException.class);
  }

  @Test
  void rfc9990HasAtMost100SignaturesPerRowInPriorityOrder() {
    AggregateReport r = awkward();
    AggregateReport.RowKey many = r.rows().stream().filter(x -> x.key().sourceIp().equals("192.0.2.99")).findFirst()
        .orElseThrow().key();
    assertThat(many.dkim()).hasSize(ReportAggregator.MAX_DKIM_PER_ROW);
    assertThat(many.dkim().get(0)).isEqualTo(new MessageRecord.Dkim("pass", "sender.example", "s1", null));
  }

  @Test
  void rfc9990PassDispositionIsForPassingMailUnderAnEnforcingPolicy() throws Exception {
    byte[] xml = AggregateReportXml.write(awkward(), META, ReportFormat.RFC9990);
    assertThat(new String(xml, StandardCharsets.UTF_8)).contains("<disposition>pass</disposition>");
  }

  @Test
  void aHeloOnlySpfCheckHasNoScopeInRfc9990AndHeloInRfc7489() {
    AggregateReport r = awkward();
    String v2 = new String(AggregateReportXml.write(r, META, ReportFormat.RFC9990), StandardCharsets.UTF_8);
    String v1 = new String(AggregateReportXml.write(r, META, ReportFormat.RFC7489), StandardCharsets.UTF_8);
    assertThat(v2).contains("<domain>mail.sender.example</domain>\n        <result>pass</result>");
    assertThat(v1).contains("<scope>helo</scope>");
    assertThat(List.of(v1, v2)).allSatisfy(t -> assertThat(t).contains("<envelope_from></envelope_from>"));
  }
}
