package dev.mailgate.bench;

import dev.mailgate.arc.ArcResult;
import dev.mailgate.arc.ArcSealer;
import dev.mailgate.arc.ArcSet;
import dev.mailgate.arc.ArcValidator;
import dev.mailgate.dkim.DkimKeys;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ARC chain validation of a 50 KB message carrying three ARC Sets, each sealed with its own 2048-bit
 * RSA key (as the large mailbox providers seal), all AMSs relaxed/relaxed and still valid: one body
 * hash, three AMS and three AS verifications, three key lookups from memory. Also the cost of adding a
 * fourth set. Run:
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main ArcBenchmark -f 1 -wi 2 -i 3 -t 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ArcBenchmark {
  private static final int SIZE = 51_200;

  private RawMessage message;
  private ArcValidator validator;
  private ArcResult chain;
  private ArcSealer fourth;

  @Setup
  public void setUp() throws Exception {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
    InMemoryResolver.Builder dns = InMemoryResolver.builder().logQueries(false);
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    ArcSealer[] sealers = new ArcSealer[4];
    for (int i = 0; i < sealers.length; i++) {
      KeyPair k = rsa.generateKeyPair();
      String domain = "hop" + (i + 1) + ".example";
      dns.txt("s" + (i + 1) + "._domainkey." + domain, DkimKeys.keyRecord(k.getPublic()));
      sealers[i] = ArcSealer.builder(domain, "s" + (i + 1), k.getPrivate())
          .headers(List.of("from", "to", "subject", "date", "message-id", "mime-version", "content-type"))
          .clock(clock)
          .build();
    }
    validator = new ArcValidator(dns.build(), clock);
    RawMessage m = RawMessage.parse(DkimBenchmark.text(SIZE).getBytes(StandardCharsets.ISO_8859_1));
    for (int i = 0; i < 3; i++) {
      ArcResult r = validator.validate(m);
      ArcSet set = sealers[i].seal(m, r, "mx.hop" + (i + 1) + ".example", "arc=" + r.status().word() + "; spf=pass")
          .orElseThrow();
      m = RawMessage.parse(set.prependTo(m));
    }
    message = m;
    chain = validator.validate(message);
    if (!chain.isPass() || chain.instances() != 3 || chain.oldestPass() != 0) {
      throw new IllegalStateException("benchmark chain does not validate: " + chain);
    }
    fourth = sealers[3];
  }

  @Benchmark
  public ArcResult validate() {
    return validator.validate(message);
  }

  /** Sealing the fourth set, given the validation result (one body hash, two RSA-2048 signatures). */
  @Benchmark
  public Optional<ArcSet> sealFourth() throws Exception {
    return fourth.seal(message, chain, "mx.hop4.example", "arc=pass; spf=pass");
  }
}
