package dev.mailgate.dmarc;

import dev.mailgate.dns.DnsResolver;
import dev.mailgate.dns.DnsTempFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DMARC record lookups for one evaluation, and the DNS Tree Walk of RFC 9989 section 4.10. Not
 * thread-safe: one instance per evaluation. Every {@code _dmarc} name is queried at most once per
 * evaluation, a temporary failure included (it is remembered and thrown again), so the walks for the
 * Author Domain and for each Authenticated Identifier share their queries (RFC 9989 Appendix B.4.1).
 */
final class TreeWalk {
  /** RFC 9989 4.10: a walk makes at most eight queries. */
  static final int MAX_QUERIES = 8;
  /** RFC 9989 4.10 step 4: a name of eight or more labels is shortened to seven after the first query. */
  static final int SHORTENED_LABELS = 7;

  private final DnsResolver dns;
  private final DmarcMode mode;
  private final Map<String, Lookup> lookups = new HashMap<>();
  private final Map<String, DnsTempFailure> failures = new HashMap<>();
  private final Map<String, Walk> walks = new HashMap<>();

  TreeWalk(DnsResolver dns, DmarcMode mode) {
    this.dns = dns;
    this.mode = mode;
  }

  /**
   * The DMARC records at {@code _dmarc.<domain>}: TXT records not starting with v=DMARC1 are discarded
   * (RFC 9989 4.10 step 2); {@code parsed} is set only when exactly one remains.
   */
  record Lookup(String domain, int dmarcRecords, ParsedRecord parsed) {
    boolean single() {
      return dmarcRecords == 1;
    }

    DmarcRecord record() {
      return parsed == null ? null : parsed.recordOrNull();
    }
  }

  /** One record met on a walk. */
  record Found(String domain, ParsedRecord parsed) {
    DmarcRecord.Psd psd() {
      return parsed.recordOrNull().psd();
    }
  }

  /**
   * The outcome of a walk from {@code start}: the single records met, longest name first, and the
   * Organizational Domain selected from them (RFC 9989 4.10.2).
   */
  record Walk(String start, List<Found> found, String organizationalDomain) {
    Found at(String domain) {
      for (Found f : found) {
        if (f.domain().equals(domain)) {
          return f;
        }
      }
      return null;
    }

    /** The record with psd=y that ended the walk, if one did. */
    Found psdRecord() {
      Found last = found.isEmpty() ? null : found.get(found.size() - 1);
      return last != null && last.psd() == DmarcRecord.Psd.Y ? last : null;
    }
  }

  Lookup lookup(String domain) throws DnsTempFailure {
    Lookup cached = lookups.get(domain);
    if (cached != null) {
      return cached;
    }
    DnsTempFailure failed = failures.get(domain);
    if (failed != null) {
      throw failed;
    }
    String name = "_dmarc." + domain;
    Lookup result;
    if (name.length() > Domains.MAX_NAME) {
      result = new Lookup(domain, 0, null); // cannot exist in the DNS: nothing to ask
    } else {
      List<String> txts;
      try {
        txts = dns.txt(name);
      } catch (DnsTempFailure e) {
        failures.put(domain, e);
        throw e;
      }
      int count = 0;
      ParsedRecord one = null;
      for (String txt : txts) {
        ParsedRecord p = DmarcRecord.parse(txt, mode);
        if (!(p instanceof ParsedRecord.NotDmarc)) {
          count++;
          one = p;
        }
      }
      result = new Lookup(domain, count, count == 1 ? one : null);
    }
    lookups.put(domain, result);
    return result;
  }

  /**
   * The names a walk from {@code start} queries, in order (RFC 9989 4.10 steps 1-7): the name itself,
   * then, if it has eight or more labels, its last seven labels, then one label less each time.
   */
  static List<String> names(String start) {
    int n = Domains.labelCount(start);
    List<String> out = new ArrayList<>(Math.min(n, MAX_QUERIES));
    out.add(start);
    for (int k = Math.min(n - 1, SHORTENED_LABELS); k >= 1; k--) {
      out.add(Domains.suffix(start, k));
    }
    return out;
  }

  /** Walks from {@code start}, stopping at a single record with psd=y or psd=n (steps 2 and 6). */
  Walk walk(String start) throws DnsTempFailure {
    Walk cached = walks.get(start);
    if (cached != null) {
      return cached;
    }
    List<Found> found = new ArrayList<>(2);
    for (String name : names(start)) {
      Lookup l = lookup(name);
      if (l.single()) {
        Found f = new Found(name, l.parsed());
        found.add(f);
        if (f.psd() != DmarcRecord.Psd.U) {
          break;
        }
      }
    }
    Walk w = new Walk(start, List.copyOf(found), organizationalDomain(start, found));
    walks.put(start, w);
    return w;
  }

  /**
   * RFC 9989 4.10.2: from the records found, longest name first: psd=n names the Organizational Domain;
   * psd=y (other than at the start) makes it the name one label below; otherwise the record with the
   * fewest labels; with no record at all, the start itself.
   */
  static String organizationalDomain(String start, List<Found> found) {
    for (Found f : found) {
      if (f.psd() == DmarcRecord.Psd.N) {
        return f.domain();
      }
      if (f.psd() == DmarcRecord.Psd.Y && !f.domain().equals(start)) {
        return Domains.suffix(start, Domains.labelCount(f.domain()) + 1);
      }
    }
    return found.isEmpty() ? start : found.get(found.size() - 1).domain();
  }
}
