package dev.mailgate.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * DNS data held in memory: what offline runs (a DNS fixture file), the conformance suites and the
 * benchmarks resolve against. Immutable once built and safe for concurrent use. It answers like a
 * recursive resolver would: CNAMEs are followed (at most {@value #MAX_CNAME_HOPS} hops), a name that is
 * absent or has no records of the type gives an empty list, and a name marked as timing out for a
 * type throws {@link DnsTempFailure} for that type. Every query is logged in order, so tests can
 * check what a check asked and how often.
 */
public final class InMemoryResolver implements DnsResolver {
  static final int MAX_CNAME_HOPS = 8;

  private final Map<String, Node> nodes;
  private final boolean logQueries;
  private final ConcurrentLinkedQueue<String> queryLog = new ConcurrentLinkedQueue<>();

  private InMemoryResolver(Map<String, Node> nodes, boolean logQueries) {
    this.nodes = nodes;
    this.logQueries = logQueries;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The queries made so far, oldest first, as {@code "TYPE name"} with the name lower-cased. */
  public List<String> queries() {
    return List.copyOf(queryLog);
  }

  /** Forgets the logged queries. */
  public void clearQueries() {
    queryLog.clear();
  }

  @Override
  public List<String> txt(String name) throws DnsTempFailure {
    return lookup(name, RecordType.TXT).txt;
  }

  @Override
  public List<InetAddress> addresses(String name) throws DnsTempFailure {
    List<InetAddress> out = new ArrayList<>(a(name));
    out.addAll(aaaa(name));
    return out;
  }

  @Override
  public List<InetAddress> a(String name) throws DnsTempFailure {
    return lookup(name, RecordType.A).a;
  }

  @Override
  public List<InetAddress> aaaa(String name) throws DnsTempFailure {
    return lookup(name, RecordType.AAAA).aaaa;
  }

  @Override
  public List<MxHost> mx(String name) throws DnsTempFailure {
    return lookup(name, RecordType.MX).mx;
  }

  @Override
  public List<String> ptr(InetAddress ip) throws DnsTempFailure {
    return lookup(ReverseName.of(ip), RecordType.PTR).ptr;
  }

  private Node lookup(String name, RecordType type) throws DnsTempFailure {
    String key = normalize(name);
    if (logQueries) {
      queryLog.add(type + " " + key);
    }
    for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
      Node node = nodes.get(key);
      if (node == null) {
        return Node.EMPTY;
      }
      if (node.timeout.contains(type) && !node.has(type)) {
        throw new DnsTempFailure(name, "query for " + type + " " + name + " timed out (fixture)");
      }
      if (node.servfail.contains(type) && !node.has(type)) {
        throw new DnsTempFailure(name, "SERVFAIL for " + type + " " + name + " (fixture)");
      }
      if (node.cname == null || node.has(type)) {
        return node;
      }
      key = node.cname;
    }
    throw new DnsTempFailure(name, "CNAME chain longer than " + MAX_CNAME_HOPS + " at " + name);
  }

  static String normalize(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  private static final class Node {
    static final Node EMPTY = new Node();
    final List<String> txt = new ArrayList<>();
    final List<InetAddress> a = new ArrayList<>();
    final List<InetAddress> aaaa = new ArrayList<>();
    final List<MxHost> mx = new ArrayList<>();
    final List<String> ptr = new ArrayList<>();
    final Set<RecordType> timeout = EnumSet.noneOf(RecordType.class);
    final Set<RecordType> servfail = EnumSet.noneOf(RecordType.class);
    String cname;

    boolean has(RecordType type) {
      return switch (type) {
        case TXT -> !txt.isEmpty();
        case A -> !a.isEmpty();
        case AAAA -> !aaaa.isEmpty();
        case MX -> !mx.isEmpty();
        case PTR -> !ptr.isEmpty();
      };
    }
  }

  /** Collects records; names are case-insensitive and may carry a trailing dot. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Node> nodes = new HashMap<>();
    private boolean logQueries = true;

    private Node node(String name) {
      return nodes.computeIfAbsent(normalize(name), k -> new Node());
    }

    /** Makes the name exist with no records (NODATA rather than NXDOMAIN for every type). */
    public Builder exists(String name) {
      node(name);
      return this;
    }

    /** One TXT record; its character-strings already joined. */
    public Builder txt(String name, String value) {
      node(name).txt.add(value);
      return this;
    }

    /** One A or AAAA record, by the address family of {@code ip}. */
    public Builder address(String name, InetAddress ip) {
      Node n = node(name);
      (ip instanceof Inet4Address ? n.a : n.aaaa).add(ip);
      return this;
    }

    /** One A or AAAA record from an address literal. */
    public Builder address(String name, String ipLiteral) {
      return address(name, InetAddresses.parse(ipLiteral));
    }

    public Builder mx(String name, int preference, String host) {
      node(name).mx.add(new MxHost(preference, normalize(host)));
      return this;
    }

    /** One PTR record at the reverse name of {@code ip}. */
    public Builder ptr(InetAddress ip, String host) {
      return ptr(ReverseName.of(ip), host);
    }

    /** One PTR record at an owner name given as such (e.g. {@code 4.3.2.1.in-addr.arpa}). */
    public Builder ptr(String reverseName, String host) {
      node(reverseName).ptr.add(normalize(host));
      return this;
    }

    public Builder cname(String name, String target) {
      node(name).cname = normalize(target);
      return this;
    }

    /** Queries for the name time out, for the given types (all when none given) it has no records of. */
    public Builder timeout(String name, RecordType... types) {
      node(name).timeout.addAll(types.length == 0 ? EnumSet.allOf(RecordType.class) : List.of(types));
      return this;
    }

    /** Queries for the name answer SERVFAIL, for the given types (all when none given). */
    public Builder servfail(String name, RecordType... types) {
      node(name).servfail.addAll(types.length == 0 ? EnumSet.allOf(RecordType.class) : List.of(types));
      return this;
    }

    /** Whether queries are logged (default on); benchmarks switch it off. */
    public Builder logQueries(boolean on) {
      this.logQueries = on;
      return this;
    }

    public InMemoryResolver build() {
      return new InMemoryResolver(new HashMap<>(nodes), logQueries);
    }
  }
}
