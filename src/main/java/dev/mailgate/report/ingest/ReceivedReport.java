package dev.mailgate.report.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A received DMARC aggregate report, normalised from either schema (RFC 9990 Appendix A or RFC 7489
 * Appendix C): words lower-cased, whitespace trimmed, absent optional elements null. Immutable.
 *
 * @param schema which schema the XML followed: {@code rfc9990} (namespace urn:ietf:params:xml:ns:dmarc-2.0,
 *     or version 2.0 without a namespace) or {@code rfc7489} (namespace http://dmarc.org/dmarc-xml/0.1, or none)
 * @param version the {@code <version>} element, or null
 * @param metadata who reported, the report's ID and period
 * @param policy the DMARC policy the reporter found published
 * @param records the rows, in document order
 * @param warnings what was odd but tolerated (a begin after its end, an unknown result word, ...)
 */
public record ReceivedReport(
    String schema, String version, Metadata metadata, PolicyPublished policy, List<Record> records,
    List<String> warnings) {

  public static final String RFC9990 = "rfc9990";
  public static final String RFC7489 = "rfc7489";

  public ReceivedReport {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(policy, "policy");
    records = List.copyOf(records);
    warnings = List.copyOf(warnings);
  }

  /** The sum of the rows' message counts (saturating at Long.MAX_VALUE). */
  public long messageCount() {
    long n = 0;
    for (Record r : records) {
      n = r.count() > Long.MAX_VALUE - n ? Long.MAX_VALUE : n + r.count();
    }
    return n;
  }

  /**
   * {@code <report_metadata>}.
   *
   * @param orgName {@code org_name}; "unknown" when absent
   * @param email {@code email}, or null
   * @param extraContactInfo {@code extra_contact_info}, or null
   * @param reportId {@code report_id}; when absent, "sha256-" and the first 16 hex digits of the XML's hash
   * @param begin {@code date_range/begin}, or null
   * @param end {@code date_range/end}, or null
   * @param errors {@code error} elements
   * @param generator {@code generator} (RFC 9990), or null
   */
  public record Metadata(
      String orgName, String email, String extraContactInfo, String reportId, Instant begin, Instant end,
      List<String> errors, String generator) {
    public Metadata {
      Objects.requireNonNull(orgName, "orgName");
      Objects.requireNonNull(reportId, "reportId");
      errors = List.copyOf(errors);
    }
  }

  /**
   * {@code <policy_published>}: the record the reporter evaluated. Values as written (lower-cased).
   *
   * @param domain {@code domain}, lower case, or null when absent
   * @param p {@code p}
   * @param sp {@code sp}
   * @param np {@code np} (RFC 9990)
   * @param adkim {@code adkim}
   * @param aspf {@code aspf}
   * @param pct {@code pct} (RFC 7489)
   * @param fo {@code fo}
   * @param testing {@code testing} (RFC 9990: y or n)
   * @param discoveryMethod {@code discovery_method} (RFC 9990: psl or treewalk)
   */
  public record PolicyPublished(
      String domain, String p, String sp, String np, String adkim, String aspf, String pct, String fo,
      String testing, String discoveryMethod) {}

  /**
   * One {@code <record>}: a row of messages from one source with the same results.
   *
   * @param sourceIp {@code row/source_ip} as written (IPv4 or IPv6 text), or null when absent
   * @param sourceName a host name for the source (a reverse DNS name) when one was recorded, else null
   * @param count {@code row/count}, 0 to Long.MAX_VALUE
   * @param disposition {@code policy_evaluated/disposition}: none, pass, quarantine, reject, or null
   * @param dkim {@code policy_evaluated/dkim}: the DMARC-aligned DKIM result, pass or fail, or null
   * @param spf {@code policy_evaluated/spf}: the DMARC-aligned SPF result, pass or fail, or null
   * @param reasons {@code policy_evaluated/reason}: override reasons
   * @param headerFrom {@code identifiers/header_from}, lower case, or null
   * @param envelopeFrom {@code identifiers/envelope_from}, or null
   * @param envelopeTo {@code identifiers/envelope_to}, or null
   * @param dkimResults {@code auth_results/dkim}
   * @param spfResults {@code auth_results/spf}
   */
  public record Record(
      String sourceIp, String sourceName, long count, String disposition, String dkim, String spf,
      List<Reason> reasons, String headerFrom, String envelopeFrom, String envelopeTo, List<DkimAuth> dkimResults,
      List<SpfAuth> spfResults) {
    public Record {
      reasons = List.copyOf(reasons);
      dkimResults = List.copyOf(dkimResults);
      spfResults = List.copyOf(spfResults);
    }

    /**
     * Whether these messages passed DMARC: RFC 7489 section 3.1 / RFC 9989 section 4.2, a message passes when
     * an aligned DKIM or SPF result passed, which is what {@code policy_evaluated} reports.
     */
    public boolean dmarcPass() {
      return "pass".equals(dkim) || "pass".equals(spf);
    }

    /** A copy with a source name (reverse DNS) recorded. */
    public Record withSourceName(String name) {
      return new Record(sourceIp, name, count, disposition, dkim, spf, reasons, headerFrom, envelopeFrom,
          envelopeTo, dkimResults, spfResults);
    }
  }

  /** {@code policy_evaluated/reason}: {@code type} (forwarded, local_policy, ...) and {@code comment}. */
  public record Reason(String type, String comment) {}

  /** {@code auth_results/dkim}: a DKIM signature's result (RFC 8601 words), with {@code human_result}. */
  public record DkimAuth(String domain, String selector, String result, String humanResult) {}

  /** {@code auth_results/spf}: an SPF result; {@code scope} is mfrom or helo (absent in RFC 9990). */
  public record SpfAuth(String domain, String scope, String result, String humanResult) {}
}
