package dev.mailgate.dns;

import java.net.Inet4Address;
import java.net.InetAddress;

/** The in-addr.arpa / ip6.arpa owner name of an address (RFC 1035 section 3.5, RFC 3596 section 2.5). */
public final class ReverseName {
  private ReverseName() {}

  /** E.g. {@code 1.2.3.4 -> 4.3.2.1.in-addr.arpa}; IPv6 as 32 reversed nibbles under ip6.arpa. */
  public static String of(InetAddress ip) {
    byte[] b = ip.getAddress();
    StringBuilder sb = new StringBuilder(80);
    if (ip instanceof Inet4Address) {
      for (int i = b.length - 1; i >= 0; i--) {
        sb.append(b[i] & 0xff).append('.');
      }
      return sb.append("in-addr.arpa").toString();
    }
    String hex = "0123456789abcdef";
    for (int i = b.length - 1; i >= 0; i--) {
      sb.append(hex.charAt(b[i] & 0x0f)).append('.').append(hex.charAt((b[i] >> 4) & 0x0f)).append('.');
    }
    return sb.append("ip6.arpa").toString();
  }
}
