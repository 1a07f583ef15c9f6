package dev.mailgate.cli;

import dev.mailgate.dns.DnsFixture;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.dns.DnsjavaResolver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The DNS options every command shares ({@code --dns}, {@code --dns-fixture}, {@code --dns-timeout}). */
final class DnsOptions {
  /** Used when {@code --dns-timeout} is not given. */
  static final double DEFAULT_TIMEOUT_SECONDS = 5;

  @Option(names = "--dns", paramLabel = "HOST[:PORT]",
      description = "DNS server to ask (repeatable). Default: the system's resolvers.")
  List<String> servers = new ArrayList<>();

  @Option(names = "--dns-fixture", paramLabel = "FILE",
      description = "Answer DNS from this file (zone-file format, docs/DNS-FIXTURE.md) instead of the network.")
  Path fixture;

  @Option(names = "--dns-timeout", paramLabel = "SECONDS",
      description = "Time limit for each DNS query (default: 5).")
  Double timeoutSeconds;

  /**
   * The resolver these options ask for: a fixture resolver, or dnsjava on the given servers (the system's
   * when none). A malformed value is a usage error naming the option.
   */
  DnsResolver resolver(CommandLine commandLine) {
    double seconds = timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
    if (seconds <= 0 || seconds > 300) {
      throw new CommandLine.ParameterException(commandLine, "--dns-timeout: must be between 0 and 300 seconds");
    }
    if (fixture != null && !servers.isEmpty()) {
      throw new CommandLine.ParameterException(commandLine, "--dns and --dns-fixture exclude each other");
    }
    try {
      if (fixture != null) {
        return DnsFixture.load(fixture);
      }
      return DnsjavaResolver.create(DnsjavaResolver.Options.builder()
          .servers(servers).timeout(Duration.ofMillis((long) (seconds * 1000))).build());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CommandLine.ParameterException(commandLine, e.getMessage());
    } catch (IOException e) {
      throw new CommandLine.ParameterException(commandLine, "--dns-fixture: " + e.getMessage());
    }
  }
}
