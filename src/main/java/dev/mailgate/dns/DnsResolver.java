package dev.mailgate.dns;

import java.net.InetAddress;
import java.util.List;

/**
 * The narrow view of DNS that the checks need. Implementations must be safe for concurrent use.
 *
 * <p>An empty list means the name does not exist (NXDOMAIN) or has no records of that type (NODATA):
 * no check we implement treats the two differently (SPF void lookups, RFC 7208 section 4.6.4, and
 * DMARC's non-existent domains, RFC 9989, count both). Any answer that could not be obtained now (timeout, SERVFAIL, network error) is a {@link DnsTempFailure}.
 * CNAMEs are followed. Names are given without a trailing dot and are matched case-insensitively.
 */
public interface DnsResolver {

  /** TXT records at {@code name}, one string per record, the record's character-strings joined. */
  List<String> txt(String name) throws DnsTempFailure;

  /** A and AAAA records at {@code name}, IPv4 first. */
  List<InetAddress> addresses(String name) throws DnsTempFailure;

  /** Only the A records (IPv4). The default filters {@link #addresses}; resolvers may ask for A alone. */
  default List<InetAddress> a(String name) throws DnsTempFailure {
    return addresses(name).stream().filter(a -> a instanceof java.net.Inet4Address).toList();
  }

  /** Only the AAAA records (IPv6). The default filters {@link #addresses}; resolvers may ask for AAAA alone. */
  default List<InetAddress> aaaa(String name) throws DnsTempFailure {
    return addresses(name).stream().filter(a -> a instanceof java.net.Inet6Address).toList();
  }

  /** MX records at {@code name}, in the order received (callers sort by preference when they need to). */
  List<MxHost> mx(String name) throws DnsTempFailure;

  /** PTR names for {@code ip} (queried at its in-addr.arpa or ip6.arpa name), without trailing dots. */
  List<String> ptr(InetAddress ip) throws DnsTempFailure;
}
