package dev.mailgate.aws;

import dev.mailgate.authres.Authenticator;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.gateway.Gateway;
import dev.mailgate.gateway.Invocation;
import dev.mailgate.gateway.LocalFolderStore;
import dev.mailgate.gateway.MessageRef;
import dev.mailgate.gateway.OutboxSender;
import dev.mailgate.policy.Policy;
import dev.mailgate.policy.PolicyConfig;
import dev.mailgate.authres.AuthReport;
import dev.mailgate.authres.AuthStatus;
import dev.mailgate.message.RawMessage;
import dev.mailgate.message.SesEnvelope;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Lambda SnapStart (CRaC) hook: before the snapshot is taken, builds the container's runtime (reads the
 * configuration, creates the SDK clients and the DNS resolver) and runs the pipeline a few times on a
 * built-in sample message against an in-memory store, outbox and DNS, so that the classes of the hot
 * path are loaded and initialized in the snapshot. Nothing is sent and nothing in AWS is touched. Without
 * SnapStart the hook never runs; registering it costs nothing.
 */
final class Priming implements Resource {
  private static final Priming INSTANCE = new Priming();
  private static volatile boolean registered;

  private Priming() {}

  /** Registers the hook once (called from the handlers' static initializers: cheap). */
  static void register() {
    if (!registered) {
      synchronized (Priming.class) {
        if (!registered) {
          Core.getGlobalContext().register(INSTANCE);
          registered = true;
        }
      }
    }
  }

  /** How long priming may compile the hot path before the snapshot (SnapStart's init phase allows minutes). */
  static final Duration AUTH_PRIMING_BUDGET = Duration.ofSeconds(20);

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    warmUp(GatewayRuntime.shared().gateway().config(), 20);
    Primed p = primeAuthentication(AUTH_PRIMING_BUDGET);
    System.out.println("mailgate: primed authentication: " + p);
  }

  /**
   * What {@link #primeAuthentication} did: messages authenticated, how many DKIM signatures and ARC chains
   * passed (priming on failures would leave the fast paths cold), the JIT compilation time it caused, and
   * whether the JIT compiler was quiet at the end.
   */
  record Primed(int messages, int dkimPasses, int arcPasses, long jitMillis, boolean jitQuiet) {}

  /**
   * Authenticates signed sample messages (rsa-sha256 and ed25519-sha256, text and base64 bodies, one with
   * an ARC set) over and over until the JIT compiler has been quiet for two rounds or {@code budget} is
   * spent. The hot path compiled by C2 costs about a fifth of the CPU per message that the interpreter
   * and C1 code take (docs/PERFORMANCE.md), and the compiled code is part of the snapshot: this is work
   * done once per published version instead of during the first thousands of messages of every
   * container. Keys are generated here; DNS answers come from memory; nothing leaves the process.
   */
  static Primed primeAuthentication(Duration budget) {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean canTime = jit != null && jit.isCompilationTimeMonitoringSupported();
    long jitStart = canTime ? jit.getTotalCompilationTime() : 0;
    int messages = 0;
    int dkimPasses = 0;
    int arcPasses = 0;
    int quietRounds = 0;
    try {
      PrimingCorpus corpus = PrimingCorpus.create();
      Authenticator auth = new Authenticator(corpus.dns(), corpus.clock());
      long end = System.nanoTime() + budget.toNanos(); // key generation above is not counted
      do {
        long before = canTime ? jit.getTotalCompilationTime() : 0;
        long roundEnd = Math.min(end, System.nanoTime() + 500_000_000L);
        do {
          for (PrimingCorpus.Sample sample : corpus.samples()) {
            RawMessage m = RawMessage.parse(sample.bytes());
            AuthReport r = auth.authenticate(SesEnvelope.read(m).envelope(), m);
            messages++;
            dkimPasses += (int) r.dkim().stream().filter(d -> d.status() == AuthStatus.PASS).count();
            arcPasses += r.arc().status() == AuthStatus.PASS ? 1 : 0;
          }
        } while (System.nanoTime() < roundEnd);
        quietRounds = canTime && jit.getTotalCompilationTime() - before < 5 ? quietRounds + 1 : 0;
      } while (System.nanoTime() < end && quietRounds < 2);
    } catch (GeneralSecurityException | RuntimeException e) {
      System.err.println("mailgate: authentication priming stopped: " + e);
    }
    long jitMillis = canTime ? jit.getTotalCompilationTime() - jitStart : -1;
    return new Primed(messages, dkimPasses, arcPasses, jitMillis, quietRounds >= 2);
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Nothing to redo: the DNS cache honours TTLs by the clock, and SDK connections are opened on demand.
  }

  /**
   * Runs the pipeline {@code rounds} times on a sample addressed to the configuration's first domain;
   * returns how many rounds finished (a failure only means less was primed: it is printed, not thrown).
   */
  static int warmUp(PolicyConfig config, int rounds) {
    Path dir = null;
    int done = 0;
    try {
      dir = Files.createTempDirectory("mailgate-prime");
      String domain = config.domains().get(0);
      String msg = "Return-Path: <alice@sender.example>\r\n"
          + "Received: from mail.sender.example (mail.sender.example [192.0.2.10])\r\n"
          + " by inbound-smtp.us-east-1.amazonaws.com with SMTP id prime\r\n"
          + " for postmaster@" + domain + ";\r\n Mon, 02 Oct 2023 10:11:12 +0000 (UTC)\r\n"
          + "X-SES-Spam-Verdict: PASS\r\nX-SES-Virus-Verdict: PASS\r\n"
          + "X-SES-RECEIPT: prime\r\n"
          + "From: Alice <alice@sender.example>\r\nTo: postmaster@" + domain + "\r\n"
          + "Subject: prime\r\nMessage-ID: <prime@sender.example>\r\n\r\nHello.\r\n";
      InMemoryResolver dns = InMemoryResolver.builder()
          .txt("sender.example", "v=spf1 ip4:192.0.2.0/24 -all").build();
      Gateway g = Gateway.builder().policy(Policy.of(config)).authenticator(new Authenticator(dns, Clock.systemUTC()), null)
          .store(LocalFolderStore.of(dir)).sender(OutboxSender.inMemory()).build();
      for (int i = 0; i < rounds; i++) {
        String id = "prime-" + i;
        Files.write(dir.resolve(id), msg.getBytes(StandardCharsets.US_ASCII));
        g.process(new MessageRef("prime", id, id), Instant.now().plusSeconds(10),
            new Invocation(false, null, null, Instant.now().plusSeconds(10), "prime"));
        done++;
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("mailgate: priming skipped: " + e);
    } finally {
      deleteQuietly(dir);
    }
    return done;
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder; the OS cleans it
    }
  }
}
