package dev.mailgate.spf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.dns.InetAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Address literals and CIDR matching of RFC 7208 section 5.6 (and section 5 for the a/mx comparisons). */
class CidrTest {

  private static boolean matchesIp4(String client, String network, int prefix) {
    Integer bits = IpLiterals.parseIp4(network);
    assertThat(bits).as(network).isNotNull();
    ClientIp ip = ClientIp.of(InetAddresses.parse(client));
    return ip.v4 && ip.inNetwork4(bits & IpLiterals.mask4(prefix), prefix);
  }

  private static boolean matchesIp6(String client, String network, int prefix) {
    long[] bits = IpLiterals.parseIp6(network);
    assertThat(bits).as(network).isNotNull();
    ClientIp ip = ClientIp.of(InetAddresses.parse(client));
    return !ip.v4 && ip.inNetwork6(bits[0], bits[1], prefix);
  }

  @ParameterizedTest(name = "RFC 7208 5.6: {0} in ip4:{1}/{2} -> {3}")
  @CsvSource({
      "192.0.2.1, 192.0.2.1, 32, true",
      "192.0.2.2, 192.0.2.1, 32, false",
      "192.0.2.200, 192.0.2.0, 24, true",
      "192.0.3.1, 192.0.2.0, 24, false",
      "192.0.3.1, 192.0.2.0, 23, true",
      "10.255.255.255, 10.0.0.0, 8, true",
      "11.0.0.0, 10.0.0.0, 8, false",
      "203.0.113.9, 1.1.1.1, 0, true",
      "128.0.0.1, 0.0.0.0, 1, false",
      "127.255.255.255, 0.0.0.0, 1, true",
      "255.255.255.255, 255.255.255.254, 31, true",
      "::ffff:192.0.2.1, 192.0.2.0, 24, true",
  })
  void ip4(String client, String network, int prefix, boolean match) {
    assertThat(matchesIp4(client, network, prefix)).isEqualTo(match);
  }

  @ParameterizedTest(name = "RFC 7208 5.6: {0} in ip6:{1}/{2} -> {3}")
  @CsvSource({
      "2001:db8::1, 2001:db8::1, 128, true",
      "2001:db8::2, 2001:db8::1, 128, false",
      "2001:db8::2, 2001:db8::1, 127, false",
      "2001:db8::1, 2001:db8::, 127, true",
      "2001:db8:ffff::1, 2001:db8::, 32, true",
      "2001:db9::1, 2001:db8::, 32, false",
      "2001:db8:0:0:ffff::, 2001:db8::, 64, true",
      "2001:db8:0:1::, 2001:db8::, 64, false",
      "2001:db8::8000:0:0:0, 2001:db8::, 65, false",
      "2001:db8::7fff:0:0:0, 2001:db8::, 65, true",
      "cafe:babe:8000::, Cafe:Babe:8000::, 33, true",
      "cafe:babe:7fff::, Cafe:Babe:8000::, 33, false",
      "deaf:babe::cab:fee, ::1.1.1.1, 0, true",
      "::1, ::, 127, true",
  })
  void ip6(String client, String network, int prefix, boolean match) {
    assertThat(matchesIp6(client, network, prefix)).isEqualTo(match);
  }

  @Test
  void ipv4MappedClientIsIpv4() throws Exception {
    // RFC 7208 section 5: IPv4-mapped clients use A records and are listed with ip4 only.
    byte[] mapped = InetAddresses.parse("2001:db8::1").getAddress();
    java.util.Arrays.fill(mapped, (byte) 0);
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 192;
    mapped[14] = 2;
    mapped[15] = 1;
    InetAddress explicit = Inet6Address.getByAddress(null, mapped, -1);
    ClientIp ip = ClientIp.of(explicit);
    assertThat(ip.v4).isTrue();
    assertThat(ip.cMacro()).isEqualTo("192.0.2.1");
    assertThat(ip.matches(InetAddresses.parse("192.0.2.1"), 32, 128)).isTrue();
    assertThat(ip.matches(explicit, 32, 0)).isFalse();
  }

  @Test
  void addressComparisonsUseTheClientFamily() {
    ClientIp v4 = ClientIp.of(InetAddresses.parse("192.0.2.10"));
    assertThat(v4.matches(InetAddresses.parse("192.0.2.99"), 24, 128)).isTrue();
    assertThat(v4.matches(InetAddresses.parse("192.0.2.99"), 32, 0)).isFalse();
    assertThat(v4.matches(InetAddresses.parse("2001:db8::1"), 0, 0)).isFalse();
    ClientIp v6 = ClientIp.of(InetAddresses.parse("2001:db8::10"));
    assertThat(v6.matches(InetAddresses.parse("2001:db8::99"), 32, 64)).isTrue();
    assertThat(v6.matches(InetAddresses.parse("2001:db8::99"), 0, 128)).isFalse();
    assertThat(v6.matches(InetAddresses.parse("192.0.2.10"), 0, 0)).isFalse();
  }

  @ParameterizedTest(name = "RFC 4291 2.2: {0} -> {1}")
  @CsvSource({
      "::, ::",
      "::1, ::1",
      "1::, 1::",
      "2001:DB8::CB01, 2001:db8::cb01",
      "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
      "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
      "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
      "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
      "::1.2.3.4, ::102:304",
      "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304",
      "fe80::, fe80::",
      "1:0:0:0:0:0:0:0, 1::",
  })
  void ip6LiteralsAndRfc5952Text(String literal, String rfc5952) {
    long[] bits = IpLiterals.parseIp6(literal);
    assertThat(bits).isNotNull();
    assertThat(IpLiterals.parseIp6(rfc5952)).containsExactly(bits);
    // The "c" macro shows IPv6 clients in the RFC 5952 form.
    if (!literal.startsWith("::1.2") && !literal.contains(".")) {
      assertThat(ClientIp.of(InetAddresses.parse(literal)).cMacro()).isEqualTo(rfc5952);
    }
  }

  @ParameterizedTest(name = "RFC 7208 5.6: ip6-network {0} is invalid")
  @ValueSource(strings = {"", ":", ":::", "1:::2", "1::2::3", ":1::", "1::2:", "12345::", "g::1",
      "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8:9", "1:2:3:4:5:6:7:8::", "::1.2.3", "::1.2.3.4.5",
      "::01.2.3.4", "1.2.3.4::", "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4", "2001:db8::1%1", "[::1]", " ::1"})
  void invalidIp6Literals(String literal) {
    assertThat(IpLiterals.parseIp6(literal)).isNull();
  }

  @ParameterizedTest(name = "RFC 7208 5.6: ip4-network {0} is invalid")
  @ValueSource(strings = {"", "1", "1.2.3", "1.2.3.4.", ".1.2.3.4", "1..2.3", "1.2.3.256", "01.2.3.4", "1.2.3.04",
      "1.2.3.4 ", "0x1.2.3.4", "1.2.3.-4", "1111.2.3.4", "a.b.c.d", "1.2.3.4/24"})
  void invalidIp4Literals(String literal) {
    assertThat(IpLiterals.parseIp4(literal)).isNull();
  }

  @ParameterizedTest(name = "RFC 7208 5.6: ip4-network {0} is valid")
  @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "192.0.2.0", "10.0.0.1", "100.200.250.199"})
  void validIp4Literals(String literal) {
    Integer bits = IpLiterals.parseIp4(literal);
    assertThat(bits).isNotNull();
    assertThat(ClientIp.of(InetAddresses.parse(literal)).bits4).isEqualTo(bits);
  }
}
