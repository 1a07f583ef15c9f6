package dev.mailgate.spf;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.dns.DnsTempFailure;
import dev.mailgate.dns.MxHost;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of check_host() (RFC 7208 section 4) for one identity, including its recursive evaluations
 * for include and redirect. It carries what the RFC tracks across the whole run: the DNS-querying term
 * count and the void-lookup count (section 4.6.4, "a single global limit for all evaluations", section
 * 4.1). Not thread-safe: the checker makes a new one per check.
 */
final class Evaluation implements MacroString.MacroValues {
  /** Section 4.6.4: at most 10 terms that query DNS. */
  static final int MAX_DNS_TERMS = 10;
  /** Section 4.6.4: at most 2 void lookups (the RECOMMENDED default). */
  static final int MAX_VOID_LOOKUPS = 2;
  /** Section 4.6.4: an mx mechanism may look up at most 10 MX names. */
  static final int MAX_MX_NAMES = 10;
  /** Section 4.6.4: a ptr mechanism or %{p} looks at no more than the first 10 PTR names. */
  static final int MAX_PTR_NAMES = 10;
  /** Section 6.2 allows limiting the explanation's length. */
  static final int MAX_EXPLANATION = 512;

  private final DnsResolver dns;
  private final RecordCache cache;
  private final Clock clock;
  private final String receivingHost;
  final ClientIp ip;
  private final String sender;
  private final String localPart;
  private final String senderDomain;
  private final String helo;

  private int dnsTerms;
  private int voidLookups;
  /** %{p}: the validated names of the client, computed once per run. */
  private List<String> validatedNames;

  Evaluation(DnsResolver dns, RecordCache cache, Clock clock, String receivingHost, ClientIp ip,
      String localPart, String senderDomain, String helo) {
    this(dns, cache, clock, receivingHost, ip, localPart + "@" + senderDomain, localPart, senderDomain, helo);
  }

  /** With {@code sender} already built as {@code localPart@senderDomain}. */
  Evaluation(DnsResolver dns, RecordCache cache, Clock clock, String receivingHost, ClientIp ip, String sender,
      String localPart, String senderDomain, String helo) {
    this.dns = dns;
    this.cache = cache;
    this.clock = clock;
    this.receivingHost = receivingHost;
    this.ip = ip;
    this.sender = sender;
    this.localPart = localPart;
    this.senderDomain = senderDomain;
    this.helo = helo;
  }

  /** The outcome of one check_host() level that did not end in an error. */
  record Outcome(
      AuthStatus status,
      String domain,
      SpfRecord record,
      Directive directive,
      Outcome included,
      String redirectedFrom) {

    Outcome withRedirectedFrom(String from) {
      return new Outcome(status, domain, record, directive, included, from);
    }
  }

  /**
   * Ends the run with temperror or permerror. Used as control flow inside the evaluation only: the
   * checker turns it into a result value, so it never reaches callers. No stack trace is filled in.
   */
  static final class Abort extends Exception {
    final AuthStatus status;

    Abort(AuthStatus status, String reason) {
      super(reason, null, false, false);
      this.status = status;
    }
  }

  /**
   * check_host() for {@code domain}, a name that passed the section 4.3 checks. Returns none, pass,
   * fail, softfail or neutral; throws {@link Abort} for temperror and permerror.
   */
  Outcome checkHost(String domain) throws Abort {
    List<String> txt;
    try {
      txt = dns.txt(domain);
    } catch (DnsTempFailure e) {
      // Section 4.4: a server failure or timeout on the record lookup is temperror.
      throw new Abort(AuthStatus.TEMPERROR, "DNS failure looking up TXT " + domain + ": " + e.getMessage());
    }
    String found = null;
    int count = 0;
    for (int i = 0, n = txt.size(); i < n; i++) {
      String t = txt.get(i);
      if (SpfRecord.isSpfRecord(t)) {
        found = t;
        count++;
      }
    }
    if (count == 0) {
      return new Outcome(AuthStatus.NONE, domain, null, null, null, null); // section 4.5
    }
    if (count > 1) {
      throw new Abort(AuthStatus.PERMERROR, count + " SPF records at " + domain + " (RFC 7208 section 4.5)");
    }
    RecordParse parsed = cache.parse(found);
    if (parsed instanceof RecordParse.Invalid invalid) {
      throw new Abort(AuthStatus.PERMERROR, "invalid SPF record at " + domain + ": " + invalid.error());
    }
    SpfRecord record = ((RecordParse.Valid) parsed).record();
    List<Directive> directives = record.directives();
    for (int i = 0, n = directives.size(); i < n; i++) {
      Directive d = directives.get(i);
      if (d.mechanism() instanceof Mechanism.Include include) {
        Outcome inner = include(include, d, domain);
        if (inner != null) {
          return new Outcome(d.qualifier().status(), domain, record, d, inner, null);
        }
      } else if (matches(d, domain)) {
        return new Outcome(d.qualifier().status(), domain, record, d, null, null);
      }
    }
    if (record.redirect() != null) {
      return redirect(record.redirect(), domain);
    }
    // Section 4.7: no match and no redirect is neutral.
    return new Outcome(AuthStatus.NEUTRAL, domain, record, null, null, null);
  }

  /** Section 6.1. */
  private Outcome redirect(DomainSpec spec, String domain) throws Abort {
    countDnsTerm(spec, domain);
    String target = spec.targetName(this, domain);
    String problem = spec.checkHostProblem(target);
    if (problem != null) {
      throw new Abort(AuthStatus.PERMERROR, shown(spec) + " in " + domain + ": target " + problem);
    }
    Outcome outcome = checkHost(target);
    if (outcome.status() == AuthStatus.NONE) {
      // Section 6.1: no record at the redirect target is permerror rather than none.
      throw new Abort(AuthStatus.PERMERROR, shown(spec) + " in " + domain + ": no SPF record at " + target);
    }
    return outcome.redirectedFrom() == null ? outcome.withRedirectedFrom(domain) : outcome;
  }

  /** Section 5.2: the inner outcome when include matches, null when it does not. */
  private Outcome include(Mechanism.Include include, Directive d, String domain) throws Abort {
    countDnsTerm(d, domain);
    String target = include.target().targetName(this, domain);
    String problem = include.target().checkHostProblem(target);
    if (problem != null) {
      throw new Abort(AuthStatus.PERMERROR, shown(d) + " in " + domain + ": target " + problem);
    }
    // temperror and permerror of the inner evaluation propagate as they are (the section 5.2 table).
    Outcome inner = checkHost(target);
    return switch (inner.status()) {
      case PASS -> inner;
      case NONE -> throw new Abort(AuthStatus.PERMERROR,
          shown(d) + " in " + domain + ": no SPF record at " + target + " (RFC 7208 section 5.2)");
      default -> null; // fail, softfail, neutral: not a match
    };
  }

  private boolean matches(Directive d, String domain) throws Abort {
    Mechanism m = d.mechanism();
    if (m instanceof Mechanism.Ip4 ip4) {
      return ip.v4 && ip.inNetwork4(ip4.network(), ip4.prefix());
    }
    if (m instanceof Mechanism.Ip6 ip6) {
      // Section 5: IPv4 clients (including IPv4-mapped ones) are only matched by ip4.
      return !ip.v4 && ip.inNetwork6(ip6.hi(), ip6.lo(), ip6.prefix());
    }
    if (m instanceof Mechanism.All) {
      return true;
    }
    if (m instanceof Mechanism.A a) {
      countDnsTerm(d, domain);
      String target = a.target() == null ? domain : a.target().targetName(this, domain);
      return target != null && matchesAddresses(target, a.cidr4(), a.cidr6(), d, domain, true);
    }
    if (m instanceof Mechanism.Mx mx) {
      countDnsTerm(d, domain);
      String target = mx.target() == null ? domain : mx.target().targetName(this, domain);
      return target != null && matchesMx(target, mx, d, domain);
    }
    if (m instanceof Mechanism.Exists exists) {
      countDnsTerm(d, domain);
      String target = exists.target().targetName(this, domain);
      if (target == null) {
        return false;
      }
      List<InetAddress> found;
      try {
        found = dns.a(target); // section 5.7: an A query even for an IPv6 client
      } catch (DnsTempFailure e) {
        throw dnsFailure(d, domain, e);
      }
      if (found.isEmpty()) {
        countVoidLookup(d, domain);
        return false;
      }
      return true;
    }
    if (m instanceof Mechanism.Ptr ptr) {
      countDnsTerm(d, domain);
      String target = ptr.target() == null ? domain : ptr.target().targetName(this, domain);
      return target != null && matchesPtr(target, d, domain);
    }
    throw new AssertionError("unhandled mechanism " + m);
  }

  /** a: the target's A (IPv4 client) or AAAA (IPv6 client) records against <ip> (section 5.3). */
  private boolean matchesAddresses(String target, int cidr4, int cidr6, Directive d, String domain, boolean countVoid)
      throws Abort {
    List<InetAddress> found;
    try {
      found = ip.v4 ? dns.a(target) : dns.aaaa(target);
    } catch (DnsTempFailure e) {
      throw dnsFailure(d, domain, e);
    }
    if (found.isEmpty()) {
      if (countVoid && hasNoAddressOfOtherFamily(target)) {
        countVoidLookup(d, domain);
      }
      return false;
    }
    for (int i = 0, n = found.size(); i < n; i++) {
      if (ip.matches(found.get(i), cidr4, cidr6)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code target}, which has no address of the client's family, has none of the other family
   * either. Section 4.6.4 counts a term whose query gets no answer as a void lookup; we count an "a"
   * term only when the name has no address at all, so that an IPv6 client checked against a record
   * naming IPv4-only hosts (or the reverse) does not reach permerror through the void limit. A DNS
   * failure on this second query does not count.
   */
  private boolean hasNoAddressOfOtherFamily(String target) {
    try {
      return (ip.v4 ? dns.aaaa(target) : dns.a(target)).isEmpty();
    } catch (DnsTempFailure e) {
      return false;
    }
  }

  /** Section 5.4, with the limit of 10 MX names of section 4.6.4. */
  private boolean matchesMx(String target, Mechanism.Mx mx, Directive d, String domain) throws Abort {
    List<MxHost> hosts;
    try {
      hosts = dns.mx(target);
    } catch (DnsTempFailure e) {
      throw dnsFailure(d, domain, e);
    }
    if (hosts.isEmpty()) {
      // Section 5.4: no implicit MX; an empty answer is a void lookup.
      countVoidLookup(d, domain);
      return false;
    }
    if (hosts.size() > MAX_MX_NAMES) {
      throw new Abort(AuthStatus.PERMERROR, shown(d) + " in " + domain + ": " + hosts.size()
          + " MX records at " + target + ", more than " + MAX_MX_NAMES + " (RFC 7208 section 4.6.4)");
    }
    for (MxHost host : hosts) {
      // A null MX (RFC 7505, "0 .") or an empty or malformed exchange name has no addresses to match.
      String name = host.host() == null ? null : DomainNames.targetName(host.host());
      if (name != null && matchesAddresses(name, mx.cidr4(), mx.cidr6(), d, domain, false)) {
        return true;
      }
    }
    return false;
  }

  /** Section 5.5. */
  private boolean matchesPtr(String target, Directive d, String domain) throws Abort {
    List<String> names;
    try {
      names = dns.ptr(ip.address());
    } catch (DnsTempFailure e) {
      return false; // section 5.5: a DNS error on the PTR lookup makes the mechanism fail to match
    }
    if (names.isEmpty()) {
      countVoidLookup(d, domain);
      return false;
    }
    // Section 4.6.4: records other than the first 10 are ignored.
    int limit = Math.min(names.size(), MAX_PTR_NAMES);
    for (int i = 0; i < limit; i++) {
      String name = names.get(i);
      if (DomainNames.isWithin(name, target) && validates(name)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the PTR name {@code name} has <ip> among its addresses; DNS errors skip it (section 5.5). */
  private boolean validates(String name) {
    String n = DomainNames.targetName(name);
    if (n == null) {
      return false;
    }
    try {
      List<InetAddress> found = ip.v4 ? dns.a(n) : dns.aaaa(n);
      for (int i = 0, size = found.size(); i < size; i++) {
        if (ip.matches(found.get(i), 32, 128)) {
          return true;
        }
      }
    } catch (DnsTempFailure e) {
      return false;
    }
    return false;
  }

  /** Counts a DNS-querying term: a {@link Directive} or the redirect {@link DomainSpec}. */
  private void countDnsTerm(Object term, String domain) throws Abort {
    if (++dnsTerms > MAX_DNS_TERMS) {
      throw new Abort(AuthStatus.PERMERROR, "more than " + MAX_DNS_TERMS + " DNS-querying terms (reached at "
          + shown(term) + " in " + domain + ", RFC 7208 section 4.6.4)");
    }
  }

  /** A term for a reason text: as written, but short and printable. */
  private static String shown(Object term) {
    if (term instanceof DomainSpec redirect) {
      return "redirect=" + SpfRecord.printable(redirect.text());
    }
    return SpfRecord.printable(((Directive) term).text());
  }

  private void countVoidLookup(Directive d, String domain) throws Abort {
    if (++voidLookups > MAX_VOID_LOOKUPS) {
      throw new Abort(AuthStatus.PERMERROR, "more than " + MAX_VOID_LOOKUPS + " void DNS lookups (reached at "
          + shown(d) + " in " + domain + ", RFC 7208 section 4.6.4)");
    }
  }

  private static Abort dnsFailure(Directive d, String domain, DnsTempFailure e) {
    // Section 5: an error other than NXDOMAIN while evaluating a mechanism is temperror.
    return new Abort(AuthStatus.TEMPERROR,
        "DNS failure at " + shown(d) + " in " + domain + ": " + e.getMessage());
  }

  /**
   * The explanation for a fail (section 6.2): the exp= text of the record that failed, macro-expanded,
   * or the default explanation when there is no exp= or anything about it fails.
   */
  String explanation(Outcome failed, MacroString defaultExplanation) {
    String text = null;
    if (failed.record() != null && failed.record().explanation() != null) {
      text = fetchExplanation(failed.record().explanation(), failed.domain());
    }
    if (text == null) {
      text = defaultExplanation.expand(this, failed.domain());
    }
    return asciiExplanation(text);
  }

  private String fetchExplanation(DomainSpec spec, String domain) {
    String target = spec.targetName(this, domain);
    if (target == null) {
      return null;
    }
    List<String> txt;
    try {
      txt = dns.txt(target); // not counted toward any limit (section 4.6.4)
    } catch (DnsTempFailure e) {
      return null;
    }
    if (txt.size() != 1) {
      return null; // section 6.2: no record or more than one: as if there were no exp=
    }
    try {
      return MacroString.parse(txt.get(0), MacroString.Kind.EXPLANATION).expand(this, domain);
    } catch (SpfSyntaxException e) {
      return null;
    }
  }

  /** Section 6.2: the explanation must be US-ASCII; we also bound its length. */
  private static String asciiExplanation(String text) {
    int n = Math.min(text.length(), MAX_EXPLANATION);
    StringBuilder sb = null;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        if (sb == null) {
          sb = new StringBuilder(n).append(text, 0, i);
        }
        sb.append('?');
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb != null ? sb.toString() : n == text.length() ? text : text.substring(0, n);
  }

  @Override
  public String macroValue(char letter, String domain) {
    return switch (letter) {
      case 's' -> sender;
      case 'l' -> localPart;
      case 'o' -> senderDomain;
      case 'd' -> domain;
      case 'i' -> ip.iMacro();
      case 'p' -> validatedName(domain);
      case 'v' -> ip.vMacro();
      case 'h' -> helo;
      case 'c' -> ip.cMacro();
      case 'r' -> receivingHost;
      case 't' -> Long.toString(clock.instant().getEpochSecond());
      default -> throw new AssertionError("macro letter not checked at parse time: " + letter);
    };
  }

  /**
   * The "p" macro (section 7.3): a validated name of <ip>, preferring <domain> itself, then a
   * subdomain of it; "unknown" when there is none or DNS fails.
   */
  private String validatedName(String domain) {
    List<String> names = validatedNames();
    if (names.isEmpty()) {
      return "unknown";
    }
    for (String name : names) {
      if (name.equalsIgnoreCase(domain)) {
        return name;
      }
    }
    for (String name : names) {
      if (DomainNames.isWithin(name, domain)) {
        return name;
      }
    }
    return names.get(0);
  }

  private List<String> validatedNames() {
    if (validatedNames == null) {
      List<String> out = new ArrayList<>(2);
      try {
        List<String> names = dns.ptr(ip.address());
        int limit = Math.min(names.size(), MAX_PTR_NAMES); // section 4.6.4
        for (int i = 0; i < limit; i++) {
          if (validates(names.get(i))) {
            out.add(DomainNames.stripTrailingDot(names.get(i)));
          }
        }
      } catch (DnsTempFailure e) {
        out.clear(); // section 7.3: a DNS error gives "unknown"
      }
      validatedNames = out;
    }
    return validatedNames;
  }
}
