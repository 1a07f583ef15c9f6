package dev.mailgate.report.ingest;

import dev.mailgate.authres.AuthReport;
import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dkim.DkimResult;
import dev.mailgate.dmarc.DmarcResult;
import dev.mailgate.dmarc.PublicSuffixList;
import dev.mailgate.policy.AuthSummary;
import dev.mailgate.spf.SpfResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Whether the mail that brought a received report was authenticated (docs/REPORTING.md, "Reports in"),
 * stored with the report as its {@code authentication} member. RFC 9990 section 3.5.2: "Mail streams
 * carrying DMARC feedback data MUST conform to the DMARC mechanism, thereby resulting in an aligned
 * 'pass'. This practice minimizes the risk of Report Consumers processing fraudulent reports." A report
 * whose mail did not is kept and marked, and neither the metrics nor the summary's totals count it.
 * Immutable.
 *
 * @param result the verdict (see {@link Result})
 * @param from the report mail's RFC5322.From domain (the DMARC Author Domain), or null when unknown
 * @param dmarc the report mail's DMARC result word, or null when not checked
 * @param dkim the d= domains of the report mail's passing DKIM signatures, lower case, at most
 *     {@link #MAX_DKIM}
 * @param spf the domain SPF passed for (MAIL FROM, or HELO for the null reverse-path), or null when
 *     SPF did not pass
 * @param reason why, in a few words, for the summary and logs
 */
public record ReportAuthentication(
    Result result, String from, String dmarc, List<String> dkim, String spf, String reason) {

  /** The most DKIM domains kept (a message may carry any number of signatures). */
  public static final int MAX_DKIM = 8;

  /** The verdict on a report's mail. */
  public enum Result {
    /** DMARC passed, or the From domain has no usable DMARC record and aligned SPF or DKIM passed. */
    PASS("pass"),
    /** DMARC failed, or the message had no usable From domain. */
    FAIL("fail"),
    /** The From domain publishes no usable DMARC record and no aligned SPF or DKIM result passed. */
    NONE("none"),
    /** A temporary DNS failure kept authentication from a result (after the gateway's retries). */
    TEMPERROR("temperror"),
    /** Read from a file (`mailgate report ingest`): there was no envelope to authenticate. */
    UNVERIFIED("unverified"),
    /** Read from a file that an operator vouched for (`mailgate report ingest --trusted`). */
    TRUSTED("trusted"),
    /** Stored before mailgate authenticated report mail, or read from a raw report file: not known. */
    UNKNOWN("unknown");

    private final String word;

    Result(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }

    /** The result for a word as stored; null for anything else (hostile or newer JSON). */
    public static Result fromWord(String word) {
      for (Result r : values()) {
        if (r.word.equals(word)) {
          return r;
        }
      }
      return null;
    }
  }

  /** A report whose authentication is not known: stored before this field existed, or a raw file. */
  public static final ReportAuthentication UNKNOWN = new ReportAuthentication(Result.UNKNOWN, null, null, List.of(),
      null, "not recorded (stored before report mail was authenticated, or read from a raw report file)");

  /** A report read from a file that an operator vouched for. */
  public static final ReportAuthentication TRUSTED = new ReportAuthentication(Result.TRUSTED, null, null, List.of(),
      null, "read from a file and trusted by the operator (--trusted)");

  /** A report read from a file: nothing to authenticate it with. */
  public static final ReportAuthentication UNVERIFIED = new ReportAuthentication(Result.UNVERIFIED, null, null,
      List.of(), null, "read from a file: no envelope or DNS check, not verified");

  public ReportAuthentication {
    java.util.Objects.requireNonNull(result, "result");
    dkim = dkim == null ? List.of() : List.copyOf(dkim.subList(0, Math.min(MAX_DKIM, dkim.size())));
    reason = reason == null ? "" : reason;
  }

  /** Whether the report counts as authenticated: its mail passed, or an operator vouched for its file. */
  public boolean authenticated() {
    return result == Result.PASS || result == Result.TRUSTED;
  }

  /**
   * Whether the report counts in totals and metrics by default: authenticated, or of unknown
   * authentication (reports stored before mailgate checked report mail count as they did).
   */
  public boolean counted() {
    return authenticated() || result == Result.UNKNOWN;
  }

  /**
   * The verdict on a report mail from the gateway's checks of it: pass when DMARC passed for its From
   * domain; when that domain publishes no usable DMARC record, pass when SPF or DKIM passed for a domain
   * whose Organizational Domain (Public Suffix List, relaxed alignment of RFC 9989 section 3.2.10) is the
   * From domain's. DMARC's own temperror, or an SPF/DKIM temperror for an aligned domain when nothing
   * else passed, is temperror. Everything else is fail (DMARC failed, no From domain) or none.
   *
   * @param report mailgate's own results for the report mail
   * @param summary the results the policy uses (mailgate's, or SES's where mailgate's could not run)
   */
  public static ReportAuthentication of(AuthReport report, AuthSummary summary) {
    return of(report, summary, PublicSuffixList::bundled);
  }

  static ReportAuthentication of(AuthReport report, AuthSummary summary, Supplier<PublicSuffixList> psl) {
    DmarcResult dm = report == null ? null : report.dmarc();
    String from = dm == null ? null : lower(dm.domain());
    AuthStatus dmarc = dm != null ? dm.status() : summary != null ? summary.dmarc() : AuthStatus.NONE;
    List<String> dkimPass = new ArrayList<>();
    List<String> dkimTemp = new ArrayList<>();
    if (report != null && report.dkim() != null) {
      for (DkimResult d : report.dkim()) {
        String domain = lower(d.domain());
        if (domain == null) {
          continue;
        }
        // RFC 6376 3.6.1: a key in testing mode authenticates nothing.
        List<String> into = d.isPass() && !d.testing() ? dkimPass : d.status() == AuthStatus.TEMPERROR ? dkimTemp : null;
        // Every passing domain is checked for alignment below (the verifier bounds how many there are);
        // the stored list keeps MAX_DKIM of them.
        if (into != null && !into.contains(domain)) {
          into.add(domain);
        }
      }
    }
    SpfResult spf = report == null ? null : report.spf();
    String spfDomain = spf == null ? null : lower(spf.domain());
    String spfPass = spf != null && spf.status() == AuthStatus.PASS ? spfDomain : null;
    String dmarcWord = dmarc.word();

    if (dmarc == AuthStatus.PASS) {
      return new ReportAuthentication(Result.PASS, from, dmarcWord, dkimPass, spfPass,
          "DMARC pass for " + from);
    }
    if (dmarc == AuthStatus.TEMPERROR) {
      return new ReportAuthentication(Result.TEMPERROR, from, dmarcWord, dkimPass, spfPass,
          "DMARC temperror for " + from + (dm == null ? "" : ": " + dm.reason()));
    }
    if (from == null) {
      return new ReportAuthentication(Result.FAIL, null, dmarcWord, dkimPass, spfPass,
          "no usable From domain" + (dm == null ? "" : ": " + dm.reason()));
    }
    if (dmarc == AuthStatus.FAIL) {
      return new ReportAuthentication(Result.FAIL, from, dmarcWord, dkimPass, spfPass,
          "DMARC fail for " + from + ": " + dm.reason());
    }
    // No usable DMARC record (none, or permerror for a broken record): aligned SPF or DKIM decides.
    String org = psl.get().organizationalDomain(from);
    for (String d : dkimPass) {
      if (aligned(d, org, psl)) {
        return new ReportAuthentication(Result.PASS, from, dmarcWord, dkimPass, spfPass,
            "no DMARC record for " + from + "; DKIM pass for aligned " + d);
      }
    }
    if (spfPass != null && aligned(spfPass, org, psl)) {
      return new ReportAuthentication(Result.PASS, from, dmarcWord, dkimPass, spfPass,
          "no DMARC record for " + from + "; SPF pass for aligned " + spfPass);
    }
    boolean spfTemp = spf != null && spf.status() == AuthStatus.TEMPERROR && spfDomain != null
        && aligned(spfDomain, org, psl);
    boolean dkimTempAligned = dkimTemp.stream().anyMatch(d -> aligned(d, org, psl));
    if (spfTemp || dkimTempAligned) {
      return new ReportAuthentication(Result.TEMPERROR, from, dmarcWord, dkimPass, spfPass,
          "no DMARC record for " + from + "; " + (spfTemp ? "SPF" : "DKIM") + " temperror for an aligned domain");
    }
    return new ReportAuthentication(Result.NONE, from, dmarcWord, dkimPass, spfPass,
        "no DMARC record for " + from + " and no aligned SPF or DKIM pass");
  }

  private static boolean aligned(String id, String fromOrg, Supplier<PublicSuffixList> psl) {
    return fromOrg != null && fromOrg.equals(psl.get().organizationalDomain(id));
  }

  private static String lower(String d) {
    if (d == null || d.isBlank()) {
      return null;
    }
    String s = d.strip().toLowerCase(Locale.ROOT);
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** The JSON member ({@code "authentication"}); absent values left out. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("result", result.word());
    if (from != null) {
      m.put("from", from);
    }
    if (dmarc != null) {
      m.put("dmarc", dmarc);
    }
    m.put("dkim", dkim);
    if (spf != null) {
      m.put("spf", spf);
    }
    if (!reason.isEmpty()) {
      m.put("reason", reason);
    }
    return m;
  }

  /**
   * The verdict read back from JSON: {@link #UNKNOWN} when absent (stored before this member existed).
   * A member this version cannot read (no object, a result word it does not know) is unverified, so that
   * nothing unreadable counts as authenticated.
   */
  public static ReportAuthentication fromMap(Object v) {
    if (v == null) {
      return UNKNOWN;
    }
    Result r = v instanceof Map<?, ?> mm ? Result.fromWord(str(mm.get("result"))) : null;
    if (r == null || r == Result.UNKNOWN) {
      return new ReportAuthentication(Result.UNVERIFIED, null, null, List.of(), null,
          "unreadable authentication member: not verified");
    }
    Map<?, ?> m = (Map<?, ?>) v;
    List<String> dkim = new ArrayList<>();
    if (m.get("dkim") instanceof List<?> l) {
      for (Object o : l) {
        if (o != null && dkim.size() < MAX_DKIM) {
          dkim.add(String.valueOf(o));
        }
      }
    }
    return new ReportAuthentication(r, str(m.get("from")), str(m.get("dmarc")), dkim, str(m.get("spf")),
        str(m.get("reason")));
  }

  private static String str(Object o) {
    return o == null ? null : String.valueOf(o);
  }
}
