package dev.mailgate.spf;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.spf.SpfResult.Identity;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Objects;

/**
 * The SPF check of RFC 7208: check_host() (section 4) and the choice of identity (sections 2.3, 2.4).
 * Immutable and safe for concurrent use; it keeps only a bounded cache of parsed records, and all DNS
 * goes through the {@link DnsResolver} it was built with. It never throws for any DNS data or input
 * text: malformed records, loops and DNS failures are results (permerror, temperror, none).
 */
public final class SpfChecker {
  /** The default explanation (section 6.2) as an explain-string; %{o} is the sender's domain. */
  public static final String DEFAULT_EXPLANATION = "%{o} does not designate %{c} as a permitted sender";
  /** The "r" macro when no receiving host name is configured (section 7.3 says "unknown"). */
  public static final String UNKNOWN_HOST = "unknown";
  /** Default number of parsed records kept. */
  public static final int DEFAULT_CACHE_SIZE = 1024;

  private final DnsResolver resolver;
  private final Clock clock;
  private final String receivingHost;
  private final MacroString defaultExplanation;
  private final RecordCache cache;

  /** A checker with the system clock, receiving host "unknown" and the default explanation. */
  public SpfChecker(DnsResolver resolver) {
    this(builder(resolver));
  }

  private SpfChecker(Builder b) {
    this.resolver = b.resolver;
    this.clock = b.clock;
    this.receivingHost = b.receivingHost;
    this.defaultExplanation = b.defaultExplanation;
    this.cache = new RecordCache(b.cacheSize);
  }

  public static Builder builder(DnsResolver resolver) {
    return new Builder(resolver);
  }

  /**
   * check_host(ip, domain, sender) of RFC 7208 section 4, reported as the MAIL FROM identity.
   *
   * @param ip the SMTP client's address; an IPv4-mapped IPv6 address counts as IPv4
   * @param domain the domain whose policy is evaluated (a trailing dot is allowed)
   * @param sender the identity as an address; without a local part (or null) it becomes
   *     postmaster@domain of the sender (section 4.3)
   * @param helo the HELO/EHLO name, for the "h" macro; null expands as "unknown"
   */
  public SpfResult checkHost(InetAddress ip, String domain, String sender, String helo) {
    String identity = sender != null ? sender : domain != null ? domain : "";
    return run(ip, domain, identity, helo, Identity.MAILFROM);
  }

  /**
   * The SPF result for a message's MAIL FROM identity (section 2.4). With the null reverse-path
   * ({@code ""} or {@code "<>"}) the identity is postmaster@HELO and the result's identity is HELO.
   *
   * @param mailFrom the MAIL FROM address without angle brackets; "" for the null reverse-path, null
   *     when not known (the result is then none: there is nothing to check)
   */
  public SpfResult check(InetAddress ip, String helo, String mailFrom) {
    if (mailFrom == null) {
      return new SpfResult(AuthStatus.NONE, Identity.MAILFROM, null, null, null, null,
          "MAIL FROM unknown: no identity to check");
    }
    String from = mailFrom.trim();
    if (from.startsWith("<") && from.endsWith(">")) {
      from = from.substring(1, from.length() - 1).trim();
    }
    if (from.isEmpty()) {
      // Section 2.4: for the null reverse-path the MAIL FROM identity is postmaster@HELO.
      return checkHelo(ip, helo);
    }
    int at = from.lastIndexOf('@');
    String domain = at < 0 ? from : from.substring(at + 1);
    return run(ip, domain, from, helo, Identity.MAILFROM);
  }

  /**
   * The SPF result for the HELO identity (section 2.3): check_host() with postmaster@HELO as the
   * sender. A HELO that is not a multi-label domain name (e.g. an address literal) gives none.
   */
  public SpfResult checkHelo(InetAddress ip, String helo) {
    if (helo == null || helo.isBlank()) {
      return new SpfResult(AuthStatus.NONE, Identity.HELO, null, null, null, null,
          "HELO name unknown: no identity to check");
    }
    String name = helo.trim();
    return run(ip, name, "postmaster@" + name, name, Identity.HELO);
  }

  private SpfResult run(InetAddress ip, String domain, String sender, String helo, Identity identity) {
    int at = sender.lastIndexOf('@');
    String local = at < 0 ? "" : sender.substring(0, at);
    String senderDomain = DomainNames.stripTrailingDot(at < 0 ? sender : sender.substring(at + 1));
    if (local.isEmpty()) {
      local = "postmaster"; // section 4.3
    }
    // The sender as given when it already is local@domain, to spare a copy on the common path.
    String fullSender =
        at > 0 && at + 1 + senderDomain.length() == sender.length() ? sender : local + "@" + senderDomain;
    String problem = DomainNames.checkHostDomainProblem(domain);
    if (problem != null) {
      // Section 4.3 (and 2.3 for HELO): a malformed or single-label domain gives none.
      String what = identity == Identity.HELO ? "HELO name " : "domain ";
      return new SpfResult(AuthStatus.NONE, identity, null, fullSender, null, null,
          what + SpfRecord.quote(domain) + " cannot be checked: " + problem);
    }
    String name = DomainNames.stripTrailingDot(domain);
    if (ip == null) {
      return new SpfResult(AuthStatus.NONE, identity, name, fullSender, null, null,
          "client IP address unknown: nothing to check");
    }
    Evaluation evaluation = new Evaluation(resolver, cache, clock, receivingHost, ClientIp.of(ip), fullSender,
        local, senderDomain, helo == null ? UNKNOWN_HOST : helo);
    Evaluation.Outcome outcome;
    try {
      outcome = evaluation.checkHost(name);
    } catch (Evaluation.Abort abort) {
      return new SpfResult(abort.status, identity, name, fullSender, null, null, abort.getMessage());
    }
    return result(evaluation, outcome, identity, name, fullSender);
  }

  private SpfResult result(Evaluation evaluation, Evaluation.Outcome outcome, Identity identity, String domain,
      String sender) {
    AuthStatus status = outcome.status();
    if (status == AuthStatus.NONE) {
      return new SpfResult(status, identity, domain, sender, null, null, "no SPF record at " + domain);
    }
    String redirected =
        outcome.redirectedFrom() == null ? "" : " (redirected from " + outcome.redirectedFrom() + ")";
    String explanation = status == AuthStatus.FAIL ? evaluation.explanation(outcome, defaultExplanation) : null;
    Directive directive = outcome.directive();
    if (directive == null) {
      return new SpfResult(status, identity, domain, sender, null, null,
          "no mechanism matched " + evaluation.ip + " in " + outcome.domain() + ", default neutral" + redirected);
    }
    Evaluation.Outcome innermost = outcome;
    while (innermost.included() != null) {
      innermost = innermost.included();
    }
    StringBuilder reason = new StringBuilder(96).append(evaluation.ip).append(" matched ")
        .append(SpfRecord.printable(innermost.directive().text())).append(" in ").append(innermost.domain());
    if (innermost != outcome) {
      reason.append(" via ").append(SpfRecord.printable(directive.text())).append(" in ").append(outcome.domain());
    }
    reason.append(redirected);
    return new SpfResult(status, identity, domain, sender, directive.text(), explanation, reason.toString());
  }

  /** Options for a checker. Not thread-safe; the checker it builds is. */
  public static final class Builder {
    private final DnsResolver resolver;
    private Clock clock = Clock.systemUTC();
    private String receivingHost = UNKNOWN_HOST;
    private MacroString defaultExplanation;
    private int cacheSize = DEFAULT_CACHE_SIZE;

    private Builder(DnsResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      this.defaultExplanation = explainString(DEFAULT_EXPLANATION);
    }

    /** The clock for the "t" macro (section 7.3). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The receiving host's name for the "r" macro (section 7.3); default "unknown". */
    public Builder receivingHost(String name) {
      this.receivingHost = name == null || name.isBlank() ? UNKNOWN_HOST : name;
      return this;
    }

    /**
     * The explanation given for fail when the record has no usable exp= (section 6.2), as an
     * explain-string with macros. Throws IllegalArgumentException when it is not valid macro syntax.
     */
    public Builder defaultExplanation(String explainString) {
      this.defaultExplanation = explainString(Objects.requireNonNull(explainString, "explainString"));
      return this;
    }

    /** How many parsed records to keep (0 turns the cache off); default {@value #DEFAULT_CACHE_SIZE}. */
    public Builder recordCacheSize(int size) {
      if (size < 0) {
        throw new IllegalArgumentException("cache size must not be negative: " + size);
      }
      this.cacheSize = size;
      return this;
    }

    public SpfChecker build() {
      return new SpfChecker(this);
    }

    private static MacroString explainString(String text) {
      try {
        return MacroString.parse(text, MacroString.Kind.EXPLANATION);
      } catch (SpfSyntaxException e) {
        throw new IllegalArgumentException("invalid explanation: " + e.getMessage(), e);
      }
    }
  }
}
