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
import java.io.IOException;
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

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    warmUp(GatewayRuntime.shared().gateway().config(), 20);
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
