package dev.mailgate.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading DNS servers given as "HOST[:PORT]" (the --dns option, the server list in the configuration). */
class DnsServerSpecTest {

  @ParameterizedTest(name = "\"{0}\" -> {1} port {2}")
  @CsvSource(delimiter = '|', value = {
      "192.0.2.53           | 192.0.2.53     | 53",
      "192.0.2.53:5353      | 192.0.2.53     | 5353",
      "' 192.0.2.53:53 '    | 192.0.2.53     | 53",
      "[::1]:5353           | 0:0:0:0:0:0:0:1 | 5353",
      "[2001:db8::53]       | 2001:db8:0:0:0:0:0:53 | 53",
      "2001:db8::53         | 2001:db8:0:0:0:0:0:53 | 53",
      "::1                  | 0:0:0:0:0:0:0:1 | 53",
      "127.0.0.1:65535      | 127.0.0.1      | 65535",
  })
  void ipLiterals(String spec, String address, int port) {
    InetSocketAddress parsed = DnsjavaResolver.parseServer(spec);
    assertThat(parsed.isUnresolved()).isFalse();
    assertThat(parsed.getAddress().getHostAddress()).isEqualTo(address);
    assertThat(parsed.getPort()).isEqualTo(port);
  }

  @ParameterizedTest(name = "\"{0}\" -> host name {1} port {2}, not resolved")
  @CsvSource(delimiter = '|', value = {
      "dns.example.test          | dns.example.test | 53",
      "dns.example.test:5300     | dns.example.test | 5300",
      "resolver-1.example.test.  | resolver-1.example.test. | 53",
  })
  void hostNamesAreLeftUnresolved(String spec, String host, int port) {
    InetSocketAddress parsed = DnsjavaResolver.parseServer(spec);
    assertThat(parsed.isUnresolved()).isTrue();
    assertThat(parsed.getHostString()).isEqualTo(host);
    assertThat(parsed.getPort()).isEqualTo(port);
  }

  @ParameterizedTest(name = "\"{0}\" -> IllegalArgumentException mentioning \"{1}\"")
  @CsvSource(delimiter = '|', value = {
      "''                   | empty",
      "'   '                | empty",
      "192.0.2.53:          | port '' is not a number",
      "192.0.2.53:x         | port 'x' is not a number",
      "192.0.2.53:0         | port 0 is not in 1-65535",
      "192.0.2.53:65536     | port 65536 is not in 1-65535",
      "192.0.2.53:123456    | port '123456' is not a number",
      "192.0.2.53:-1        | port '-1' is not a number",
      "192.0.2.256          | not a valid IPv4 address",
      "1.2.3                | not a valid IPv4 address",
      "[::1                 | missing ']'",
      "[::1]x               | expected ':PORT'",
      "[192.0.2.1]:53       | not an IPv6 address in brackets",
      "[zz::1]:53           | not an IPv6 address in brackets",
      "2001:db8::zz         | not an IPv6 address",
      ":53                  | missing host",
      "dns server           | not an IP address or host name",
      "-dns.example.test    | not an IP address or host name",
      "a..b                 | not an IP address or host name",
      "dns_1.example.test   | not an IP address or host name",
      "udp://192.0.2.1      | is not a number",
  })
  void garbageIsRejectedWithTheInputInTheMessage(String spec, String why) {
    assertThatThrownBy(() -> DnsjavaResolver.parseServer(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why)
        .hasMessageContaining(spec.strip().isEmpty() ? "DNS server" : "'" + spec + "'");
  }

  @Test
  void aListKeepsItsOrder() {
    assertThat(DnsjavaResolver.parseServers(List.of("192.0.2.2", "[::1]:54", "192.0.2.1:55")))
        .extracting(InetSocketAddress::getPort).containsExactly(53, 54, 55);
  }

  @Test
  void oneBadEntrySpoilsTheList() {
    assertThatThrownBy(() -> DnsjavaResolver.parseServers(List.of("192.0.2.2", "nonsense:port")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nonsense:port'");
  }
}
