package dev.mailgate.bench;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.dns.InetAddresses;
import dev.mailgate.spf.SpfChecker;
import dev.mailgate.spf.SpfResult;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * check_host() throughput for a large sender's record set, DNS answered from memory (query log off),
 * so this measures parsing-cache lookups, evaluation and result building, not the network.
 *
 * <p>example.com includes _spf.example.com, which includes three more levels (_spf2, _spf3, _spf4),
 * each with 10-20 ip4 ranges and a few ip6 ranges. The passing clients match in the deepest level, so
 * every ip4/ip6 term of every level is compared first; the failing client matches nothing and falls
 * through to -all in example.com.
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main SpfBenchmark -f 1 -wi 3 -i 5 -t 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SpfBenchmark {
  private SpfChecker checker;
  private InetAddress passIpv4;
  private InetAddress passIpv6;
  private InetAddress failIpv4;

  @Setup
  public void setUp() {
    InMemoryResolver dns = InMemoryResolver.builder()
        .logQueries(false)
        .txt("example.com", "v=spf1 include:_spf.example.com -all")
        .txt("example.com", "google-site-verification=0123456789abcdef")
        .txt("example.com", "MS=ms12345678")
        .txt("_spf.example.com", level(15, 10, 3, "include:_spf2.example.com ~all"))
        .txt("_spf2.example.com", level(20, 40, 2, "include:_spf3.example.com ~all"))
        .txt("_spf3.example.com", level(12, 80, 4, "include:_spf4.example.com ?all"))
        .txt("_spf4.example.com", level(18, 120, 3, "ip4:203.0.113.0/24 ip6:2001:db8:cafe::/48 ~all"))
        .build();
    checker = SpfChecker.builder(dns).build();
    passIpv4 = InetAddresses.parse("203.0.113.77");
    passIpv6 = InetAddresses.parse("2001:db8:cafe:1::25");
    failIpv4 = InetAddresses.parse("192.0.2.99");
    expect(checkPassIpv4(), AuthStatus.PASS);
    expect(checkPassIpv6(), AuthStatus.PASS);
    expect(checkFailThroughAll(), AuthStatus.FAIL);
  }

  /** A record with {@code ip4s} ip4 ranges from 10.{first}.0.0/16 on, {@code ip6s} ip6 ranges, then {@code end}. */
  private static String level(int ip4s, int first, int ip6s, String end) {
    StringBuilder sb = new StringBuilder("v=spf1");
    for (int i = 0; i < ip4s; i++) {
      sb.append(" ip4:10.").append(first + i).append(i % 3 == 0 ? ".0.0/16" : ".12.0/22");
    }
    for (int i = 0; i < ip6s; i++) {
      sb.append(" ip6:2001:db8:").append(Integer.toHexString(0x100 + first + i)).append("::/48");
    }
    return sb.append(' ').append(end).toString();
  }

  private static void expect(SpfResult r, AuthStatus status) {
    if (r.status() != status) {
      throw new IllegalStateException("benchmark data gives " + r + ", expected " + status);
    }
  }

  @Benchmark
  public SpfResult checkPassIpv4() {
    return checker.checkHost(passIpv4, "example.com", "bounce@example.com", "mail.example.com");
  }

  @Benchmark
  public SpfResult checkPassIpv6() {
    return checker.checkHost(passIpv6, "example.com", "bounce@example.com", "mail.example.com");
  }

  @Benchmark
  public SpfResult checkFailThroughAll() {
    return checker.checkHost(failIpv4, "example.com", "bounce@example.com", "mail.example.com");
  }
}
