package dev.mailgate.report;

import java.util.List;

/**
 * The content of one aggregate report (RFC 9990 section 3.1): one DMARC Policy Domain, the policy as last
 * observed in the period (section 3.1, "SHOULD note only the final configuration observed"), and one row
 * per distinct (source IP, policy evaluated, identifiers, auth results) with its message count. Immutable.
 *
 * @param policyDomain the DMARC Policy Domain
 * @param policy the policy record's part of the latest record of the period
 * @param errors problems found in that policy record (RFC 9990 section 3.1.5)
 * @param rows the rows, biggest count first
 * @param messages the number of messages over all rows
 */
public record AggregateReport(String policyDomain, MessageRecord.Dmarc policy, List<String> errors, List<Row> rows,
    long messages) {

  public AggregateReport {
    errors = List.copyOf(errors);
    rows = List.copyOf(rows);
  }

  /** The rua URIs the domain published (as the latest record saw them). */
  public List<String> rua() {
    return policy.rua();
  }

  /**
   * What is the same for all messages of one row: RFC 9990 "row", "identifiers" and "auth_results".
   *
   * @param sourceIp the connecting IP
   * @param disposition the RFC 9990 ActionDispositionType word: none, pass, quarantine, reject
   * @param dkimAligned policy_evaluated/dkim
   * @param spfAligned policy_evaluated/spf
   * @param reasons the policy override reasons
   * @param headerFrom the RFC 5322.From domain
   * @param envelopeFrom the RFC 5321.MailFrom domain ("" for the null reverse-path), or null when unknown
   * @param dkim the DKIM results in RFC 9990 section 3.1.3 order, at most 100 (algorithm left out)
   * @param spfDomain the domain SPF checked, or null when SPF was not run
   * @param spfScope mfrom or helo, or null
   * @param spfResult the SPF result word, or null
   */
  public record RowKey(String sourceIp, String disposition, boolean dkimAligned, boolean spfAligned,
      List<MessageRecord.Reason> reasons, String headerFrom, String envelopeFrom, List<MessageRecord.Dkim> dkim,
      String spfDomain, String spfScope, String spfResult) {}

  /** A row and how many messages it stands for. */
  public record Row(RowKey key, long count) {}
}
