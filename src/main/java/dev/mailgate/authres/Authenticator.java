package dev.mailgate.authres;

import dev.mailgate.arc.ArcResult;
import dev.mailgate.arc.ArcValidator;
import dev.mailgate.dkim.BodyHashes;
import dev.mailgate.dkim.DkimResult;
import dev.mailgate.dkim.DkimVerifier;
import dev.mailgate.dmarc.ArcInfo;
import dev.mailgate.dmarc.AuthorDomains;
import dev.mailgate.dmarc.DkimIdentifier;
import dev.mailgate.dmarc.DmarcEvaluator;
import dev.mailgate.dmarc.DmarcOptions;
import dev.mailgate.dmarc.DmarcResult;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.message.Envelope;
import dev.mailgate.message.RawMessage;
import dev.mailgate.spf.SpfChecker;
import dev.mailgate.spf.SpfResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs the authentication checks on one message and collects their results: SPF, DKIM and ARC first,
 * then DMARC over them (the order of postalsys/mailauth: each check's result is passed explicitly to those
 * that depend on it). Thread-safe: one instance serves every message of a process.
 */
public final class Authenticator {
  private final SpfChecker spf;
  private final DkimVerifier dkim;
  private final ArcValidator arc;
  private final DmarcEvaluator dmarc;

  /** The options of each check. */
  public record Options(DkimVerifier.Options dkim, ArcValidator.Options arc, DmarcOptions dmarc) {
    public Options {
      Objects.requireNonNull(dkim, "dkim");
      Objects.requireNonNull(arc, "arc");
      Objects.requireNonNull(dmarc, "dmarc");
    }

    public static Options defaults() {
      return new Options(DkimVerifier.Options.defaults(), ArcValidator.Options.defaults(), DmarcOptions.defaults());
    }
  }

  public Authenticator(DnsResolver dns, Clock clock) {
    this(dns, clock, Options.defaults());
  }

  public Authenticator(DnsResolver dns, Clock clock, Options options) {
    this.spf = SpfChecker.builder(dns).clock(clock).build();
    this.dkim = new DkimVerifier(dns, clock, options.dkim());
    this.arc = new ArcValidator(dns, clock, options.arc());
    this.dmarc = new DmarcEvaluator(dns, options.dmarc());
  }

  /** Authenticates {@code message} as received with {@code envelope}. Never throws for bad input. */
  public AuthReport authenticate(Envelope envelope, RawMessage message) {
    SpfResult spfResult = checkSpf(envelope);
    BodyHashes bodies = new BodyHashes(message); // DKIM and ARC signatures over the same body hash it once
    List<DkimResult> dkimResults = dkim.verify(bodies);
    ArcResult arcResult = arc.validate(bodies);
    DmarcResult dmarcResult = dmarc.evaluate(AuthorDomains.fromMessage(message), spfResult,
        identifiers(dkimResults), new ArcInfo(arcResult.isPass(), arcResult.sealerDomains()));
    return new AuthReport(envelope, spfResult, dkimResults, arcResult, dmarcResult);
  }

  private SpfResult checkSpf(Envelope env) {
    if (env.clientIp() == null) {
      return new SpfResult(AuthStatus.NONE, SpfResult.Identity.MAILFROM, null, env.mailFrom(), null, null,
          "client IP address unknown: SPF not evaluated");
    }
    return spf.check(env.clientIp(), env.helo(), env.mailFrom());
  }

  /** The DKIM-Authenticated Identifiers DMARC aligns (RFC 9989 section 4.4.1). */
  private static List<DkimIdentifier> identifiers(List<DkimResult> results) {
    List<DkimIdentifier> out = new ArrayList<>(results.size());
    for (DkimResult r : results) {
      if (r.domain() != null) {
        out.add(new DkimIdentifier(r.domain(), r.status(), r.selector()));
      }
    }
    return out;
  }
}
