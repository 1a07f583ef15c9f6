package dev.mailgate.report;

import dev.mailgate.dmarc.PublicSuffixList;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Groups a period's message records into one {@link AggregateReport} per DMARC Policy Domain that asked
 * for reports (rua). Records are added one at a time and only the groups are kept, so a day of records
 * is streamed: memory grows with the number of distinct rows, not of messages. Repeated strings (IPs,
 * domains, selectors) are shared. Not thread-safe.
 *
 * <p>A record is counted when DMARC found a usable policy record with at least one rua URI, the source
 * IP is known, and the message was evaluated (not {@code missing}: its object was gone). A message whose
 * delivery is still being retried ({@code retry}) has its final verdict and counts as any other. One
 * whose evaluation met a temporary error and waits for another attempt ({@code deferred}) counts as it
 * stands when the report runs: nothing was applied yet (disposition none), with an {@code other}
 * override reason saying so when the policy asked for quarantine or reject. Leaving either out would lose it for good: its final record replaces this
 * one under the same key in the same day's partition, after that day's report went out.
 */
public final class ReportAggregator {
  /** RFC 9990 section 3.1.3: "no more than 100 signatures for a given row". */
  static final int MAX_DKIM_PER_ROW = 100;

  /** Processing stopped before anything was evaluated. */
  private static final Set<String> NOT_EVALUATED = Set.of("missing");
  /** RFC 9990 3.1.1.9 override reason for a message evaluated again later. */
  static final MessageRecord.Reason DEFERRED = new MessageRecord.Reason("other",
      "evaluation deferred by a temporary error, not finished when this report was made");

  private final PublicSuffixList psl;
  private final Map<String, Domain> domains = new HashMap<>();
  private final Map<Object, Object> shared = new HashMap<>();
  private long added;
  private long counted;
  private long malformed;

  public ReportAggregator(PublicSuffixList psl) {
    this.psl = psl;
  }

  private static final class Domain {
    Instant latest;
    MessageRecord.Dmarc policy;
    final Map<AggregateReport.RowKey, long[]> rows = new HashMap<>();
  }

  /** Reads one JSON line; a line that is no record is counted as malformed and skipped. */
  public void addLine(String line) {
    MessageRecord r;
    try {
      r = MessageRecord.fromJson(line);
    } catch (IllegalArgumentException e) {
      malformed++;
      return;
    }
    add(r);
  }

  /** Counts one record (when it is reportable, see the class comment). */
  public void add(MessageRecord r) {
    added++;
    MessageRecord.Dmarc d = r.dmarc();
    if (d == null || d.domain() == null || d.p() == null || d.rua().isEmpty() || r.sourceIp() == null
        || r.headerFrom() == null || (r.state() != null && NOT_EVALUATED.contains(r.state()))) {
      return;
    }
    counted++;
    String policyDomain = share(d.domain());
    Domain dom = domains.computeIfAbsent(policyDomain, k -> new Domain());
    if (dom.latest == null || !r.received().isBefore(dom.latest)) {
      dom.latest = r.received();
      dom.policy = d;
    }
    String disposition = d.disposition() == null ? "none" : d.disposition();
    List<MessageRecord.Reason> reasons = d.overrides();
    // The gateway's DMARC defaults (dmarcReject, dmarcQuarantine) may do something else than the policy asks,
    // e.g. quarantine instead of reject: report what was done, with the reason (RFC 9990 3.1.1.9 MUST).
    String applied = appliedByGateway(r);
    if ("deferred".equals(r.state())) {
      // Nothing applied yet. The reason says so only where that overrides what the policy asked
      // (RFC 9990 3.1.6: a reason explains a disposition other than the policy's).
      if (!"none".equals(disposition)) {
        reasons = new java.util.ArrayList<>(reasons);
        reasons.add(DEFERRED);
      }
      disposition = "none";
    } else if (applied != null && !applied.equals(disposition)) {
      disposition = applied;
      reasons = new java.util.ArrayList<>(reasons);
      reasons.add(new MessageRecord.Reason("local_policy", "mailgate rule " + r.rule() + ": " + r.action()));
    }
    boolean passed = d.dkimAligned() || d.spfAligned();
    // RFC 9990 ActionDispositionType: "pass" = no action, passing DMARC with an enforcing policy.
    if ("none".equals(disposition) && passed && d.effectivePolicy() != null && !"none".equals(d.effectivePolicy())) {
      disposition = "pass";
    }
    AggregateReport.RowKey key = new AggregateReport.RowKey(share(r.sourceIp()), share(disposition), d.dkimAligned(),
        d.spfAligned(), sharedList(reasons), share(r.headerFrom()), share(r.mailFromDomain()),
        dkimInOrder(r.dkim(), r.headerFrom()), share(r.spfDomain()), share(r.spfScope()), share(r.spfResult()));
    long[] n = dom.rows.get(key);
    if (n == null) {
      dom.rows.put(key, new long[] {1});
    } else {
      n[0]++;
    }
  }

  /**
   * What the gateway did when its DMARC rule decided (rules dmarc-reject and dmarc-quarantine), as a
   * disposition: deliver is none, tag and quarantine are quarantine (delivered marked, or held), discard
   * and bounce are reject. Null when another rule decided (spam, virus, ...: not DMARC's doing).
   */
  static String appliedByGateway(MessageRecord r) {
    if (r.rule() == null || r.action() == null || !r.rule().startsWith("dmarc-")) {
      return null;
    }
    return switch (r.action()) {
      case "deliver" -> "none";
      case "tag", "quarantine" -> "quarantine";
      case "discard", "bounce" -> "reject";
      default -> null;
    };
  }

  /** RFC 9990 section 3.1.3: passing strictly aligned, passing relaxed aligned, other passing, the rest. */
  private List<MessageRecord.Dkim> dkimInOrder(List<MessageRecord.Dkim> sigs, String headerFrom) {
    if (sigs.isEmpty()) {
      return List.of();
    }
    List<MessageRecord.Dkim> usable = new ArrayList<>(sigs.size());
    for (MessageRecord.Dkim s : sigs) {
      if (s.domain() != null) { // the report's dkim element requires the d= domain
        usable.add(new MessageRecord.Dkim(share(s.result()), share(s.domain().toLowerCase(java.util.Locale.ROOT)),
            share(s.selector() == null ? "" : s.selector()), null));
      }
    }
    if (usable.size() > 1) {
      String org = psl.organizationalDomain(headerFrom);
      usable.sort(Comparator.comparingInt(s -> rank(s, headerFrom, org)));
    }
    if (usable.size() > MAX_DKIM_PER_ROW) {
      usable = usable.subList(0, MAX_DKIM_PER_ROW);
    }
    return sharedList(usable);
  }

  private int rank(MessageRecord.Dkim s, String headerFrom, String org) {
    if (!"pass".equals(s.result())) {
      return 3;
    }
    if (s.domain().equalsIgnoreCase(headerFrom)) {
      return 0;
    }
    return org != null && org.equalsIgnoreCase(psl.organizationalDomain(s.domain())) ? 1 : 2;
  }

  @SuppressWarnings("unchecked")
  private <T> T share(T v) {
    if (v == null) {
      return null;
    }
    Object s = shared.putIfAbsent(v, v);
    return s == null ? v : (T) s;
  }

  private <T> List<T> sharedList(List<T> list) {
    if (list.isEmpty()) {
      return List.of();
    }
    return share(List.copyOf(list));
  }

  /** The reports, one per policy domain in name order, rows biggest first. */
  public List<AggregateReport> reports() {
    List<AggregateReport> out = new ArrayList<>(domains.size());
    for (Map.Entry<String, Domain> e : new TreeMap<>(domains).entrySet()) {
      Domain d = e.getValue();
      List<AggregateReport.Row> rows = new ArrayList<>(d.rows.size());
      long total = 0;
      for (Map.Entry<AggregateReport.RowKey, long[]> r : d.rows.entrySet()) {
        rows.add(new AggregateReport.Row(r.getKey(), r.getValue()[0]));
        total += r.getValue()[0];
      }
      rows.sort(Comparator.comparingLong(AggregateReport.Row::count).reversed()
          .thenComparing(r -> r.key().sourceIp()));
      out.add(new AggregateReport(e.getKey(), d.policy, d.policy.errors(), rows, total));
    }
    return out;
  }

  /** Records added. */
  public long added() {
    return added;
  }

  /** Records that went into some report. */
  public long counted() {
    return counted;
  }

  /** Lines that were no record. */
  public long malformed() {
    return malformed;
  }
}
