package dev.mailgate.spf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The <ip> argument of check_host() in the forms evaluation needs: bits for CIDR comparison and the
 * texts of the i, c and v macros. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is taken as the IPv4
 * address: RFC 7208 section 5 has such clients fetch A records and be listed with ip4 only. Belongs
 * to one evaluation: the macro texts are computed lazily without synchronization.
 */
final class ClientIp {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  final InetAddress address;
  final boolean v4;
  final int bits4;
  final long hi;
  final long lo;
  private String iMacro;
  private String cMacro;

  private ClientIp(InetAddress address, boolean v4, int bits4, long hi, long lo) {
    this.address = address;
    this.v4 = v4;
    this.bits4 = bits4;
    this.hi = hi;
    this.lo = lo;
  }

  static ClientIp of(InetAddress ip) {
    byte[] b = ip.getAddress();
    if (b.length == 4) {
      return new ClientIp(ip, true, toInt(b, 0), 0, 0);
    }
    if (isIpv4Mapped(b)) {
      byte[] four = {b[12], b[13], b[14], b[15]};
      try {
        return new ClientIp(InetAddress.getByAddress(four), true, toInt(b, 12), 0, 0);
      } catch (UnknownHostException e) {
        throw new AssertionError(e); // four bytes are always a valid length
      }
    }
    return new ClientIp(ip, false, 0, toLong(b, 0), toLong(b, 8));
  }

  private static boolean isIpv4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  /** Whether {@code other} (an A or AAAA answer) equals this address in its top {@code prefix} bits. */
  boolean matches(InetAddress other, int cidr4, int cidr6) {
    byte[] b = other.getAddress();
    if (v4) {
      if (b.length != 4) {
        return false;
      }
      int mask = IpLiterals.mask4(cidr4);
      return (toInt(b, 0) & mask) == (bits4 & mask);
    }
    if (b.length != 16 || other instanceof Inet4Address) {
      return false;
    }
    return inNetwork6(toLong(b, 0), toLong(b, 8), cidr6);
  }

  /** Whether this IPv6 address lies in {@code hi:lo/prefix}. */
  boolean inNetwork6(long netHi, long netLo, int prefix) {
    long maskHi = IpLiterals.mask64(prefix);
    long maskLo = IpLiterals.mask64(prefix - 64);
    return ((hi ^ netHi) & maskHi) == 0 && ((lo ^ netLo) & maskLo) == 0;
  }

  /** Whether this IPv4 address lies in {@code network/prefix}. */
  boolean inNetwork4(int network, int prefix) {
    int mask = IpLiterals.mask4(prefix);
    return (bits4 & mask) == (network & mask);
  }

  /** The "i" macro (RFC 7208 section 7.3): dotted quad, or 32 dot-separated lower-case nibbles. */
  String iMacro() {
    String s = iMacro;
    if (s == null) {
      if (v4) {
        s = dottedQuad();
      } else {
        StringBuilder sb = new StringBuilder(63);
        appendNibbles(sb, hi);
        sb.append('.');
        appendNibbles(sb, lo);
        s = sb.toString();
      }
      iMacro = s;
    }
    return s;
  }

  /** The "c" macro: dotted quad, or the RFC 5952 recommended IPv6 text form. */
  String cMacro() {
    String s = cMacro;
    if (s == null) {
      s = v4 ? dottedQuad() : dev.mailgate.dns.InetAddresses.text(address);
      cMacro = s;
    }
    return s;
  }

  /** The "v" macro. */
  String vMacro() {
    return v4 ? "in-addr" : "ip6";
  }

  /** For reasons and logs: the same as the c macro. */
  @Override
  public String toString() {
    return cMacro();
  }

  private String dottedQuad() {
    return ((bits4 >>> 24) & 0xff) + "." + ((bits4 >>> 16) & 0xff) + "." + ((bits4 >>> 8) & 0xff) + "."
        + (bits4 & 0xff);
  }

  private static void appendNibbles(StringBuilder sb, long v) {
    for (int shift = 60; shift >= 0; shift -= 4) {
      sb.append(HEX[(int) (v >>> shift) & 0xf]);
      if (shift > 0) {
        sb.append('.');
      }
    }
  }

  /** RFC 5952 section 4: lower case, no leading zeros, the longest run (2+) of zero groups as "::". */
  /** The address for a PTR query; an IPv6 object for IPv6 clients, IPv4 otherwise. */
  InetAddress address() {
    return address;
  }

  private static int toInt(byte[] b, int off) {
    return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
  }

  private static long toLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

}
