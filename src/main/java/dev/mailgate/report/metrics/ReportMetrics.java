package dev.mailgate.report.metrics;

import dev.mailgate.report.ingest.ReceivedReport;
import dev.mailgate.report.ingest.ReportAuthentication;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The metrics of a received aggregate report (docs/REPORTING.md, "Metrics"): one EMF line per report with
 * {@code ReportedMessages}, {@code ReportedPass} and {@code ReportedFail} by {@code ReportingOrg} and by
 * {@code Domain}, and {@code SpoofingAttempts} (messages failing DMARC with one of our domains in From) by
 * {@code Domain} and in total. The failing sources (IP address, count, disposition) go into the line as
 * a plain property, {@code spoofingSources}, for CloudWatch Logs Insights: as a dimension each address
 * would be a custom metric billed monthly.
 *
 * <p>Reports are attacker-controlled, so dimension values are bounded: {@code Domain} is one of our
 * configured domains or "other", and {@code ReportingOrg} is one of the {@link #KNOWN_ORGS} or "other"
 * (the exact org_name is in the plain property {@code orgName}). Otherwise anyone could create custom
 * metrics at will by mailing us reports with made-up names.
 *
 * <p>Only reports whose mail was authenticated ({@link ReportAuthentication#counted()}: authenticated, or
 * stored before that was checked) count in {@code ReportedMessages}, {@code ReportedPass}, {@code
 * ReportedFail} and {@code SpoofingAttempts}; anyone can mail us a report, and one whose mail does not
 * authenticate must neither raise a spoofing alarm nor hide real failures. (A stranger whose own domain
 * passes DMARC can still send a made-up report: docs/REPORTING.md, "Known gaps".) Any other report counts 1 in {@code
 * ReportsUnauthenticated} (by {@code Domain} and in total) and 0 in the others, and its line says why in
 * plain properties ({@code authentication}, {@code authenticationReason}, {@code authenticationFrom},
 * {@code claimedMessages}). Thread-safe.
 */
public final class ReportMetrics {
  public static final String REPORTING_ORG = "ReportingOrg";
  public static final String DOMAIN = "Domain";
  public static final String REPORTED_MESSAGES = "ReportedMessages";
  public static final String REPORTED_PASS = "ReportedPass";
  public static final String REPORTED_FAIL = "ReportedFail";
  public static final String SPOOFING_ATTEMPTS = "SpoofingAttempts";
  public static final String REPORTS_UNAUTHENTICATED = "ReportsUnauthenticated";

  /** The most sources listed in {@code spoofingSources} (the largest counts first): a log event's size. */
  public static final int MAX_SOURCES = 50;

  /**
   * org_name values of the large reporters, lower case, as the dimension value they get. Everything else
   * is counted as "other".
   */
  public static final Map<String, String> KNOWN_ORGS = Map.of(
      "google.com", "google.com",
      "yahoo", "Yahoo",
      "enterprise outlook", "Enterprise Outlook",
      "outlook.com", "Outlook.com",
      "mail.ru", "Mail.Ru",
      "yandex", "Yandex",
      "comcast", "Comcast",
      "amazon ses", "Amazon SES",
      "fastmail pty ltd", "Fastmail",
      "zoho", "Zoho");

  private static final List<Emf.Directive> DIRECTIVES = List.of(
      new Emf.Directive(List.of(List.of(REPORTING_ORG)), List.of(new Emf.Metric(REPORTED_MESSAGES, Emf.COUNT),
          new Emf.Metric(REPORTED_PASS, Emf.COUNT), new Emf.Metric(REPORTED_FAIL, Emf.COUNT))),
      new Emf.Directive(List.of(List.of(DOMAIN)), List.of(new Emf.Metric(REPORTED_MESSAGES, Emf.COUNT),
          new Emf.Metric(REPORTED_PASS, Emf.COUNT), new Emf.Metric(REPORTED_FAIL, Emf.COUNT),
          new Emf.Metric(SPOOFING_ATTEMPTS, Emf.COUNT), new Emf.Metric(REPORTS_UNAUTHENTICATED, Emf.COUNT))),
      new Emf.Directive(List.of(List.of()), List.of(new Emf.Metric(SPOOFING_ATTEMPTS, Emf.COUNT),
          new Emf.Metric(REPORTS_UNAUTHENTICATED, Emf.COUNT))));

  private final List<String> ourDomains;

  /** @param ourDomains our domains, lower case (the configuration's {@code domains}) */
  public ReportMetrics(Collection<String> ourDomains) {
    this.ourDomains = List.copyOf(ourDomains);
  }

  /** The EMF line for a report of unknown authentication (counted, as before it was checked). */
  public Map<String, Object> line(ReceivedReport r, long timestampMillis) {
    return line(r, ReportAuthentication.UNKNOWN, timestampMillis);
  }

  /** The EMF line for a report whose mail's authentication is {@code auth}, as a map for the JSON writer. */
  public Map<String, Object> line(ReceivedReport r, ReportAuthentication auth, long timestampMillis) {
    boolean counted = auth.counted();
    long pass = 0;
    long fail = 0;
    long spoofing = 0;
    Map<String, long[]> sources = new LinkedHashMap<>();
    Map<String, String> dispositions = new LinkedHashMap<>();
    for (ReceivedReport.Record rec : r.records()) {
      if (rec.dmarcPass()) {
        pass = add(pass, rec.count());
        continue;
      }
      fail = add(fail, rec.count());
      String from = rec.headerFrom() != null ? rec.headerFrom() : r.policy().domain();
      if (ours(from) != null) {
        spoofing = add(spoofing, rec.count());
        String ip = rec.sourceIp() == null ? "unknown" : rec.sourceIp();
        long[] n = sources.computeIfAbsent(ip, k -> new long[1]);
        n[0] = add(n[0], rec.count());
        dispositions.putIfAbsent(ip, rec.disposition());
      }
    }
    String domain = ours(r.policy().domain());
    long claimed = add(pass, fail);
    if (!counted) {
      // What a report whose mail was not authenticated claims is kept out of every count.
      pass = 0;
      fail = 0;
      spoofing = 0;
      sources.clear();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("level", spoofing > 0 || !counted ? "WARN" : "INFO");
    m.put("event", "dmarc-report");
    m.put("orgName", r.metadata().orgName());
    m.put("reportId", r.metadata().reportId());
    if (r.policy().domain() != null) {
      m.put("policyDomain", r.policy().domain());
    }
    if (r.metadata().begin() != null) {
      m.put("begin", r.metadata().begin().toString());
    }
    if (r.metadata().end() != null) {
      m.put("end", r.metadata().end().toString());
    }
    m.put(REPORTING_ORG, reportingOrg(r.metadata().orgName()));
    m.put(DOMAIN, domain == null ? "other" : domain);
    m.put(REPORTED_MESSAGES, add(pass, fail));
    m.put(REPORTED_PASS, pass);
    m.put(REPORTED_FAIL, fail);
    m.put(SPOOFING_ATTEMPTS, spoofing);
    m.put(REPORTS_UNAUTHENTICATED, counted ? 0 : 1);
    m.put("authentication", auth.result().word());
    if (!counted) {
      m.put("authenticationReason", auth.reason());
      if (auth.from() != null) {
        m.put("authenticationFrom", auth.from());
      }
      m.put("claimedMessages", claimed);
    }
    List<Map.Entry<String, long[]>> top = new ArrayList<>(sources.entrySet());
    top.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0]).reversed());
    List<Object> list = new ArrayList<>();
    for (Map.Entry<String, long[]> e : top.subList(0, Math.min(MAX_SOURCES, top.size()))) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("ip", e.getKey());
      s.put("count", e.getValue()[0]);
      if (dispositions.get(e.getKey()) != null) {
        s.put("disposition", dispositions.get(e.getKey()));
      }
      list.add(s);
    }
    m.put("spoofingSources", list);
    if (top.size() > MAX_SOURCES) {
      m.put("spoofingSourcesOmitted", top.size() - MAX_SOURCES);
    }
    return Emf.addMetadata(m, timestampMillis, DIRECTIVES);
  }

  /** The reporting org as a dimension value: a known reporter's name, or "other". */
  public static String reportingOrg(String orgName) {
    String known = orgName == null ? null : KNOWN_ORGS.get(orgName.strip().toLowerCase(Locale.ROOT));
    return known == null ? "other" : known;
  }

  /** The configured domain {@code domain} is, or is a subdomain of; null when none. */
  String ours(String domain) {
    if (domain == null) {
      return null;
    }
    String d = domain.toLowerCase(Locale.ROOT);
    for (String o : ourDomains) {
      if (d.equals(o) || d.endsWith("." + o)) {
        return o;
      }
    }
    return null;
  }

  private static long add(long a, long b) {
    return b > Long.MAX_VALUE - a ? Long.MAX_VALUE : a + b;
  }
}
