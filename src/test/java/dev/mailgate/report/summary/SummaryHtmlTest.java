package dev.mailgate.report.summary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.report.ingest.ReportJson;
import dev.mailgate.report.ingest.ReportParse;
import dev.mailgate.report.ingest.ReportReader;
import dev.mailgate.report.ingest.Samples;
import java.time.Instant;
import java.time.LocalDate;
import dev.mailgate.report.ingest.ReceivedReport;
import dev.mailgate.report.ingest.ReportAuthentication;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The summary's numbers and page: content people read, everything from reports escaped, nothing external. */
class SummaryHtmlTest {

  @Test
  void theSummaryAddsUpTheSamples() {
    ReportSummary s = SummaryFixtures.summary(SummaryFixtures.samples(false), null, null);
    assertThat(s.reports()).isEqualTo(3);
    assertThat(s.messages()).isEqualTo(1241 + 7 + 322);
    assertThat(s.pass()).isEqualTo(1204 + 2 + 310);
    assertThat(s.fail()).isEqualTo(37 + 5 + 12);
    assertThat(s.days()).extracting(d -> d.day().toString()).containsExactly("2026-09-25", "2026-09-26");
    assertThat(s.days().get(1).fail()).isEqualTo(37 + 12);
    assertThat(s.failingSources()).extracting(ReportSummary.Source::ip)
        .containsExactly("203.0.113.66", "198.51.100.200");
    assertThat(s.failingSources().get(0).fail()).isEqualTo(42);
    assertThat(s.failingSources().get(0).orgs()).containsExactlyInAnyOrder("google.com", "Enterprise Outlook");
    assertThat(s.sources().get(0).ip()).isEqualTo("192.0.2.10"); // 1200 + 310 messages
    assertThat(s.policies()).singleElement().satisfies(p -> {
      assertThat(p.domain()).isEqualTo("mailgate.example");
      assertThat(p.policy().p()).isEqualTo("quarantine");
    });
    assertThat(s.orgs()).extracting(ReportSummary.Org::name).containsExactly("google.com", "Yahoo", "Enterprise Outlook");
  }

  @Test
  void fromAndToPickReportsByTheDayTheirPeriodBegins() {
    ReportSummary s = SummaryFixtures.summary(SummaryFixtures.samples(false), LocalDate.parse("2026-09-26"), null);
    assertThat(s.reports()).isEqualTo(2);
    ReportSummary t = SummaryFixtures.summary(SummaryFixtures.samples(false), null, LocalDate.parse("2026-09-25"));
    assertThat(t.reports()).isEqualTo(1);
    assertThat(t.orgs()).extracting(ReportSummary.Org::name).containsExactly("Enterprise Outlook");
  }

  @Test
  void aReportFoundAsXmlAndAsJsonCountsOnce() {
    StoredReports s = SummaryFixtures.samples(false);
    ReportParse.Parsed p = (ReportParse.Parsed) new ReportReader().read("g", Samples.bytes("google-like.xml")).get(0);
    s.add("reports/dt=2026-09-26/google.com!13954812003218823372.json",
        ReportJson.toJson(p.report(), "g", Instant.parse("2026-09-27T00:00:00Z")));
    assertThat(SummaryFixtures.summary(s, null, null).reports()).isEqualTo(3);
  }

  @Test
  void theHeadlineNumbersComeFirst() {
    String html = SummaryFixtures.html(false);
    int headline = html.indexOf("id=\"headline\"");
    assertThat(headline).isPositive().isLessThan(html.indexOf("id=\"volume-chart\""));
    assertThat(html).contains("<div class=\"label\">Messages reported</div><div class=\"value\">1,570</div>")
        .contains("<div class=\"value\">1,516</div><div class=\"note\">97% of all</div>")
        .contains("<div class=\"value\">54</div><div class=\"note\">3.4% of all</div>")
        .contains("2026-09-25 to 2026-09-26: 3 reports from 3 organisations about mailgate.example.");
  }

  @Test
  void chartsAreInlineSvgWithABarPerDayAndPerFailingSource() {
    String html = SummaryFixtures.html(false);
    assertThat(count(html, "class=\"bar-pass\"")).isEqualTo(2); // two days
    assertThat(count(html, "<g class=\"source\">")).isEqualTo(2); // two failing sources
    assertThat(html).contains("<svg id=\"volume-chart\"").contains("<svg id=\"failing-chart\"")
        .contains("203.0.113.66: 42 failed, reported by Enterprise Outlook, google.com");
  }

  @Test
  void reportTextIsEscapedEverywhere() {
    String html = SummaryFixtures.html(true);
    String lower = html.toLowerCase(Locale.ROOT);
    assertThat(lower).doesNotContain("<script").doesNotContain("<img").doesNotContain("onerror=")
        .doesNotContain("<svg onload").doesNotContain("' onmouseover='");
    assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("mailgate.example&quot;&gt;&lt;svg onload=alert(4)&gt;")
        .contains("&lt;/td&gt;&lt;script&gt;alert(6)&lt;/script&gt;")
        .contains("&lt;b&gt;broken&lt;/b&gt;.xml");
    // The policy word is a class name only when it is a known word.
    assertThat(html).contains("class=\"policy-unknown\">reject&#39; onmouseover=&#39;alert(5)");
  }

  /** A report whose mail was not authenticated counts nowhere and is listed apart, escaped like the rest. */
  @Test
  void anUnauthenticatedReportIsLeftOutOfTheCountsAndListedApart() {
    StoredReports stored = SummaryFixtures.samplesWithAForgedReport();
    ReportSummary s = ReportSummary.ofEntries(stored.entries(), stored.problems(), null, null, false);
    assertThat(s.reports()).isEqualTo(3);
    assertThat(s.messages()).isEqualTo(1241 + 7 + 322);
    assertThat(s.sources()).extracting(ReportSummary.Source::ip).doesNotContain("198.51.100.99");
    assertThat(s.unknownAuthentication()).isEqualTo(3);
    assertThat(s.unauthenticated()).singleElement().satisfies(u -> {
      assertThat(u.orgName()).isEqualTo("<script>alert(1)</script>");
      assertThat(u.messages()).isEqualTo(9);
    });
    String html = SummaryHtml.render(s, SummaryFixtures.CLOCK);
    assertThat(html).contains("1 report whose mail was not authenticated <strong>is not counted</strong>")
        .contains("3 counted reports were of unknown authentication")
        .contains("<section id=\"unauthenticated\">\n<h2>Reports not authenticated</h2>")
        .contains("<div class=\"label\">Messages reported</div><div class=\"value\">1,570</div>")
        .doesNotContain("198.51.100.99");
    String section = html.substring(html.indexOf("<section id=\"unauthenticated\">"));
    section = section.substring(0, section.indexOf("</section>"));
    assertThat(section).contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>")
        .contains("<td>mailgate.example&quot;&gt;&lt;svg onload=alert(4)&gt;</td><td class=\"n\">9</td>")
        .contains("<td>evil.example&quot;&gt;&lt;img onerror=alert(7)&gt;</td>")
        .contains("<td class=\"auth-fail\">fail</td><td>DMARC fail for &lt;script&gt;alert(8)&lt;/script&gt;</td>");
    assertThat(section.toLowerCase(Locale.ROOT)).doesNotContain("<script").doesNotContain("<img")
        .doesNotContain("<svg onload");

    ReportSummary all = ReportSummary.ofEntries(stored.entries(), stored.problems(), null, null, true);
    assertThat(all.reports()).isEqualTo(4);
    assertThat(all.messages()).isEqualTo(1241 + 7 + 322 + 9);
    assertThat(all.sources()).extracting(ReportSummary.Source::ip).contains("198.51.100.99");
    assertThat(SummaryHtml.render(all, SummaryFixtures.CLOCK))
        .contains("1 report whose mail was not authenticated <strong>is included</strong> in these counts")
        .contains("Included in the counts above (--include-unauthenticated).");
  }

  /**
   * A stranger whose own domain passes DMARC sends a copy of a reporter's report (same org and ID) with
   * its failures zeroed: it must not hide the real one. Both count, and the conflict is a problem.
   */
  @Test
  void anAuthenticatedCopyFromAnotherDomainDoesNotHideTheRealReport() {
    ReportSummary.Entry real = SummaryFixtures.samples(false).entries().get(0);
    ReceivedReport r = real.report();
    List<ReceivedReport.Record> zeroed = new java.util.ArrayList<>();
    for (ReceivedReport.Record rec : r.records()) {
      zeroed.add(rec.dmarcPass() ? rec : new ReceivedReport.Record(rec.sourceIp(), rec.sourceName(), 0,
          rec.disposition(), rec.dkim(), rec.spf(), rec.reasons(), rec.headerFrom(), rec.envelopeFrom(),
          rec.envelopeTo(), rec.dkimResults(), rec.spfResults()));
    }
    ReceivedReport forged = new ReceivedReport(r.schema(), r.version(), r.metadata(), r.policy(), zeroed, r.warnings());
    ReportAuthentication fromReporter = new ReportAuthentication(ReportAuthentication.Result.PASS, "reporter.example",
        "pass", List.of("reporter.example"), null, "DMARC pass for reporter.example");
    ReportAuthentication fromStranger = new ReportAuthentication(ReportAuthentication.Result.PASS, "stranger.example",
        "pass", List.of("stranger.example"), null, "DMARC pass for stranger.example");
    ReportSummary alone = ReportSummary.ofEntries(List.of(new ReportSummary.Entry(r, fromReporter)), List.of(),
        null, null, false);
    assertThat(alone.fail()).as("the sample has failures to hide").isPositive();
    // The forged copy first: listing order (org!id!msgid sorts before org!id) must not decide.
    ReportSummary both = ReportSummary.ofEntries(List.of(new ReportSummary.Entry(forged, fromStranger),
        new ReportSummary.Entry(r, fromReporter)), List.of(), null, null, false);
    assertThat(both.fail()).isEqualTo(alone.fail());
    assertThat(both.reports()).isEqualTo(2);
    assertThat(both.problems()).singleElement().satisfies(p ->
        assertThat(p.reason()).contains("2 sending domains (reporter.example, stranger.example)"));
  }

  @Test
  void thePageLoadsNothingAndRunsNothing() {
    StoredReports forged = SummaryFixtures.samplesWithAForgedReport();
    for (String page : new String[] {SummaryFixtures.html(true), SummaryHtml.render(ReportSummary.ofEntries(
        forged.entries(), forged.problems(), null, null, false), SummaryFixtures.CLOCK)}) {
      loadsNothing(page.toLowerCase(Locale.ROOT));
    }
  }

  private static void loadsNothing(String html) {
    assertThat(html).contains("content-security-policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"");
    assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("<img")
        .doesNotContain("src=").doesNotContain("href=").doesNotContain("url(").doesNotContain("@import")
        .doesNotContain("@font-face");
    // The only URL is the SVG namespace name, which is never fetched.
    Matcher m = Pattern.compile("https?://[^\"' <]+").matcher(html);
    while (m.find()) {
      assertThat(m.group()).isEqualTo("http://www.w3.org/2000/svg");
    }
  }

  @Test
  void anEmptySummaryStillRenders() {
    String html = SummaryHtml.render(ReportSummary.of(java.util.List.of(), java.util.List.of(), null, null),
        SummaryFixtures.CLOCK);
    assertThat(html).contains("All reports: 0 reports").contains("No reports with a date in this period.")
        .endsWith("</html>\n");
  }

  @Test
  void escapeCoversTheFiveCharactersAndControls() {
    assertThat(SummaryHtml.esc("<a href=\"x\">'&'</a>\u0000")).isEqualTo(
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; ");
    assertThat(SummaryHtml.esc("plain")).isSameAs("plain");
  }

  static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
