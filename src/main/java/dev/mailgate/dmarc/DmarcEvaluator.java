package dev.mailgate.dmarc;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.dns.DnsTempFailure;
import dev.mailgate.spf.SpfResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * DMARC evaluation of one message (RFC 9989 section 5.3, or RFC 7489 section 6.6 in RFC 7489 mode):
 * policy discovery, Identifier Alignment of the SPF and DKIM results, the policy that applies and the
 * disposition. Thread-safe: one instance serves every message of a process; all per-message state lives
 * in the call. DNS is reached only through the {@link DnsResolver}; a DNS failure is a temperror
 * result, a bad record a permerror result, never an exception.
 */
public final class DmarcEvaluator {
  /** At most this many distinct passing DKIM domains are checked for alignment (hostile input bound). */
  static final int MAX_DKIM_DOMAINS = 16;

  private final DnsResolver dns;
  private final DmarcOptions options;
  private volatile PublicSuffixList psl;

  public DmarcEvaluator(DnsResolver dns, DmarcOptions options) {
    this.dns = Objects.requireNonNull(dns, "dns");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** An RFC 9989 evaluator without overrides. */
  public DmarcEvaluator(DnsResolver dns) {
    this(dns, DmarcOptions.defaults());
  }

  public DmarcOptions options() {
    return options;
  }

  /**
   * Loads the Public Suffix List now if RFC 7489 mode needs it (e.g. during a Lambda init phase), so the
   * first message does not pay for it. Does nothing in RFC 9989 mode.
   */
  public void preload() {
    if (options.mode() == DmarcMode.RFC7489) {
      psl();
    }
  }

  /** As {@link #evaluate(AuthorDomain, SpfResult, List, ArcInfo)} with {@link AuthorDomain#of(String)}. */
  public DmarcResult evaluate(String authorDomain, SpfResult spf, List<DkimIdentifier> dkim, ArcInfo arc) {
    return evaluate(AuthorDomain.of(authorDomain), spf, dkim, arc);
  }

  /**
   * Evaluates DMARC for a message.
   *
   * @param author the Author Domain from the From: header field, or why there is none
   * @param spf the SPF result of the MAIL FROM identity; for the null reverse-path that is the HELO
   *     identity (RFC 9989 3.2.4, RFC 7208 2.4), whose domain is then used. Do not pass the result of
   *     a separate HELO check made for a non-null MAIL FROM. May be null (SPF not evaluated)
   * @param dkim one entry per checked DKIM signature; may be null or empty
   * @param arc the ARC validation outcome, for local overrides; may be null
   */
  public DmarcResult evaluate(AuthorDomain author, SpfResult spf, List<DkimIdentifier> dkim, ArcInfo arc) {
    if (author instanceof AuthorDomain.Unusable u) {
      // RFC 9989 5.3.1: DMARC validation is not possible. permerror as for DKIM's "required header field
      // absent" (RFC 8601 2.7.1): the message itself is at fault and a retry will not help.
      return new DmarcResult(AuthStatus.PERMERROR, null, null, null, null, null, null, null, Disposition.NONE,
          false, false, null, List.of(), options.mode(), "no usable Author Domain: " + u.reason());
    }
    String from = ((AuthorDomain.Usable) author).domain();
    return new Run(from, spf, dkim == null ? List.of() : dkim, arc == null ? ArcInfo.NONE : arc).run();
  }

  private PublicSuffixList psl() {
    PublicSuffixList l = psl;
    if (l == null) {
      synchronized (this) {
        l = psl;
        if (l == null) {
          l = Objects.requireNonNull(options.publicSuffixList().get(), "Public Suffix List supplier returned null");
          psl = l;
        }
      }
    }
    return l;
  }

  /** The record chosen by policy discovery, or why there is none. */
  private record Discovery(String domain, ParsedRecord parsed, String noneReason) {
    static Discovery none(String reason) {
      return new Discovery(null, null, reason);
    }
  }

  /** The state of one evaluation. */
  private final class Run {
    final String from;
    final SpfResult spf;
    final List<DkimIdentifier> dkim;
    final ArcInfo arc;
    final DmarcMode mode = options.mode();
    final TreeWalk tw;
    String orgFrom;
    boolean orgFromFailed;
    DnsTempFailure alignmentFailure;

    Run(String from, SpfResult spf, List<DkimIdentifier> dkim, ArcInfo arc) {
      this.from = from;
      this.spf = spf;
      this.dkim = dkim;
      this.arc = arc;
      this.tw = new TreeWalk(dns, mode);
    }

    DmarcResult run() {
      Discovery d;
      try {
        d = mode == DmarcMode.RFC9989 ? discoverByTreeWalk() : discoverByPsl();
      } catch (DnsTempFailure e) {
        // RFC 9989 4.10.1: handling of DNS errors is the receiver's choice; we report temperror so that
        // policy can decide between fail-open and a 4xx.
        return result(AuthStatus.TEMPERROR, null, null, null, null, null, Disposition.NONE, false, false, null,
            List.of(), "temporary DNS failure in policy discovery: " + e.getMessage());
      }
      if (d.noneReason() != null) {
        return result(AuthStatus.NONE, null, null, null, null, null, Disposition.NONE, false, false, null,
            List.of(), d.noneReason());
      }
      if (d.parsed() instanceof ParsedRecord.Invalid inv) {
        return result(AuthStatus.PERMERROR, d.domain(), inv.record(), null, null, null, Disposition.NONE, false,
            false, null, List.of(), "unusable DMARC record at _dmarc." + d.domain() + ": " + inv.reason());
      }
      DmarcRecord rec = ((ParsedRecord.Valid) d.parsed()).record();
      return evaluate(d.domain(), rec);
    }

    /** RFC 9989 4.10.1: the Author Domain's own record, else a Tree Walk to its Organizational Domain or PSD. */
    Discovery discoverByTreeWalk() throws DnsTempFailure {
      TreeWalk.Lookup own = tw.lookup(from);
      if (own.single()) {
        return new Discovery(from, own.parsed(), null);
      }
      TreeWalk.Walk w = tw.walk(from);
      orgFrom = w.organizationalDomain();
      String discarded = own.dmarcRecords() > 1
          ? " (" + own.dmarcRecords() + " records at _dmarc." + from + " discarded)" : "";
      if (w.found().isEmpty()) {
        return Discovery.none("no DMARC policy record for " + from + " or its parents" + discarded);
      }
      TreeWalk.Found f = w.at(orgFrom);
      if (f == null) {
        f = w.psdRecord(); // the Organizational Domain below a PSD published none: the PSD's record applies
      }
      if (f == null) {
        return Discovery.none("no DMARC policy record at the Organizational Domain " + orgFrom + discarded);
      }
      return new Discovery(f.domain(), f.parsed(), null);
    }

    /** RFC 7489 6.6.3: the Author Domain's record, else the Organizational Domain's (Public Suffix List). */
    Discovery discoverByPsl() throws DnsTempFailure {
      String org = psl().organizationalDomain(from);
      orgFrom = org == null ? from : org;
      TreeWalk.Lookup own = tw.lookup(from);
      if (own.dmarcRecords() > 1) {
        return Discovery.none(own.dmarcRecords() + " DMARC records at _dmarc." + from
            + ": no DMARC processing (RFC 7489 6.6.3 step 5)");
      }
      if (own.single()) {
        return new Discovery(from, own.parsed(), null);
      }
      if (orgFrom.equals(from)) {
        return Discovery.none("no DMARC policy record for " + from);
      }
      TreeWalk.Lookup org2 = tw.lookup(orgFrom);
      if (org2.dmarcRecords() > 1) {
        return Discovery.none(org2.dmarcRecords() + " DMARC records at _dmarc." + orgFrom
            + ": no DMARC processing (RFC 7489 6.6.3 step 5)");
      }
      if (org2.single()) {
        return new Discovery(orgFrom, org2.parsed(), null);
      }
      return Discovery.none("no DMARC policy record for " + from + " or its Organizational Domain " + orgFrom);
    }

    DmarcResult evaluate(String policyDomain, DmarcRecord rec) {
      String spfDomain = spf != null && spf.status() == AuthStatus.PASS ? Domains.normalize(spf.domain()) : null;
      boolean spfAligned = spfDomain != null && aligned(spfDomain, rec.aspf());
      String alignedDkim = null;
      List<String> passing = passingDkimDomains();
      int checked = 0;
      for (String d : passing) {
        if (checked++ >= MAX_DKIM_DOMAINS) {
          break;
        }
        if (aligned(d, rec.adkim())) {
          alignedDkim = d;
          break;
        }
      }
      boolean dkimAligned = alignedDkim != null;
      String identifiers = describeIdentifiers(rec, spfDomain, spfAligned, passing, alignedDkim);

      if (spfAligned || dkimAligned) {
        // No existence check on pass: the policy is not applied, so np cannot matter (docs/DMARC.md).
        PolicyTag tag = policyDomain.equals(from) || rec.sp() == null ? PolicyTag.P : PolicyTag.SP;
        Policy policy = tag == PolicyTag.P ? rec.p() : rec.sp();
        Policy effective = mode == DmarcMode.RFC9989 && rec.testing() ? policy.lowered() : policy;
        return result(AuthStatus.PASS, policyDomain, rec, tag, policy, effective, Disposition.NONE, spfAligned,
            dkimAligned, alignedDkim, List.of(), identifiers + "; " + describePolicy(policyDomain, tag, policy, rec));
      }

      // RFC 9989 5.3.6, RFC 7489 6.6.2: a temporary error that may have hidden an aligned pass means the
      // message neither passes nor fails. Only identifiers that would align count, so a signature from
      // an unrelated domain with broken DNS cannot turn a fail into a temperror.
      String temp = alignmentFailure == null ? temporaryErrorThatMayAlign(rec) : null;
      if (temp == null && alignmentFailure != null) {
        temp = "alignment lookup failed: " + alignmentFailure.getMessage();
      }
      if (temp != null) {
        return result(AuthStatus.TEMPERROR, policyDomain, rec, null, null, null, Disposition.NONE, false, false,
            null, List.of(), temp);
      }

      PolicyTag tag;
      if (policyDomain.equals(from)) {
        tag = PolicyTag.P;
      } else if (mode == DmarcMode.RFC9989 && rec.np() != null) {
        boolean exists;
        try {
          exists = exists(from);
        } catch (DnsTempFailure e) {
          return result(AuthStatus.TEMPERROR, policyDomain, rec, null, null, null, Disposition.NONE, false, false,
              null, List.of(), "temporary DNS failure checking whether " + from + " exists (for np): " + e.getMessage());
        }
        tag = !exists ? PolicyTag.NP : rec.sp() != null ? PolicyTag.SP : PolicyTag.P;
      } else {
        tag = rec.sp() != null ? PolicyTag.SP : PolicyTag.P;
      }
      Policy policy = switch (tag) {
        case P -> rec.p();
        case SP -> rec.sp();
        case NP -> rec.np();
      };

      List<OverrideReason> overrides = new ArrayList<>(2);
      Policy effective = policy;
      if (policy != Policy.NONE) {
        if (mode == DmarcMode.RFC9989 && rec.testing()) {
          // RFC 9989 4.7 "t": t=y applies the policy one level below the one published.
          effective = policy.lowered();
          overrides.add(new OverrideReason(PolicyOverride.POLICY_TEST_MODE, "t=y"));
        } else if (mode == DmarcMode.RFC7489 && rec.pct() < 100 && !sampled(rec.pct())) {
          // RFC 7489 6.6.4: not selected -> reject is treated as quarantine, quarantine as none.
          effective = policy.lowered();
          overrides.add(new OverrideReason(PolicyOverride.SAMPLED_OUT, "pct=" + rec.pct()));
        }
      }
      Disposition disposition = Disposition.of(effective);
      if (disposition != Disposition.NONE) {
        for (OverrideRule rule : options.overrides()) {
          String evidence = evidence(rule, spfDomain);
          if (evidence != null && rule.disposition().compareTo(disposition) < 0) {
            disposition = rule.disposition();
            String comment = rule.comment() == null ? evidence : evidence + "; " + rule.comment();
            overrides.add(new OverrideReason(rule.type(), comment));
            break;
          }
        }
      }
      StringBuilder reason = new StringBuilder(identifiers).append("; ")
          .append(describePolicy(policyDomain, tag, policy, rec));
      for (OverrideReason o : overrides) {
        reason.append("; ").append(o.type().word()).append(" (").append(o.comment()).append(')');
      }
      reason.append(": disposition ").append(disposition.word());
      return result(AuthStatus.FAIL, policyDomain, rec, tag, policy, effective, disposition, false, false, null,
          overrides, reason.toString());
    }

    /** The distinct d= domains of passing signatures, the Author Domain itself first (no DNS needed). */
    List<String> passingDkimDomains() {
      Set<String> out = new LinkedHashSet<>();
      for (DkimIdentifier id : dkim) {
        if (id != null && id.status() == AuthStatus.PASS) {
          String d = Domains.normalize(id.domain());
          if (from.equals(d)) {
            out.add(d);
          }
        }
      }
      for (DkimIdentifier id : dkim) {
        if (id != null && id.status() == AuthStatus.PASS) {
          String d = Domains.normalize(id.domain());
          if (d != null) {
            out.add(d);
          }
        }
      }
      return new ArrayList<>(out);
    }

    /**
     * Identifier Alignment (RFC 9989 3.2.10, 4.10.2). Identical domains align in either mode; strict
     * mode needs nothing more. Relaxed: the Organizational Domains must be equal. An identifier's
     * Organizational Domain is the identifier or one of its parents, so one that is not at or below the
     * Author Domain's Organizational Domain cannot align and needs no Tree Walk.
     */
    boolean aligned(String id, AlignmentMode alignment) {
      if (id.equals(from)) {
        return true;
      }
      if (alignment == AlignmentMode.STRICT) {
        return false;
      }
      String org = organizationalDomainOfAuthor();
      if (org == null || !Domains.isSameOrSubdomain(id, org)) {
        return false;
      }
      String idOrg = organizationalDomain(id);
      return org.equals(idOrg);
    }

    String organizationalDomainOfAuthor() {
      if (orgFrom == null && !orgFromFailed) {
        orgFrom = organizationalDomain(from);
        orgFromFailed = orgFrom == null;
      }
      return orgFrom;
    }

    /** The Organizational Domain of {@code d}; null after a temporary DNS failure (remembered). */
    String organizationalDomain(String d) {
      if (mode == DmarcMode.RFC7489) {
        String org = psl().organizationalDomain(d);
        return org == null ? d : org;
      }
      try {
        return tw.walk(d).organizationalDomain();
      } catch (DnsTempFailure e) {
        if (alignmentFailure == null) {
          alignmentFailure = e;
        }
        return null;
      }
    }

    /** A temperror SPF or DKIM result for an identifier that would be aligned, described; else null. */
    String temporaryErrorThatMayAlign(DmarcRecord rec) {
      if (spf != null && spf.status() == AuthStatus.TEMPERROR) {
        String d = Domains.normalize(spf.domain());
        if (d != null && aligned(d, rec.aspf())) {
          return "SPF temperror for " + d + ", which would be aligned";
        }
      }
      int checked = 0;
      for (DkimIdentifier id : dkim) {
        if (id != null && id.status() == AuthStatus.TEMPERROR && checked++ < MAX_DKIM_DOMAINS) {
          String d = Domains.normalize(id.domain());
          if (d != null && aligned(d, rec.adkim())) {
            return "DKIM temperror for d=" + d + ", which would be aligned";
          }
        }
      }
      return null;
    }

    /**
     * RFC 9989 3.2.13 and A.4 define existence by NXDOMAIN; the resolver interface does not tell NXDOMAIN
     * from NODATA, so, as the issue asks, a name with no A, AAAA or MX record counts as non-existent
     * (the RFC 5321 "resolvable" test that A.4 mentions).
     */
    boolean exists(String d) throws DnsTempFailure {
      return !dns.a(d).isEmpty() || !dns.aaaa(d).isEmpty() || !dns.mx(d).isEmpty();
    }

    boolean sampled(int pct) {
      RandomGenerator r = options.random() != null ? options.random() : ThreadLocalRandom.current();
      return r.nextInt(100) < pct; // RFC 7489 6.3 "pct": (random mod 100) < pct
    }

    /** The evidence that {@code rule} matches, as an RFC 8617 7.2.2 style comment; null when it does not. */
    String evidence(OverrideRule rule, String spfDomain) {
      if (rule.evidence().contains(OverrideRule.Evidence.ARC_SEALER) && arc.pass()) {
        for (String sealer : arc.sealerDomains()) {
          if (rule.covers(Domains.normalize(sealer))) {
            StringBuilder sb = new StringBuilder("arc=pass");
            for (int i = arc.sealerDomains().size() - 1; i >= 0; i--) {
              sb.append(" as[").append(i + 1).append("].d=").append(arc.sealerDomains().get(i));
            }
            return sb.toString();
          }
        }
      }
      if (rule.evidence().contains(OverrideRule.Evidence.DKIM)) {
        for (DkimIdentifier id : dkim) {
          if (id != null && id.status() == AuthStatus.PASS && rule.covers(Domains.normalize(id.domain()))) {
            return "dkim=pass header.d=" + Domains.normalize(id.domain());
          }
        }
      }
      if (rule.evidence().contains(OverrideRule.Evidence.SPF) && rule.covers(spfDomain)) {
        return "spf=pass smtp.mailfrom=" + spfDomain;
      }
      return null;
    }

    String describeIdentifiers(DmarcRecord rec, String spfDomain, boolean spfAligned, List<String> passing,
        String alignedDkim) {
      StringBuilder sb = new StringBuilder(96);
      if (spf == null) {
        sb.append("no SPF result");
      } else if (spfDomain == null) {
        sb.append("SPF ").append(spf.status().word());
      } else {
        sb.append("SPF ").append(spfDomain).append(spfAligned ? " aligned" : " not aligned");
        if (!spfAligned && rec.aspf() == AlignmentMode.STRICT) {
          sb.append(" (aspf=s)");
        }
      }
      sb.append("; ");
      if (alignedDkim != null) {
        sb.append("DKIM d=").append(alignedDkim).append(" aligned");
      } else if (passing.isEmpty()) {
        sb.append("no passing DKIM signature");
      } else {
        sb.append("DKIM d=").append(passing.get(0));
        if (passing.size() > 1) {
          sb.append(" and ").append(passing.size() - 1).append(" more");
        }
        sb.append(" not aligned");
        if (rec.adkim() == AlignmentMode.STRICT) {
          sb.append(" (adkim=s)");
        }
      }
      return sb.toString();
    }

    String describePolicy(String policyDomain, PolicyTag tag, Policy policy, DmarcRecord rec) {
      String s = tag.tag() + "=" + policy.word() + " at " + policyDomain;
      return mode == DmarcMode.RFC9989 && rec.testing() ? s + " (t=y)" : s;
    }

    DmarcResult result(AuthStatus status, String policyDomain, DmarcRecord rec, PolicyTag tag, Policy policy,
        Policy effective, Disposition disposition, boolean spfAligned, boolean dkimAligned, String alignedDkim,
        List<OverrideReason> overrides, String reason) {
      return new DmarcResult(status, from, policyDomain, orgFrom, rec, tag, policy, effective, disposition,
          spfAligned, dkimAligned, alignedDkim, overrides, mode, reason);
    }
  }
}
