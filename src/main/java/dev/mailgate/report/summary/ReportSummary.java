package dev.mailgate.report.summary;

import dev.mailgate.report.ingest.ReceivedReport;
import dev.mailgate.report.ingest.ReportAuthentication;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Received aggregate reports added up for people (docs/REPORTING.md, "Summary"): totals, messages per day,
 * pass and fail per sending source, the policy each domain published, the reporters, and the files that
 * could not be read. A report is counted once even when it was found twice (a raw file beside its
 * normalised JSON: same org and report ID); of several with one org and ID, an authenticated one counts.
 *
 * <p>Reports whose mail was not authenticated ({@link ReportAuthentication#counted()} false) are left out
 * of every count and chart and listed in {@code unauthenticated} instead, unless {@code
 * includesUnauthenticated}: then they count too (and are still listed). Reports of unknown authentication
 * (stored before mailgate checked report mail, or raw report files) count as they always did; {@code
 * unknownAuthentication} says how many. Immutable.
 *
 * @param from the first day counted (a report counts on the day its period begins, UTC), or null
 * @param to the last day counted, or null
 * @param reports how many reports were counted
 * @param messages all messages reported
 * @param pass messages that passed DMARC
 * @param fail messages that failed DMARC
 * @param days messages per day, in order
 * @param sources the sending sources, most messages first
 * @param policies the latest published policy per domain, by domain
 * @param orgs the reporting organisations, most messages first
 * @param problems files that were not read, and why
 * @param unauthenticated the reports in the period whose mail was not authenticated, in the order found
 * @param unknownAuthentication how many of the counted reports were of unknown authentication
 * @param includesUnauthenticated whether {@code unauthenticated} reports are counted too
 */
public record ReportSummary(
    LocalDate from, LocalDate to, int reports, long messages, long pass, long fail, List<Day> days,
    List<Source> sources, List<DomainPolicy> policies, List<Org> orgs, List<Problem> problems,
    List<Unauthenticated> unauthenticated, int unknownAuthentication, boolean includesUnauthenticated) {

  /** A report with the verdict on the mail that brought it. */
  public record Entry(ReceivedReport report, ReportAuthentication authentication) {
    public Entry {
      java.util.Objects.requireNonNull(report, "report");
      authentication = authentication == null ? ReportAuthentication.UNKNOWN : authentication;
    }
  }

  /**
   * A report whose mail was not authenticated: who it claims to come from and be about, and why.
   *
   * @param orgName the org_name it claims
   * @param reportId its report_id
   * @param domain the policy domain it is about, or null
   * @param messages the messages it claims to report
   * @param authentication the verdict on its mail
   */
  public record Unauthenticated(String orgName, String reportId, String domain, long messages,
      ReportAuthentication authentication) {}

  /** Messages that passed and failed DMARC on one day. */
  public record Day(LocalDate day, long pass, long fail) {
    public long total() {
      return add(pass, fail);
    }
  }

  /**
   * One sending source (an IP address) over all reports.
   *
   * @param ip the address, or "unknown"
   * @param name its host name when a report recorded one, else null
   * @param orgs the organisations that reported it, in name order
   * @param domains the header From domains it sent as, in name order
   */
  public record Source(String ip, String name, Set<String> orgs, Set<String> domains, long pass, long fail) {
    public long total() {
      return add(pass, fail);
    }
  }

  /** The policy a domain published, as the latest report (by period end) found it. */
  public record DomainPolicy(String domain, ReceivedReport.PolicyPublished policy, String reportedBy, Instant asOf) {}

  /** A reporting organisation: how many reports and messages. */
  public record Org(String name, int reports, long messages) {}

  /** A file that was not read. */
  public record Problem(String source, String reason) {}

  /**
   * Adds up {@code reports} of unknown authentication from {@code from} to {@code to} (both inclusive; null
   * for open).
   */
  public static ReportSummary of(List<ReceivedReport> reports, List<Problem> problems, LocalDate from, LocalDate to) {
    List<Entry> entries = new ArrayList<>();
    for (ReceivedReport r : reports) {
      entries.add(new Entry(r, ReportAuthentication.UNKNOWN));
    }
    return ofEntries(entries, problems, from, to, false);
  }

  /**
   * Adds up the reports from {@code from} to {@code to} (both inclusive; null for open): those whose mail
   * was authenticated or whose authentication is unknown, and the others too when {@code
   * includeUnauthenticated}.
   */
  public static ReportSummary ofEntries(List<Entry> entries, List<Problem> problems, LocalDate from, LocalDate to,
      boolean includeUnauthenticated) {
    List<Entry> inPeriod = new ArrayList<>();
    Map<String, Integer> best = new java.util.HashMap<>();
    for (Entry e : entries) {
      ReceivedReport r = e.report();
      Instant when = r.metadata().begin() != null ? r.metadata().begin() : r.metadata().end();
      LocalDate day = when == null ? null : LocalDate.ofInstant(when, ZoneOffset.UTC);
      if (day != null && (from != null && day.isBefore(from) || to != null && day.isAfter(to))) {
        continue;
      }
      inPeriod.add(e);
      if (includeUnauthenticated || e.authentication().counted()) {
        best.merge(key(r), rank(e.authentication()), Math::min);
      }
    }
    List<Unauthenticated> unauthenticated = new ArrayList<>();
    int unknown = 0;
    Set<String> seen = new HashSet<>();
    Map<LocalDate, long[]> days = new TreeMap<>();
    Map<String, SourceAcc> sources = new LinkedHashMap<>();
    Map<String, DomainPolicy> policies = new TreeMap<>();
    Map<String, long[]> orgs = new LinkedHashMap<>();
    int count = 0;
    long pass = 0;
    long fail = 0;
    Map<String, Set<String>> senders = new LinkedHashMap<>();
    for (Entry e : inPeriod) {
      ReceivedReport r = e.report();
      ReportAuthentication auth = e.authentication();
      if (!auth.counted()) {
        unauthenticated.add(new Unauthenticated(r.metadata().orgName(), r.metadata().reportId(), r.policy().domain(),
            r.messageCount(), auth));
        if (!includeUnauthenticated) {
          continue;
        }
      }
      // One report per org and ID: the first of the best-authenticated copies. Authenticated copies
      // are told apart by the domain their mail came from: a stranger whose own domain passes DMARC can
      // claim another reporter's org and ID, and must not thereby hide the real report (it counts beside
      // it, and the conflict is listed as a problem).
      int rank = rank(auth);
      // A trusted file has no sending domain: the operator who vouched for it is its sender.
      String sender = auth.from() != null ? auth.from() : "(" + auth.result().word() + " file)";
      if (rank != best.get(key(r)) || !seen.add(rank == 0 ? key(r) + "\u0000" + sender : key(r))) {
        continue;
      }
      if (rank == 0) {
        senders.computeIfAbsent(key(r), k -> new java.util.TreeSet<>()).add(sender);
      }
      Instant when = r.metadata().begin() != null ? r.metadata().begin() : r.metadata().end();
      LocalDate day = when == null ? null : LocalDate.ofInstant(when, ZoneOffset.UTC);
      count++;
      if (auth.result() == ReportAuthentication.Result.UNKNOWN) {
        unknown++;
      }
      long[] org = orgs.computeIfAbsent(r.metadata().orgName(), k -> new long[2]);
      org[0]++;
      for (ReceivedReport.Record rec : r.records()) {
        boolean ok = rec.dmarcPass();
        if (ok) {
          pass = add(pass, rec.count());
        } else {
          fail = add(fail, rec.count());
        }
        org[1] = add(org[1], rec.count());
        if (day != null) {
          long[] d = days.computeIfAbsent(day, k -> new long[2]);
          d[ok ? 0 : 1] = add(d[ok ? 0 : 1], rec.count());
        }
        String ip = rec.sourceIp() == null ? "unknown" : rec.sourceIp();
        SourceAcc s = sources.computeIfAbsent(ip, SourceAcc::new);
        if (s.name == null) {
          s.name = rec.sourceName();
        }
        s.orgs.add(r.metadata().orgName());
        String from2 = rec.headerFrom() != null ? rec.headerFrom() : r.policy().domain();
        if (from2 != null) {
          s.domains.add(from2);
        }
        if (ok) {
          s.pass = add(s.pass, rec.count());
        } else {
          s.fail = add(s.fail, rec.count());
        }
      }
      String domain = r.policy().domain();
      if (domain != null) {
        DomainPolicy old = policies.get(domain);
        Instant asOf = r.metadata().end() != null ? r.metadata().end() : r.metadata().begin();
        if (old == null || asOf != null && (old.asOf() == null || asOf.isAfter(old.asOf()))) {
          policies.put(domain, new DomainPolicy(domain, r.policy(), r.metadata().orgName(), asOf));
        }
      }
    }
    List<Problem> allProblems = new ArrayList<>(problems);
    senders.forEach((k, domains) -> {
      if (domains.size() > 1) {
        int cut = k.indexOf('\u0000');
        allProblems.add(new Problem(k.substring(0, cut) + " report " + k.substring(cut + 1),
            "different copies came from " + domains.size() + " sending domains (" + String.join(", ", domains)
                + "), each authenticated for its own domain and each counted: a reporter sends from one, so"
                + " at least one copy is not the reporter's"));
      }
    });
    List<Day> dayList = new ArrayList<>();
    days.forEach((d, n) -> dayList.add(new Day(d, n[0], n[1])));
    List<Source> sourceList = new ArrayList<>();
    for (SourceAcc s : sources.values()) {
      // Sorted sets, so pages and tests list names in the same order every time.
      sourceList.add(new Source(s.ip, s.name, java.util.Collections.unmodifiableSortedSet(s.orgs),
          java.util.Collections.unmodifiableSortedSet(s.domains), s.pass, s.fail));
    }
    sourceList.sort(Comparator.comparingLong(Source::total).reversed().thenComparing(Source::ip));
    List<Org> orgList = new ArrayList<>();
    orgs.forEach((name, n) -> orgList.add(new Org(name, (int) n[0], n[1])));
    orgList.sort(Comparator.comparingLong(Org::messages).reversed().thenComparing(Org::name));
    return new ReportSummary(from, to, count, add(pass, fail), pass, fail, dayList, sourceList,
        new ArrayList<>(policies.values()), orgList, allProblems, unauthenticated, unknown, includeUnauthenticated);
  }

  private static String key(ReceivedReport r) {
    return r.metadata().orgName() + "\u0000" + r.metadata().reportId();
  }

  /** Which copy of a report counts: authenticated before unknown before the rest. */
  private static int rank(ReportAuthentication a) {
    return a.authenticated() ? 0 : a.counted() ? 1 : 2;
  }

  public ReportSummary {
    unauthenticated = List.copyOf(unauthenticated);
    days = List.copyOf(days);
    sources = List.copyOf(sources);
    policies = List.copyOf(policies);
    orgs = List.copyOf(orgs);
    problems = List.copyOf(problems);
  }

  /** The sources with failing messages, most failures first. */
  public List<Source> failingSources() {
    List<Source> out = new ArrayList<>();
    for (Source s : sources) {
      if (s.fail() > 0) {
        out.add(s);
      }
    }
    out.sort(Comparator.comparingLong(Source::fail).reversed().thenComparing(Source::ip));
    return out;
  }

  private static final class SourceAcc {
    final String ip;
    String name;
    final java.util.SortedSet<String> orgs = new TreeSet<>();
    final java.util.SortedSet<String> domains = new TreeSet<>();
    long pass;
    long fail;

    SourceAcc(String ip) {
      this.ip = ip;
    }
  }

  static long add(long a, long b) {
    return b > Long.MAX_VALUE - a ? Long.MAX_VALUE : a + b;
  }
}
