package dev.mailgate.report.summary;

import dev.mailgate.report.ingest.ReceivedReport;
import dev.mailgate.report.ingest.ReportAuthentication;
import dev.mailgate.report.ingest.ReportJson;
import dev.mailgate.report.ingest.ReportParse;
import dev.mailgate.report.ingest.ReportReader;
import dev.mailgate.report.ingest.Samples;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Summaries of the synthetic samples, and a hostile report whose every text is markup. */
final class SummaryFixtures {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

  /** A report whose org name, report ID, domain, source name and addresses try to inject markup. */
  static final String HOSTILE = """
      <?xml version="1.0" encoding="UTF-8"?>
      <feedback>
        <report_metadata>
          <org_name>&lt;script&gt;alert(1)&lt;/script&gt;</org_name>
          <email>"&gt;&lt;img src=x onerror=alert(2)&gt;@evil.example</email>
          <report_id>&lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;</report_id>
          <date_range><begin>1790380800</begin><end>1790467199</end></date_range>
        </report_metadata>
        <policy_published>
          <domain>mailgate.example"&gt;&lt;svg onload=alert(4)&gt;</domain>
          <p>reject' onmouseover='alert(5)</p>
        </policy_published>
        <record>
          <row>
            <source_ip>198.51.100.99</source_ip>
            <count>9</count>
            <policy_evaluated><disposition>reject</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated>
          </row>
          <identifiers><header_from>&lt;/td&gt;&lt;script&gt;alert(6)&lt;/script&gt;</header_from></identifiers>
        </record>
      </feedback>
      """;

  static StoredReports samples(boolean withHostile) {
    StoredReports s = new StoredReports(new ReportReader());
    for (String name : new String[] {"google-like.xml", "microsoft-like.xml", "yahoo-like.xml"}) {
      s.add(name, Samples.bytes(name));
    }
    if (withHostile) {
      s.add("hostile.xml", HOSTILE.getBytes(StandardCharsets.UTF_8));
      s.add("<b>broken</b>.xml", "<feedback><oops></feedback>".getBytes(StandardCharsets.UTF_8));
    }
    return s;
  }

  /**
   * The samples (raw files: unknown authentication) and the hostile report as the gateway stores one
   * whose mail failed DMARC, with markup in the verdict's From domain and reason too.
   */
  static StoredReports samplesWithAForgedReport() {
    StoredReports s = samples(false);
    ReceivedReport hostile = ((ReportParse.Parsed) new ReportReader().read("hostile.xml",
        HOSTILE.getBytes(StandardCharsets.UTF_8)).get(0)).report();
    ReportAuthentication forged = new ReportAuthentication(ReportAuthentication.Result.FAIL,
        "evil.example\"><img onerror=alert(7)>", "fail", java.util.List.of(), null,
        "DMARC fail for <script>alert(8)</script>");
    s.add("reports/dt=2026-09-26/forged.json", ReportJson.toJson(hostile, "m/hostile.xml",
        Instant.parse("2026-09-27T00:00:00Z"), forged));
    return s;
  }

  static ReportSummary summary(StoredReports s, LocalDate from, LocalDate to) {
    return ReportSummary.of(s.reports(), s.problems(), from, to);
  }

  static String html(boolean withHostile) {
    return SummaryHtml.render(summary(samples(withHostile), null, null), CLOCK);
  }

  private SummaryFixtures() {}
}
