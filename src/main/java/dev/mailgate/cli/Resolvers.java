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

  static DnsResolver create(List<String> servers, Path fixture, Duration timeout) throws IOException {
    if (fixture != null) {
      return DnsFixture.load(fixture);
    }
    return DnsjavaResolver.create(servers, timeout);
  }
}
