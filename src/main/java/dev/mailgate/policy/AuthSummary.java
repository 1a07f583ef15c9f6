package dev.mailgate.policy;

import dev.mailgate.authres.AuthReport;
import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dkim.DkimResult;
import dev.mailgate.dmarc.Disposition;
import dev.mailgate.dmarc.DmarcResult;
import dev.mailgate.spf.SpfResult;
import java.util.List;
import java.util.Objects;

/**
 * The authentication results the policy decides on, one RFC 8601 result word per method, plus the DMARC
 * disposition. Immutable.
 *
 * <p>Each method's result comes from mailgate's own check when the {@link AuthReport} has one, else from
 * Amazon SES's verdict for that method (SES checks SPF, DKIM and DMARC on every message it receives), else
 * {@code none}. The adapter methods ({@link #spfOf}, {@link #dkimOf}, {@link #dmarcOf}, {@link #arcOf})
 * are the only places that read an {@code AuthReport}.
 *
 * @param spf the SPF result
 * @param dkim the combined DKIM result: pass when some signature passed (see {@link #combineDkim})
 * @param dmarc the DMARC result
 * @param arc the ARC chain validation result
 * @param dmarcDisposition what DMARC asks to be done: none unless DMARC failed under an enforcing policy
 * @param mailFromAuthenticated whether SPF passed for the MAIL FROM identity (not HELO): the envelope sender
 *     is then known not to be forged, which is what a bounce needs
 * @param sources which source each result came from, e.g. {@code "spf=mailgate dkim=ses dmarc=ses arc=none"}
 */
public record AuthSummary(
    AuthStatus spf, AuthStatus dkim, AuthStatus dmarc, AuthStatus arc, Disposition dmarcDisposition,
    boolean mailFromAuthenticated, String sources) {

  public AuthSummary {
    Objects.requireNonNull(spf, "spf");
    Objects.requireNonNull(dkim, "dkim");
    Objects.requireNonNull(dmarc, "dmarc");
    Objects.requireNonNull(arc, "arc");
    Objects.requireNonNull(dmarcDisposition, "dmarcDisposition");
    Objects.requireNonNull(sources, "sources");
  }

  /** A summary with the given words, disposition none unless DMARC failed (tests and benchmarks). */
  public static AuthSummary of(AuthStatus spf, AuthStatus dkim, AuthStatus dmarc, AuthStatus arc, Disposition disposition) {
    return new AuthSummary(spf, dkim, dmarc, arc, disposition, spf == AuthStatus.PASS, "given");
  }

  /** Combines mailgate's report with SES's verdicts, preferring mailgate's own result for each method. */
  public static AuthSummary from(AuthReport report, SesVerdicts ses) {
    StringBuilder src = new StringBuilder(48);

    SpfResult spfResult = spfOf(report);
    AuthStatus spf;
    boolean mailFromAuthenticated;
    boolean ourSpfRan = spfResult != null && report.envelope() != null && report.envelope().clientIp() != null;
    if (ourSpfRan) {
      spf = spfResult.status();
      mailFromAuthenticated = spf == AuthStatus.PASS && spfResult.identity() == SpfResult.Identity.MAILFROM;
      src.append("spf=mailgate");
    } else if (fromSes(ses.spf()) != null) {
      // Our check could not run (client IP unknown): SES's SPF check, of MAIL FROM, stands in.
      spf = fromSes(ses.spf());
      mailFromAuthenticated = spf == AuthStatus.PASS;
      src.append("spf=ses");
    } else {
      spf = spfResult != null ? spfResult.status() : AuthStatus.NONE;
      mailFromAuthenticated = false;
      src.append(spfResult != null ? "spf=mailgate" : "spf=none");
    }

    List<AuthStatus> dkimResults = dkimOf(report);
    AuthStatus dkim;
    if (dkimResults != null) {
      dkim = combineDkim(dkimResults);
      src.append(" dkim=mailgate");
    } else if (fromSes(ses.dkim()) != null) {
      dkim = fromSes(ses.dkim());
      src.append(" dkim=ses");
    } else {
      dkim = AuthStatus.NONE;
      src.append(" dkim=none");
    }

    DmarcResult dmarcResult = dmarcOf(report);
    AuthStatus dmarc;
    Disposition disposition;
    if (dmarcResult != null) {
      dmarc = dmarcResult.status();
      disposition = dmarcResult.disposition() == null ? Disposition.NONE : dmarcResult.disposition();
      src.append(" dmarc=mailgate");
    } else if (fromSes(ses.dmarc()) != null) {
      dmarc = fromSes(ses.dmarc());
      // SES reports the policy only when DMARC failed; it applies no pct/t= lowering we could see.
      disposition = dmarc == AuthStatus.FAIL && ses.dmarcPolicy() != null ? ses.dmarcPolicy() : Disposition.NONE;
      src.append(" dmarc=ses");
    } else {
      dmarc = AuthStatus.NONE;
      disposition = Disposition.NONE;
      src.append(" dmarc=none");
    }

    AuthStatus arcResult = arcOf(report);
    AuthStatus arc = arcResult != null ? arcResult : AuthStatus.NONE;
    src.append(arcResult != null ? " arc=mailgate" : " arc=none");

    return new AuthSummary(spf, dkim, dmarc, arc, disposition, mailFromAuthenticated, src.toString());
  }

  /** Whether any method ended in temperror: a decision on this message must not be permanent. */
  public boolean hasTempError() {
    return spf == AuthStatus.TEMPERROR || dkim == AuthStatus.TEMPERROR || dmarc == AuthStatus.TEMPERROR
        || arc == AuthStatus.TEMPERROR;
  }

  /** The result of one method by its RFC 8601 name: spf, dkim, dmarc or arc. */
  public AuthStatus status(Method method) {
    switch (method) {
      case SPF:
        return spf;
      case DKIM:
        return dkim;
      case DMARC:
        return dmarc;
      default:
        return arc;
    }
  }

  /** {@code spf=pass dkim=none dmarc=fail arc=none}: for logs, tags and the verdict header. */
  public String words() {
    return "spf=" + spf.word() + " dkim=" + dkim.word() + " dmarc=" + dmarc.word() + " arc=" + arc.word();
  }

  /** The authentication methods the policy reads. */
  public enum Method {
    SPF, DKIM, DMARC, ARC;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  // ---- adapters: the only code that reads AuthReport -------------------------------------------------

  /** The SPF result of the report, or null when SPF was not run. */
  static SpfResult spfOf(AuthReport report) {
    return report == null ? null : report.spf();
  }

  /** The result of each DKIM signature, topmost first (empty: no signatures), or null when DKIM was not run. */
  static List<AuthStatus> dkimOf(AuthReport report) {
    return report == null || report.dkim() == null ? null : report.dkim().stream().map(DkimResult::status).toList();
  }

  /** The DMARC result, or null when DMARC was not run. */
  static DmarcResult dmarcOf(AuthReport report) {
    return report == null ? null : report.dmarc();
  }

  /** The ARC chain validation status (none, pass or fail), or null when ARC was not run. */
  static AuthStatus arcOf(AuthReport report) {
    return report == null || report.arc() == null ? null : report.arc().status();
  }

  /**
   * One word for several DKIM signatures: pass when any passed (RFC 6376 section 6.1: a verifier may
   * accept a message with several signatures when one verifies); otherwise the result that matters most
   * to a policy: temperror (it might pass later), fail, permerror, neutral, policy; none without signatures.
   */
  public static AuthStatus combineDkim(List<AuthStatus> results) {
    AuthStatus[] order = {
      AuthStatus.PASS, AuthStatus.TEMPERROR, AuthStatus.FAIL, AuthStatus.PERMERROR, AuthStatus.NEUTRAL, AuthStatus.POLICY
    };
    for (AuthStatus s : order) {
      if (results.contains(s)) {
        return s;
      }
    }
    return AuthStatus.NONE;
  }

  /** SES's verdict as a result word; null when SES gave none (absent, or the check was disabled). */
  static AuthStatus fromSes(SesVerdict v) {
    switch (v) {
      case PASS:
        return AuthStatus.PASS;
      case FAIL:
        return AuthStatus.FAIL;
      case GRAY:
        return AuthStatus.NONE; // SES: "GRAY" = no policy or not enough information
      case PROCESSING_FAILED:
        return AuthStatus.TEMPERROR; // SES's check itself failed: like a DNS failure, try again later
      default:
        return null;
    }
  }
}
