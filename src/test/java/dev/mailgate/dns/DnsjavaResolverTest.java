package dev.mailgate.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.TXTRecord;

/** DnsjavaResolver against a real DNS server on loopback (TestDnsServer), over UDP and TCP. */
class DnsjavaResolverTest {
  private static final String ZONE = """
      $ORIGIN example.test.
      $TTL 300
      spf         TXT   "v=spf1 -all"
      dkim        TXT   "v=DKIM1; k=rsa; " "p=MIGfMA0G" "CSqGSIb3"
      two         TXT   "first"
      two         TXT   "second"
      empty       TXT   ""
      latin       TXT   "caf\\195\\169" "\\255"
      split       TXT   "\\195" "\\169"
      host        A     192.0.2.1
      host        A     192.0.2.2
      host        AAAA  2001:db8::1
      v4only      A     192.0.2.3
      v6only      AAAA  2001:db8::3
      mapped      AAAA  ::ffff:192.0.2.4
      mx          MX    10 mx1.example.test.
      mx          MX    20 mx2
      nullmx      MX    0 .
      alias       CNAME host
      alias2      CNAME alias
      txtalias    CNAME spf
      dangling    CNAME nowhere
      loop1       CNAME loop2
      loop2       CNAME loop1
      self        CNAME self
      nodata      A     192.0.2.9
      1.2.0.192.in-addr.arpa.  PTR host.example.test.
      1.2.0.192.in-addr.arpa.  PTR other.example.test.
      """;

  private static TestDnsServer server;
  private static String bigTxt;

  @BeforeAll
  static void startServer() throws Exception {
    StringBuilder chain = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      chain.append("c").append(i).append(".example.test. CNAME c").append(i + 1).append(".example.test.\n");
    }
    chain.append("c12.example.test. A 192.0.2.12\n");
    server = TestDnsServer.start(ZONE + chain);

    // 20 strings of 250 octets: 5,000 characters, far over the 1,280 octets a UDP answer may have.
    List<String> strings = new ArrayList<>();
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      String s = String.valueOf((char) ('a' + i)).repeat(250);
      strings.add(s);
      all.append(s);
    }
    bigTxt = all.toString();
    server.add(new TXTRecord(Name.fromConstantString("big.example.test."), DClass.IN, 300, strings));
    for (int i = 0; i < 300; i++) {
      server.add(new ARecord(Name.fromConstantString("many.example.test."), DClass.IN, 300,
          InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i})));
    }
    server.add(new PTRRecord(Name.fromConstantString(ReverseName.of(ip("2001:db8::1")) + "."), DClass.IN, 300,
        Name.fromConstantString("host.example.test.")));
    server.blackhole("slow.example.test");
    server.servfail("broken.example.test");
    server.dropFirstUdp("flaky.example.test", 1);
    server.add(new TXTRecord(Name.fromConstantString("flaky.example.test."), DClass.IN, 300, "answered"));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private DnsjavaResolver resolver;

  @BeforeEach
  void newResolver() {
    server.followCnames(true);
    resolver = resolver(Duration.ofSeconds(5), 1, 1000);
  }

  private static DnsjavaResolver resolver(Duration timeout, int retries, int cacheSize) {
    return DnsjavaResolver.create(DnsjavaResolver.Options.builder()
        .servers(List.of(server.hostPort()))
        .timeout(timeout)
        .retries(retries)
        .cacheSize(cacheSize)
        .build());
  }

  private static InetAddress ip(String literal) {
    return InetAddresses.parse(literal);
  }

  @Test
  void txtRecordIsOneString() throws Exception {
    assertThat(resolver.txt("spf.example.test")).containsExactly("v=spf1 -all");
  }

  @Test
  void txtStringsOfOneRecordAreJoinedWithoutSeparator() throws Exception {
    assertThat(resolver.txt("dkim.example.test")).containsExactly("v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3");
  }

  @Test
  void severalTxtRecordsAreSeveralStrings() throws Exception {
    assertThat(resolver.txt("two.example.test")).containsExactlyInAnyOrder("first", "second");
  }

  @Test
  void anEmptyTxtStringIsAnEmptyRecordNotNoRecord() throws Exception {
    assertThat(resolver.txt("empty.example.test")).containsExactly("");
  }

  @Test
  void nonAsciiTxtBytesComeBackUnchangedAsIso88591() throws Exception {
    String value = resolver.txt("latin.example.test").get(0);
    assertThat(value.getBytes(StandardCharsets.ISO_8859_1))
        .containsExactly('c', 'a', 'f', 0xC3, 0xA9, 0xFF);
    assertThat(value).isEqualTo("caf\u00c3\u00a9\u00ff");
  }

  @Test
  void aMultiByteSequenceSplitAcrossStringsIsKept() throws Exception {
    assertThat(resolver.txt("split.example.test").get(0).getBytes(StandardCharsets.ISO_8859_1))
        .containsExactly(0xC3, 0xA9);
  }

  @Test
  void trailingDotAndCaseDoNotMatter() throws Exception {
    assertThat(resolver.txt("SPF.Example.Test.")).containsExactly("v=spf1 -all");
  }

  @Test
  void bigTxtIsTruncatedOverUdpAndFetchedWholeOverTcp() throws Exception {
    server.clearQueries();
    assertThat(resolver.txt("big.example.test")).containsExactly(bigTxt);
    assertThat(bigTxt).hasSize(5000);
    assertThat(server.count("udp", "TXT", "big.example.test")).isEqualTo(1);
    assertThat(server.count("tcp", "TXT", "big.example.test")).isEqualTo(1);
  }

  @Test
  void manyRecordsArriveOverTcp() throws Exception {
    List<InetAddress> all = resolver.a("many.example.test");
    assertThat(all).hasSize(300).doesNotHaveDuplicates();
    assertThat(all).contains(ip("10.0.0.0"), ip("10.0.1.43"));
  }

  @Test
  void addressesGivesIpv4First() throws Exception {
    List<InetAddress> all = resolver.addresses("host.example.test");
    assertThat(all).hasSize(3);
    assertThat(all.subList(0, 2)).containsExactlyInAnyOrder(ip("192.0.2.1"), ip("192.0.2.2"));
    assertThat(all.get(2)).isEqualTo(ip("2001:db8::1"));
  }

  @Test
  void addressesWithOnlyOneFamily() throws Exception {
    assertThat(resolver.addresses("v4only.example.test")).containsExactly(ip("192.0.2.3"));
    assertThat(resolver.addresses("v6only.example.test")).containsExactly(ip("2001:db8::3"));
  }

  @Test
  void aAndAaaaAskOnlyTheirType() throws Exception {
    server.clearQueries();
    assertThat(resolver.a("host.example.test")).containsExactlyInAnyOrder(ip("192.0.2.1"), ip("192.0.2.2"));
    assertThat(server.queries()).containsExactly("udp A host.example.test");
    server.clearQueries();
    assertThat(resolver.aaaa("host.example.test")).containsExactly(ip("2001:db8::1"));
    assertThat(server.queries()).containsExactly("udp AAAA host.example.test");
  }

  @Test
  void addressesCarryNoHostName() throws Exception {
    assertThat(resolver.a("v4only.example.test").get(0).toString()).isEqualTo("/192.0.2.3");
  }

  @Test
  void anIpv4MappedAaaaStaysIpv6() throws Exception {
    List<InetAddress> v6 = resolver.aaaa("mapped.example.test");
    assertThat(v6).hasSize(1);
    assertThat(v6.get(0)).isInstanceOf(Inet6Address.class);
    assertThat(resolver.a("mapped.example.test")).isEmpty();
  }

  @Test
  void mxGivesPreferenceAndHostWithoutTrailingDot() throws Exception {
    assertThat(resolver.mx("mx.example.test")).containsExactlyInAnyOrder(
        new MxHost(10, "mx1.example.test"), new MxHost(20, "mx2.example.test"));
  }

  @Test
  void nullMxTargetIsEmpty() throws Exception {
    assertThat(resolver.mx("nullmx.example.test")).containsExactly(new MxHost(0, ""));
  }

  @Test
  void ptrForIpv4AndIpv6() throws Exception {
    assertThat(resolver.ptr(ip("192.0.2.1"))).containsExactlyInAnyOrder("host.example.test", "other.example.test");
    assertThat(resolver.ptr(ip("2001:db8::1"))).containsExactly("host.example.test");
    assertThat(resolver.ptr(ip("192.0.2.200"))).isEmpty();
  }

  @Test
  void nxdomainIsEmpty() throws Exception {
    assertThat(resolver.txt("absent.example.test")).isEmpty();
    assertThat(resolver.addresses("absent.example.test")).isEmpty();
    assertThat(resolver.mx("absent.example.test")).isEmpty();
  }

  @Test
  void nodataIsEmpty() throws Exception {
    assertThat(resolver.txt("nodata.example.test")).isEmpty();
    assertThat(resolver.aaaa("nodata.example.test")).isEmpty();
    assertThat(resolver.a("nodata.example.test")).containsExactly(ip("192.0.2.9"));
  }

  @Test
  void servfailIsATempFailureNamingTheQuery() {
    assertThatThrownBy(() -> resolver.txt("broken.example.test"))
        .isInstanceOf(DnsTempFailure.class)
        .hasMessageContaining("TXT broken.example.test")
        .hasMessageContaining("SERVFAIL")
        .extracting(e -> ((DnsTempFailure) e).name()).isEqualTo("broken.example.test");
    assertThatThrownBy(() -> resolver.addresses("broken.example.test")).isInstanceOf(DnsTempFailure.class);
  }

  @Test
  void anUnansweredQueryFailsAfterAboutTheTimeout() {
    DnsjavaResolver quick = resolver(Duration.ofMillis(600), 1, 1000);
    long start = System.nanoTime();
    assertThatThrownBy(() -> quick.txt("slow.example.test"))
        .isInstanceOf(DnsTempFailure.class)
        .hasMessageContaining("TXT slow.example.test")
        .hasMessageContaining("timed out");
    // Generous bound: the point is that it returns, not how precisely.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(server.count("TXT", "slow.example.test")).isPositive();
  }

  @Test
  void addressesTimesOutAsOneLookup() {
    DnsjavaResolver quick = resolver(Duration.ofMillis(600), 0, 1000);
    long start = System.nanoTime();
    assertThatThrownBy(() -> quick.addresses("slow.example.test")).isInstanceOf(DnsTempFailure.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aDroppedUdpQueryIsRetried() throws Exception {
    // Each attempt gets timeout / (retries + 1) = 2 s; dnsjava notices a lost UDP answer within
    // about a second after that, which leaves room for the retry inside the 6 s.
    DnsjavaResolver patient = resolver(Duration.ofSeconds(6), 2, 0);
    assertThat(patient.txt("flaky.example.test")).containsExactly("answered");
    assertThat(server.count("udp", "TXT", "flaky.example.test")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void cnameIsFollowed() throws Exception {
    assertThat(resolver.a("alias.example.test")).containsExactlyInAnyOrder(ip("192.0.2.1"), ip("192.0.2.2"));
    assertThat(resolver.addresses("alias2.example.test")).hasSize(3);
    assertThat(resolver.txt("txtalias.example.test")).containsExactly("v=spf1 -all");
  }

  @Test
  void cnameIsFollowedByTheClientWhenTheServerDoesNot() throws Exception {
    server.followCnames(false);
    server.clearQueries();
    assertThat(resolver.a("alias2.example.test")).containsExactlyInAnyOrder(ip("192.0.2.1"), ip("192.0.2.2"));
    assertThat(server.queries()).containsExactly(
        "udp A alias2.example.test", "udp A alias.example.test", "udp A host.example.test");
  }

  @Test
  void cnameToNothingIsEmpty() throws Exception {
    assertThat(resolver.txt("dangling.example.test")).isEmpty();
    server.followCnames(false);
    assertThat(resolver(Duration.ofSeconds(5), 0, 0).txt("dangling.example.test")).isEmpty();
  }

  @ParameterizedTest(name = "CNAME loop at {0} -> temp failure")
  @ValueSource(strings = {"loop1.example.test", "self.example.test"})
  void cnameLoopIsATempFailure(String name) {
    assertThatThrownBy(() -> resolver.txt(name))
        .isInstanceOf(DnsTempFailure.class).hasMessageContaining("CNAME");
    server.followCnames(false);
    assertThatThrownBy(() -> resolver(Duration.ofSeconds(5), 0, 0).txt(name))
        .isInstanceOf(DnsTempFailure.class).hasMessageContaining("CNAME");
  }

  @ParameterizedTest(name = "server follows CNAMEs: {0}")
  @ValueSource(booleans = {true, false})
  void cnameChainOfEightHopsIsFollowedAndNineIsTooLong(boolean serverFollows) throws Exception {
    server.followCnames(serverFollows);
    DnsjavaResolver fresh = resolver(Duration.ofSeconds(5), 0, 0);
    // c4 -> c5 -> ... -> c12: eight hops, the most InMemoryResolver follows too.
    assertThat(fresh.a("c4.example.test")).containsExactly(ip("192.0.2.12"));
    assertThatThrownBy(() -> fresh.a("c3.example.test"))
        .isInstanceOf(DnsTempFailure.class).hasMessageContaining("CNAME chain longer than 8");
  }

  @Test
  void secondIdenticalQueryIsAnsweredFromTheCache() throws Exception {
    server.clearQueries();
    assertThat(resolver.txt("spf.example.test")).containsExactly("v=spf1 -all");
    assertThat(resolver.txt("spf.example.test")).containsExactly("v=spf1 -all");
    assertThat(server.count("TXT", "spf.example.test")).isEqualTo(1);
  }

  @Test
  void negativeAnswersAreCachedToo() throws Exception {
    server.clearQueries();
    assertThat(resolver.txt("absent.example.test")).isEmpty();
    assertThat(resolver.txt("absent.example.test")).isEmpty();
    assertThat(resolver.txt("nodata.example.test")).isEmpty();
    assertThat(resolver.txt("nodata.example.test")).isEmpty();
    assertThat(server.count("TXT", "absent.example.test")).isEqualTo(1);
    assertThat(server.count("TXT", "nodata.example.test")).isEqualTo(1);
  }

  @Test
  void withoutCacheEveryQueryIsSent() throws Exception {
    DnsjavaResolver uncached = resolver(Duration.ofSeconds(5), 0, 0);
    server.clearQueries();
    uncached.txt("spf.example.test");
    uncached.txt("spf.example.test");
    assertThat(server.count("TXT", "spf.example.test")).isEqualTo(2);
  }

  @Test
  void clearCacheForgetsAnswers() throws Exception {
    server.clearQueries();
    resolver.txt("spf.example.test");
    resolver.clearCache();
    resolver.txt("spf.example.test");
    assertThat(server.count("TXT", "spf.example.test")).isEqualTo(2);
  }

  @Test
  void servfailIsNotCached() {
    server.clearQueries();
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> resolver.txt("broken.example.test")).isInstanceOf(DnsTempFailure.class);
    }
    assertThat(server.count("TXT", "broken.example.test")).isEqualTo(2);
  }

  @ParameterizedTest(name = "name that cannot exist: \"{0}\" -> empty, nothing sent")
  @ValueSource(strings = {"", ".", "a..example.test", ".example.test", "example.test..", "caf\u00e9\u4e2d.example.test"})
  void namesThatCannotExistAreEmptyWithoutAQuery(String name) throws Exception {
    server.clearQueries();
    assertThat(resolver.txt(name)).isEmpty();
    assertThat(resolver.addresses(name)).isEmpty();
    assertThat(server.queries()).isEmpty();
  }

  @Test
  void tooLongLabelsAndNamesAreEmpty() throws Exception {
    server.clearQueries();
    assertThat(resolver.txt("x".repeat(64) + ".example.test")).isEmpty();
    String longName = ("a".repeat(63) + ".").repeat(4) + "test"; // 4 * 64 + 4 + 2 octets > 255
    assertThat(resolver.txt(longName)).isEmpty();
    assertThat(server.queries()).isEmpty();
    assertThat(resolver.txt("x".repeat(63) + ".example.test")).isEmpty(); // legal, asked: NXDOMAIN
    assertThat(server.queries()).hasSize(1);
  }

  @Test
  void aBackslashIsAnOrdinaryCharacterNotAnEscape() throws Exception {
    server.clearQueries();
    assertThat(resolver.txt("spf\\.example.test")).isEmpty();
    // Taken as escape, "spf\.example.test" would be the two labels "spf.example" and "test".
    assertThat(server.queries()).hasSize(1);
    assertThat(DnsjavaResolver.toName("spf\\.example.test").labels()).isEqualTo(4);
    assertThat(DnsjavaResolver.toName("spf\\.example.test").getLabel(0)).containsExactly(4, 's', 'p', 'f', '\\');
  }

  @Test
  void namesAreNeverSuffixedWithASearchDomain() throws Exception {
    server.clearQueries();
    resolver.txt("localhost");
    resolver.txt("example");
    assertThat(server.queries()).containsExactly("udp TXT localhost", "udp TXT example");
  }

  @Test
  void concurrentCallersGetTheirOwnAnswers() throws Exception {
    DnsjavaResolver shared = resolver(Duration.ofSeconds(5), 1, 0);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        int n = i;
        results.add(pool.submit(() -> switch (n % 4) {
          case 0 -> shared.txt("spf.example.test").equals(List.of("v=spf1 -all"));
          case 1 -> shared.a("v4only.example.test").equals(List.of(ip("192.0.2.3")));
          case 2 -> shared.mx("nullmx.example.test").equals(List.of(new MxHost(0, "")));
          default -> shared.txt("big.example.test").equals(List.of(bigTxt));
        }));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void callersOnTheCommonPoolDoNotStarveIt() throws Exception {
    // dnsjava completes its futures on the common pool; callers blocked there must not stop that.
    DnsjavaResolver shared = resolver(Duration.ofSeconds(5), 0, 0);
    List<CompletableFuture<List<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 4 * Runtime.getRuntime().availableProcessors() + 4; i++) {
      calls.add(CompletableFuture.supplyAsync(() -> {
        try {
          return shared.txt("spf.example.test");
        } catch (DnsTempFailure e) {
          return List.of("failed: " + e.getMessage());
        }
      }));
    }
    for (var call : calls) {
      assertThat(call.get()).containsExactly("v=spf1 -all");
    }
  }

  @Test
  void optionsAreKept() {
    DnsjavaResolver.Options options = DnsjavaResolver.Options.builder()
        .servers(List.of("192.0.2.53", "[2001:db8::53]:5353"))
        .timeout(Duration.ofSeconds(2)).retries(3).cacheSize(7).build();
    assertThat(DnsjavaResolver.create(options).options()).isEqualTo(options);
    assertThat(options.toBuilder().retries(0).build())
        .isEqualTo(new DnsjavaResolver.Options(options.servers(), Duration.ofSeconds(2), 0, 7));
  }

  @Test
  void defaultOptionsUseTheSystemServers() {
    DnsjavaResolver.Options defaults = DnsjavaResolver.Options.defaults();
    assertThat(defaults.servers()).isEmpty();
    assertThat(defaults.timeout()).isEqualTo(DnsjavaResolver.Options.DEFAULT_TIMEOUT);
    assertThat(defaults.cacheSize()).isEqualTo(DnsjavaResolver.Options.DEFAULT_CACHE_SIZE);
  }

  @Nested
  class OptionValidation {
    @Test
    void timeoutMustBePositive() {
      assertThatThrownBy(() -> DnsjavaResolver.Options.builder().timeout(Duration.ZERO).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    @Test
    void retriesAreBounded() {
      assertThatThrownBy(() -> DnsjavaResolver.Options.builder().retries(-1).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retries");
      assertThatThrownBy(() -> DnsjavaResolver.Options.builder().retries(11).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retries");
    }

    @Test
    void cacheSizeMustNotBeNegative() {
      assertThatThrownBy(() -> DnsjavaResolver.Options.builder().cacheSize(-1).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cache");
    }
  }
}
