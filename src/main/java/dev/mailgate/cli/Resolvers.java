package dev.mailgate.cli;

import dev.mailgate.dns.DnsFixture;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.dns.DnsjavaResolver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Builds the resolver the command-line options ask for. */
final class Resolvers {
  private Resolvers() {}

  /**
   * A fixture resolver when {@code fixture} is given, else dnsjava on {@code servers} (the system's when
   * empty). Throws IllegalArgumentException for a malformed server or fixture, naming it.
   */
  static DnsResolver create(List<String> servers, Path fixture, Duration timeout) throws IOException {
    if (fixture != null) {
      return DnsFixture.load(fixture);
    }
    return DnsjavaResolver.create(DnsjavaResolver.Options.builder().servers(servers).timeout(timeout).build());
  }
}
