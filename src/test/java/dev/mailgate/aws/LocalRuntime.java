package dev.mailgate.aws;

import dev.mailgate.authres.Authenticator;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.gateway.DeadlineResolver;
import dev.mailgate.gateway.Gateway;
import dev.mailgate.gateway.GatewayLog;
import dev.mailgate.gateway.LocalFolderStore;
import dev.mailgate.gateway.MailSender;
import dev.mailgate.gateway.MessageStore;
import dev.mailgate.gateway.OutboxSender;
import dev.mailgate.policy.Policy;
import dev.mailgate.policy.PolicyConfigParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Runtimes for handler tests: the sample configuration and DNS, a given store and sender. */
final class LocalRuntime {
  private LocalRuntime() {}

  static GatewayRuntime of(MessageStore store, MailSender sender, DnsResolver dns, String configJson, GatewayLog log)
      throws Exception {
    Clock clock = Clock.systemUTC();
    DeadlineResolver deadlines = new DeadlineResolver(dns, clock);
    Gateway g = Gateway.builder()
        .policy(Policy.of(PolicyConfigParser.parse(configJson, "test")))
        .authenticator(new Authenticator(deadlines, clock), deadlines)
        .store(store).sender(sender).clock(clock).log(log).build();
    return new GatewayRuntime(g, "mailgate-local", "", Duration.ofSeconds(25), Duration.ofMillis(1500), clock, log);
  }

  /** The sample: events/bucket read through an overlay in {@code state}, events/config.json, the DNS fixture. */
  static GatewayRuntime sample(Path state, OutboxSender outbox) throws Exception {
    return of(LocalFolderStore.withOverlay(Path.of("events/bucket"), state), outbox,
        dev.mailgate.gateway.Harness.sampleDns(), Files.readString(Path.of("events/config.json")), GatewayLog.NONE);
  }
}
