package dev.mailgate.dmarc;

import static dev.mailgate.dmarc.Fixture.c;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.authres.AuthStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The evaluator's entry points: Author Domain handling, the result's shape, PSL loading, threads. */
class DmarcEvaluatorTest {

  @ParameterizedTest(name = "RFC 9989 5.3.1: unusable Author Domain ''{0}'' -> permerror, no DNS")
  @CsvSource(quoteCharacter = '`', value = {"``", "`   `", "[192.0.2.1]", "a..example.com", "-", "exa mple.com"})
  void rfc9989_5_3_1_unusableAuthorDomain(String author) {
    var dns = Fixture.resolver(List.of("TXT _dmarc.example.com v=DMARC1; p=reject"));
    DmarcResult r = new DmarcEvaluator(dns).evaluate(author.equals("-") ? null : author, null, List.of(), null);
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(r.domain()).isNull();
    assertThat(r.disposition()).isEqualTo(Disposition.NONE);
    assertThat(r.reason()).startsWith("no usable Author Domain");
    assertThat(dns.queries()).isEmpty();
  }

  @Test
  void rfc9989_5_3_1_unusableAuthorDomainFromTheFromParser() {
    DmarcResult r = new DmarcEvaluator(Fixture.resolver(List.of()))
        .evaluate(AuthorDomain.unusable("2 From: header fields"), null, null, null);
    assertThat(r.status()).isEqualTo(AuthStatus.PERMERROR);
    assertThat(r.reason()).isEqualTo("no usable Author Domain: 2 From: header fields");
  }

  @Test
  void authorDomainIsNormalized() {
    assertThat(AuthorDomain.of("MAIL.Example.COM.")).isEqualTo(new AuthorDomain.Usable("mail.example.com"));
    assertThat(AuthorDomain.of("münchen.example")).isEqualTo(new AuthorDomain.Usable("xn--mnchen-3ya.example"));
    assertThat(AuthorDomain.of("a".repeat(64) + ".example")).isInstanceOf(AuthorDomain.Unusable.class);
  }

  @Test
  void rfc9989_9_1_resultCarriesWhatTheHeaderAndReportsNeed() {
    DmarcResult r = c("shape")
        .zone("TXT _dmarc.example.com v=DMARC1; p=reject; sp=quarantine; rua=mailto:agg@example.com; fo=1")
        .author("news.example.com").spfPass("bounces.example.com").dkimPass("example.com").check();
    assertThat(r.status()).isEqualTo(AuthStatus.PASS);
    assertThat(r.domain()).isEqualTo("news.example.com"); // header.from
    assertThat(r.policyDomain()).isEqualTo("example.com"); // policy_published/domain
    assertThat(r.organizationalDomain()).isEqualTo("example.com");
    assertThat(r.policyTag()).isEqualTo(PolicyTag.SP);
    assertThat(r.policy()).isEqualTo(Policy.QUARANTINE);
    assertThat(r.policyDmarc()).isEqualTo("quarantine"); // policy.dmarc
    assertThat(r.disposition()).isEqualTo(Disposition.NONE);
    assertThat(r.spfAligned()).isTrue();
    assertThat(r.dkimAligned()).isTrue();
    assertThat(r.alignedDkimDomain()).isEqualTo("example.com");
    assertThat(r.record().rua()).extracting(ReportUri::mailbox).containsExactly("agg@example.com");
    assertThat(r.record().fo()).isEqualTo("1");
    assertThat(r.mode().discoveryMethod()).isEqualTo("treewalk");
    assertThat(r.override()).isNull();
    assertThat(r.enforced()).isFalse();
  }

  @Test
  void rfc9989_modeNeverLoadsThePublicSuffixList() {
    AtomicInteger loads = new AtomicInteger();
    DmarcEvaluator ev = new DmarcEvaluator(Fixture.resolver(List.of("TXT _dmarc.example.com v=DMARC1; p=reject")),
        DmarcOptions.defaults().withPublicSuffixList(() -> {
          loads.incrementAndGet();
          throw new AssertionError("PSL loaded in RFC 9989 mode");
        }));
    ev.preload();
    ev.evaluate("a.example.com", Fixture.spf(AuthStatus.PASS, "b.example.com"), List.of(DkimIdentifier.pass("example.net", "s")), null);
    assertThat(loads).hasValue(0);
  }

  @Test
  void rfc7489_modeLoadsThePublicSuffixListOnceAndLazily() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    DmarcEvaluator ev = new DmarcEvaluator(Fixture.resolver(List.of("TXT _dmarc.example.com v=DMARC1; p=reject")),
        DmarcOptions.rfc7489().withPublicSuffixList(() -> {
          loads.incrementAndGet();
          return Fixture.psl();
        }));
    assertThat(loads).hasValue(0); // not at construction: cold start stays free of it
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<DmarcResult>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        results.add(pool.submit(() -> ev.evaluate("a.example.com", null, List.of(), null)));
      }
      for (Future<DmarcResult> f : results) {
        assertThat(f.get().status()).isEqualTo(AuthStatus.FAIL);
        assertThat(f.get().policyDomain()).isEqualTo("example.com");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(loads).hasValue(1);
  }

  @Test
  void preloadLoadsThePublicSuffixListInRfc7489Mode() {
    AtomicInteger loads = new AtomicInteger();
    DmarcEvaluator ev = new DmarcEvaluator(Fixture.resolver(List.of()),
        DmarcOptions.rfc7489().withPublicSuffixList(() -> {
          loads.incrementAndGet();
          return Fixture.psl();
        }));
    ev.preload();
    ev.preload();
    assertThat(loads).hasValue(1);
  }

  @Test
  void oneEvaluatorServesConcurrentMessages() throws Exception {
    DmarcEvaluator ev = new DmarcEvaluator(Fixture.resolver(List.of(
        "TXT _dmarc.example.com v=DMARC1; p=reject", "TXT _dmarc.example.net v=DMARC1; p=quarantine; psd=n")));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        boolean even = i % 2 == 0;
        results.add(pool.submit(() -> {
          DmarcResult r = even
              ? ev.evaluate("a.example.com", null, List.of(DkimIdentifier.pass("b.example.com", "s")), null)
              : ev.evaluate("x.example.net", null, List.of(), null);
          return r.status().word() + " " + r.disposition().word();
        }));
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get()).isEqualTo(i % 2 == 0 ? "pass none" : "fail quarantine");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void nullInputsAreTolerated() {
    DmarcResult r = new DmarcEvaluator(Fixture.resolver(List.of("TXT _dmarc.example.com v=DMARC1; p=reject")))
        .evaluate("example.com", null, null, null);
    assertThat(r.status()).isEqualTo(AuthStatus.FAIL);
    List<DkimIdentifier> withNulls = new ArrayList<>();
    withNulls.add(null);
    withNulls.add(new DkimIdentifier(null, AuthStatus.PASS, null));
    withNulls.add(new DkimIdentifier("not a domain!", AuthStatus.PASS, "s"));
    DmarcResult r2 = new DmarcEvaluator(Fixture.resolver(List.of("TXT _dmarc.example.com v=DMARC1; p=reject")))
        .evaluate("example.com", Fixture.spf(AuthStatus.PASS, null), withNulls, null);
    assertThat(r2.status()).isEqualTo(AuthStatus.FAIL);
  }
}
