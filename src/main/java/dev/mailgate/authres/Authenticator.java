package dev.mailgate.authres;

import dev.mailgate.dns.DnsResolver;
import dev.mailgate.message.Envelope;
import dev.mailgate.message.RawMessage;
import dev.mailgate.spf.SpfChecker;
import dev.mailgate.spf.SpfResult;
import java.time.Clock;

/**
 * Runs the authentication checks on one message and collects their results (the order of
 * postalsys/mailauth: each check's result is passed explicitly to those that depend on it). Thread-safe:
 * one instance serves every message of a process.
 */
public final class Authenticator {
  private final SpfChecker spf;

  public Authenticator(DnsResolver dns, Clock clock) {
    this.spf = SpfChecker.builder(dns).clock(clock).build();
  }

  /** Authenticates {@code message} as received with {@code envelope}. Never throws for bad input. */
  public AuthReport authenticate(Envelope envelope, RawMessage message) {
    SpfResult spfResult = checkSpf(envelope);
    return new AuthReport(envelope, spfResult);
  }

  private SpfResult checkSpf(Envelope env) {
    if (env.clientIp() == null) {
      return new SpfResult(AuthStatus.NONE, SpfResult.Identity.MAILFROM, null, env.mailFrom(), null, null,
          "client IP address unknown: SPF not evaluated");
    }
    return spf.check(env.clientIp(), env.helo(), env.mailFrom());
  }
}
