package dev.mailgate.dns;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;
import org.xbill.DNS.lookup.RedirectLoopException;
import org.xbill.DNS.lookup.RedirectOverflowException;
import org.xbill.DNS.lookup.ServerFailedException;

/**
 * The live {@link DnsResolver}: asks recursive resolvers through dnsjava's {@link LookupSession},
 * with its cache. Thread-safe and meant to live long: create one per process (one per Lambda
 * container, kept in a static field so that warm invocations reuse its cache).
 *
 * <ul>
 *   <li><b>Servers.</b> The configured list, else the system's resolvers as dnsjava's {@link
 *       ResolverConfig} finds them (/etc/resolv.conf; inside AWS Lambda or a VPC that is the Route
 *       53 Resolver). The hosts file is never consulted: mail authentication must see DNS.
 *   <li><b>Transport.</b> UDP with EDNS0; a truncated answer (TC bit) is asked again over TCP
 *       (RFC 7766 section 5), so large TXT records (long DKIM keys) arrive whole.
 *   <li><b>Time.</b> Every lookup (one name, one type, CNAMEs included) returns or fails within
 *       {@link Options#timeout()}: the attempts share that budget, and the caller stops waiting when
 *       it is spent even if a server never answers. That wait is what bounds a call: dnsjava 3.6
 *       checks its own query timeouts only when its I/O thread's select() comes back with nothing
 *       ready (after up to a second of quiet), so it may notice a lost answer late.
 *   <li><b>Names</b> are absolute whether or not they end in a dot: no search domains are ever
 *       appended. They are taken literally (a backslash is an ordinary character, not an escape), as
 *       {@link InMemoryResolver} takes them. A name that cannot exist in DNS (an empty label, a
 *       label over 63 octets, over 255 octets in all, a character above U+00FF) gives an empty list.
 *   <li><b>TXT</b> strings of one record are joined as bytes and turned into a String as
 *       ISO-8859-1: one char per byte, so nothing is lost or replaced ({@code
 *       s.getBytes(ISO_8859_1)} gives the wire bytes back). SPF, DKIM and DMARC records are
 *       US-ASCII, for which this is the same as any other reading; a record with other bytes still
 *       fails their grammars (permerror) instead of being silently repaired, which UTF-8 decoding
 *       would do (invalid sequences become U+FFFD, and a character split across two strings would
 *       be mangled).
 *   <li><b>Answers.</b> NXDOMAIN and NODATA (an empty answer or a cached negative answer) give an
 *       empty list, as {@link DnsResolver} says. SERVFAIL, a timeout, a network error, any other
 *       failed lookup, and a CNAME chain that loops or is longer than {@value #MAX_CNAME_HOPS} hops
 *       throw {@link DnsTempFailure}: a recursive resolver would answer SERVFAIL for those chains.
 *   <li><b>Host names in answers</b> (MX, PTR) come without the trailing dot, in DNS presentation
 *       format (RFC 1035 section 5.1: a dot, a backslash or a non-printable byte inside a label is
 *       escaped, which real host names never need). The null MX target "." (RFC 7505) is "".
 *   <li><b>Cache.</b> dnsjava's {@link Cache} keeps positive and negative answers (RFC 2308) for
 *       their TTL, up to {@link Options#cacheSize()} entries.
 * </ul>
 */
public final class DnsjavaResolver implements DnsResolver {
  /** CNAME hops followed before giving up, the same as {@link InMemoryResolver}. */
  static final int MAX_CNAME_HOPS = InMemoryResolver.MAX_CNAME_HOPS;

  private final LookupSession session;
  private final Cache cache;
  private final Options options;

  private DnsjavaResolver(LookupSession session, Cache cache, Options options) {
    this.session = session;
    this.cache = cache;
    this.options = options;
  }

  /** A resolver with the default options: the system's DNS servers. */
  public static DnsjavaResolver create() {
    return create(Options.defaults());
  }

  /**
   * A resolver asking the given servers, each {@code "HOST[:PORT]"} as {@link #parseServer} reads
   * it, with the other options at their defaults.
   *
   * @throws IllegalArgumentException when a server is not understood or its host name is unknown
   */
  public static DnsjavaResolver forServers(String... servers) {
    return create(Options.builder().servers(List.of(servers)).build());
  }

  /**
   * A resolver with these options. Server host names (not IP literals) are resolved now, once,
   * through the JVM's resolver.
   *
   * @throws IllegalArgumentException when a server host name cannot be resolved
   * @throws IllegalStateException when no server is configured and the system has none
   */
  public static DnsjavaResolver create(Options options) {
    List<InetSocketAddress> servers = options.servers();
    if (servers.isEmpty()) {
      servers = ResolverConfig.getCurrentConfig().servers();
      if (servers.isEmpty()) {
        throw new IllegalStateException("no DNS servers configured and none found on this system");
      }
    }
    // One attempt's share of the budget, so that all attempts at one server fit in it (with
    // several servers, the attempts that no longer fit are not made).
    Duration perAttempt = options.timeout().dividedBy(options.retries() + 1L);
    ExtendedResolver resolver = new ExtendedResolver(new Resolver[0]);
    for (InetSocketAddress server : servers) {
      SimpleResolver r = new SimpleResolver(resolved(server));
      r.setTimeout(perAttempt);
      r.setTCP(false);
      // Truncated UDP answers are asked again over TCP (RFC 7766 section 5); the default, made explicit.
      r.setIgnoreTruncation(false);
      resolver.addResolver(r);
    }
    resolver.setRetries(options.retries() + 1); // dnsjava counts attempts per server, the first included
    resolver.setTimeout(options.timeout());
    resolver.setLoadBalance(false);

    Cache cache = null;
    LookupSession.LookupSessionBuilder builder =
        LookupSession.builder()
            .resolver(resolver)
            // dnsjava gives up when the count reaches the limit, InMemoryResolver when it passes it.
            .maxRedirects(MAX_CNAME_HOPS + 1)
            // Names are always made absolute before asking, so these never apply; said anyway.
            .clearSearchPath()
            .ndots(1);
    if (options.cacheSize() > 0) {
      cache = new Cache(DClass.IN);
      cache.setMaxEntries(options.cacheSize());
      builder.cache(cache);
    }
    return new DnsjavaResolver(builder.build(), cache, options);
  }

  private static InetSocketAddress resolved(InetSocketAddress server) {
    if (!server.isUnresolved()) {
      return server;
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(server.getHostString()), server.getPort());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("DNS server host name cannot be resolved: " + server.getHostString(), e);
    }
  }

  /** The options this resolver was made with. */
  public Options options() {
    return options;
  }

  /** Forgets every cached answer (positive and negative). */
  public void clearCache() {
    if (cache != null) {
      cache.clearCache();
    }
  }

  @Override
  public List<String> txt(String name) throws DnsTempFailure {
    List<Record> records = lookup(name, Type.TXT);
    List<String> out = new ArrayList<>(records.size());
    for (Record r : records) {
      if (r instanceof TXTRecord txt) {
        out.add(joinStrings(txt.getStringsAsByteArrays()));
      }
    }
    return out;
  }

  /** The character-strings of one TXT record, concatenated (RFC 7208 section 3.3, RFC 6376 section 3.6.2.2). */
  static String joinStrings(List<byte[]> strings) {
    int length = 0;
    for (byte[] s : strings) {
      length += s.length;
    }
    byte[] joined = new byte[length];
    int at = 0;
    for (byte[] s : strings) {
      System.arraycopy(s, 0, joined, at, s.length);
      at += s.length;
    }
    return new String(joined, StandardCharsets.ISO_8859_1);
  }

  /** Asks A and AAAA at the same time; both must succeed. */
  @Override
  public List<InetAddress> addresses(String name) throws DnsTempFailure {
    Name qname = toName(name);
    if (qname == null) {
      return List.of();
    }
    long deadline = System.nanoTime() + options.timeout().toNanos();
    CompletableFuture<LookupResult> v4 = start(qname, Type.A);
    CompletableFuture<LookupResult> v6 = start(qname, Type.AAAA);
    List<Record> a = await(v4, name, Type.A, deadline);
    List<Record> aaaa = await(v6, name, Type.AAAA, deadline);
    List<InetAddress> out = new ArrayList<>(a.size() + aaaa.size());
    addAddresses(a, out);
    addAddresses(aaaa, out);
    return out;
  }

  @Override
  public List<InetAddress> a(String name) throws DnsTempFailure {
    List<Record> records = lookup(name, Type.A);
    List<InetAddress> out = new ArrayList<>(records.size());
    addAddresses(records, out);
    return out;
  }

  @Override
  public List<InetAddress> aaaa(String name) throws DnsTempFailure {
    List<Record> records = lookup(name, Type.AAAA);
    List<InetAddress> out = new ArrayList<>(records.size());
    addAddresses(records, out);
    return out;
  }

  private static void addAddresses(List<Record> records, List<InetAddress> out) {
    for (Record r : records) {
      InetAddress ip = address(r);
      if (ip != null) {
        out.add(ip);
      }
    }
  }

  /** The address of an A or AAAA record (null for other types), with no host name attached. */
  static InetAddress address(Record r) {
    try {
      // Built from the bytes: dnsjava's InetAddress carries the owner name as its host name, and
      // for an IPv4-mapped AAAA (::ffff:a.b.c.d) it would be an Inet4Address.
      if (r instanceof ARecord a) {
        return InetAddress.getByAddress(a.getAddress().getAddress());
      }
      if (r instanceof AAAARecord aaaa) {
        return Inet6Address.getByAddress(null, aaaa.rdataToWireCanonical(), -1);
      }
      return null;
    } catch (UnknownHostException e) {
      throw new AssertionError("address of a parsed record has a wrong length", e);
    }
  }

  @Override
  public List<MxHost> mx(String name) throws DnsTempFailure {
    List<Record> records = lookup(name, Type.MX);
    List<MxHost> out = new ArrayList<>(records.size());
    for (Record r : records) {
      if (r instanceof MXRecord mx) {
        out.add(new MxHost(mx.getPriority(), hostName(mx.getTarget())));
      }
    }
    return out;
  }

  @Override
  public List<String> ptr(InetAddress ip) throws DnsTempFailure {
    List<Record> records = lookup(ReverseName.of(ip), Type.PTR);
    List<String> out = new ArrayList<>(records.size());
    for (Record r : records) {
      if (r instanceof PTRRecord ptr) {
        out.add(hostName(ptr.getTarget()));
      }
    }
    return out;
  }

  /** A name from an answer as this class returns it: presentation format, no trailing dot, root as "". */
  static String hostName(Name name) {
    return name.equals(Name.root) ? "" : name.toString(true);
  }

  private List<Record> lookup(String name, int type) throws DnsTempFailure {
    Name qname = toName(name);
    if (qname == null) {
      return List.of();
    }
    long deadline = System.nanoTime() + options.timeout().toNanos();
    return await(start(qname, type), name, type, deadline);
  }

  private CompletableFuture<LookupResult> start(Name qname, int type) {
    return session.lookupAsync(qname, type).toCompletableFuture();
  }

  /** Waits for the answer until the deadline; maps dnsjava's outcomes onto the DnsResolver contract. */
  private List<Record> await(CompletableFuture<LookupResult> future, String name, int type, long deadline)
      throws DnsTempFailure {
    String query = Type.string(type) + " " + name;
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).getRecords();
    } catch (TimeoutException e) {
      throw new DnsTempFailure(name, "DNS query " + query + " timed out after " + options.timeout().toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DnsTempFailure(name, "DNS query " + query + " interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof NoSuchDomainException || cause instanceof NoSuchRRSetException) {
        return List.of(); // NXDOMAIN or NODATA: an answer, not a failure
      }
      throw new DnsTempFailure(name, "DNS query " + query + " " + describe(cause), cause);
    }
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String describe(Throwable cause) {
    if (cause instanceof ServerFailedException) {
      return "failed: SERVFAIL";
    }
    if (cause instanceof RedirectLoopException) {
      return "failed: CNAME loop";
    }
    if (cause instanceof RedirectOverflowException) {
      return "failed: CNAME chain longer than " + MAX_CNAME_HOPS;
    }
    if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
      return "timed out";
    }
    if (cause instanceof IOException) {
      return "failed: " + cause.getMessage();
    }
    return "failed: " + cause;
  }

  /**
   * The absolute DNS name for {@code name} taken literally, or null when no such name can exist.
   * Built from wire format so that no character is read as a presentation-format escape.
   */
  static Name toName(String name) {
    int end = name.endsWith(".") ? name.length() - 1 : name.length();
    if (end <= 0 || end + 2 > 255) {
      return null; // RFC 1035 section 3.1: at most 255 octets including the length octets
    }
    byte[] wire = new byte[end + 2];
    int w = 0;
    int labelStart = 0;
    for (int i = 0; i <= end; i++) {
      if (i == end || name.charAt(i) == '.') {
        int length = i - labelStart;
        if (length == 0 || length > 63) {
          return null; // RFC 1035 section 2.3.4: labels are 1 to 63 octets
        }
        wire[w++] = (byte) length;
        for (int j = labelStart; j < i; j++) {
          char c = name.charAt(j);
          if (c > 0xFF) {
            return null;
          }
          wire[w++] = (byte) c;
        }
        labelStart = i + 1;
      }
    }
    wire[w] = 0;
    try {
      return new Name(new DNSInput(wire));
    } catch (WireParseException e) {
      return null;
    }
  }

  /**
   * One server given as {@code HOST[:PORT]}: an IPv4 literal, an IPv6 literal (in brackets when a
   * port follows: {@code [2001:db8::1]:5353}; bare {@code ::1} means port 53), or a host name. The
   * port defaults to 53. IP literals never touch DNS; a host name is returned unresolved.
   *
   * @throws IllegalArgumentException naming the input and what is wrong with it
   */
  public static InetSocketAddress parseServer(String spec) {
    Objects.requireNonNull(spec, "DNS server");
    String s = spec.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("DNS server is empty");
    }
    String host;
    String port = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("DNS server '" + spec + "': missing ']' after the IPv6 address");
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("DNS server '" + spec + "': expected ':PORT' after ']'");
        }
        port = rest.substring(1);
      }
      if (host.indexOf(':') < 0 || InetAddresses.tryParse(host).isEmpty()) {
        throw new IllegalArgumentException("DNS server '" + spec + "': not an IPv6 address in brackets");
      }
    } else {
      int firstColon = s.indexOf(':');
      if (firstColon >= 0 && firstColon != s.lastIndexOf(':')) {
        host = s; // several colons and no brackets: a bare IPv6 address, default port
        if (InetAddresses.tryParse(host).isEmpty()) {
          throw new IllegalArgumentException(
              "DNS server '" + spec + "': not an IPv6 address (write [ADDRESS]:PORT to give a port)");
        }
      } else if (firstColon >= 0) {
        host = s.substring(0, firstColon);
        port = s.substring(firstColon + 1);
      } else {
        host = s;
      }
    }
    int portNumber = port == null ? SimpleResolver.DEFAULT_PORT : parsePort(spec, port);
    if (host.isEmpty()) {
      throw new IllegalArgumentException("DNS server '" + spec + "': missing host");
    }
    var ip = InetAddresses.tryParse(host);
    if (ip.isPresent()) {
      return new InetSocketAddress(ip.get(), portNumber);
    }
    if (host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')) {
      throw new IllegalArgumentException("DNS server '" + spec + "': not a valid IPv4 address");
    }
    if (!isHostName(host)) {
      throw new IllegalArgumentException("DNS server '" + spec + "': not an IP address or host name");
    }
    return InetSocketAddress.createUnresolved(host, portNumber);
  }

  /** Several servers, each as {@link #parseServer} reads it. */
  public static List<InetSocketAddress> parseServers(Collection<String> specs) {
    List<InetSocketAddress> out = new ArrayList<>(specs.size());
    for (String spec : specs) {
      out.add(parseServer(spec));
    }
    return List.copyOf(out);
  }

  private static int parsePort(String spec, String port) {
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("DNS server '" + spec + "': port '" + port + "' is not a number");
    }
    int p = Integer.parseInt(port);
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("DNS server '" + spec + "': port " + p + " is not in 1-65535");
    }
    return p;
  }

  /** Letters, digits and hyphens in dot-separated labels of 1 to 63 characters (RFC 1123 section 2.1). */
  private static boolean isHostName(String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (h.isEmpty() || h.length() > 253) {
      return false;
    }
    for (String label : h.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
        return false;
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * How a {@link DnsjavaResolver} asks. Immutable.
   *
   * @param servers where to send queries; empty means the system's resolvers
   * @param timeout the most one lookup (one name, one type, CNAMEs included) may take, all attempts
   *     together; each attempt at a server gets {@code timeout / (retries + 1)}
   * @param retries further attempts at a server after one timed out (0 to 10)
   * @param cacheSize the most cache entries (name and type) kept; 0 turns the cache off
   */
  public record Options(List<InetSocketAddress> servers, Duration timeout, int retries, int cacheSize) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(4);
    public static final int DEFAULT_RETRIES = 1;
    /** A few thousand domains' worth of SPF, DKIM and DMARC records: a few MB at most. */
    public static final int DEFAULT_CACHE_SIZE = 10_000;

    public Options {
      servers = List.copyOf(servers);
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("DNS timeout must be positive: " + timeout);
      }
      if (retries < 0 || retries > 10) {
        throw new IllegalArgumentException("DNS retries must be 0 to 10: " + retries);
      }
      if (cacheSize < 0) {
        throw new IllegalArgumentException("DNS cache size must not be negative: " + cacheSize);
      }
    }

    /** System servers, {@value #DEFAULT_RETRIES} retry, a 4-second timeout, {@value #DEFAULT_CACHE_SIZE} cache entries. */
    public static Options defaults() {
      return builder().build();
    }

    public static Builder builder() {
      return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
      Builder b = new Builder();
      b.servers = new ArrayList<>(servers);
      b.timeout = timeout;
      b.retries = retries;
      b.cacheSize = cacheSize;
      return b;
    }

    /** Builds {@link Options}; not thread-safe. */
    public static final class Builder {
      private List<InetSocketAddress> servers = new ArrayList<>();
      private Duration timeout = DEFAULT_TIMEOUT;
      private int retries = DEFAULT_RETRIES;
      private int cacheSize = DEFAULT_CACHE_SIZE;

      private Builder() {}

      /** Replaces the servers with these {@code "HOST[:PORT]"} strings; empty means the system's. */
      public Builder servers(Collection<String> specs) {
        this.servers = new ArrayList<>(parseServers(specs));
        return this;
      }

      /** Adds one server. */
      public Builder server(InetSocketAddress server) {
        this.servers.add(Objects.requireNonNull(server, "server"));
        return this;
      }

      public Builder timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
      }

      public Builder retries(int retries) {
        this.retries = retries;
        return this;
      }

      public Builder cacheSize(int cacheSize) {
        this.cacheSize = cacheSize;
        return this;
      }

      public Options build() {
        return new Options(servers, timeout, retries, cacheSize);
      }
    }
  }
}
