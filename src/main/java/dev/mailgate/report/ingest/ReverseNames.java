package dev.mailgate.report.ingest;

import dev.mailgate.dns.DnsResolver;
import dev.mailgate.dns.DnsTempFailure;
import dev.mailgate.dns.InetAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Records a host name for each report row's source: the PTR name of its address, kept only when that
 * name's addresses include the source again (forward-confirmed reverse DNS), since anyone controlling the
 * reverse zone of an address may name it after anyone. Reports carry no names; this is an optional
 * step ({@code mailgate report ingest --reverse-dns}). At most {@link #MAX_LOOKUPS} addresses are looked
 * up per instance; a temporary DNS failure leaves the name unset. Not thread-safe (it caches answers).
 */
public final class ReverseNames {
  public static final int MAX_LOOKUPS = 1000;

  private final DnsResolver dns;
  private final Map<String, String> cache = new HashMap<>();

  public ReverseNames(DnsResolver dns) {
    this.dns = dns;
  }

  /** The report with {@code sourceName} filled where a confirmed name was found. */
  public ReceivedReport resolve(ReceivedReport r) {
    List<ReceivedReport.Record> out = new ArrayList<>(r.records().size());
    for (ReceivedReport.Record rec : r.records()) {
      String name = rec.sourceName() == null && rec.sourceIp() != null ? name(rec.sourceIp()) : null;
      out.add(name == null ? rec : rec.withSourceName(name));
    }
    return new ReceivedReport(r.schema(), r.version(), r.metadata(), r.policy(), out, r.warnings());
  }

  /** The forward-confirmed name of an address, or null. */
  String name(String ipText) {
    if (cache.containsKey(ipText)) {
      return cache.get(ipText);
    }
    if (cache.size() >= MAX_LOOKUPS) {
      return null;
    }
    String found = null;
    InetAddress ip = InetAddresses.tryParse(ipText).orElse(null);
    if (ip != null) {
      try {
        for (String ptr : dns.ptr(ip)) {
          String host = ptr.endsWith(".") ? ptr.substring(0, ptr.length() - 1) : ptr;
          if (!host.isEmpty() && dns.addresses(host).contains(ip)) {
            found = host.toLowerCase(Locale.ROOT);
            break;
          }
        }
      } catch (DnsTempFailure e) {
        found = null; // unknown for now: not cached as "no name"
        return null;
      }
    }
    cache.put(ipText, found);
    return found;
  }
}
