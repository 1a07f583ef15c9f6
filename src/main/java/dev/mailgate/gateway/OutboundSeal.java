package dev.mailgate.gateway;

import dev.mailgate.arc.ArcResult;
import dev.mailgate.arc.ArcSealer;
import dev.mailgate.arc.ArcSet;
import dev.mailgate.authres.AuthReport;
import dev.mailgate.authres.AuthResultsHeader;
import dev.mailgate.dkim.DkimKeys;
import dev.mailgate.message.RawMessage;
import dev.mailgate.policy.PolicyConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * ARC-seals the messages the gateway sends on (RFC 8617 section 5.1), when the configuration asks for
 * it: a forward or relay breaks the sender's SPF (and a forward's From rewrite or a tag's subject prefix
 * breaks DKIM), and our ARC Set carries the results we saw to the next receiver, signed.
 *
 * <p>The ARC-Authentication-Results holds the same results as our Authentication-Results field; cv= is
 * the chain's status as we validated it on arrival. The AMS does not sign Message-ID or Sender: SES
 * replaces the one and the forward renames the other. Sealing never stops a delivery: a message that
 * cannot be sealed goes on unsealed, and the reason is returned for the log. Thread-safe.
 */
public final class OutboundSeal {
  /** What the AMS signs: DkimSigner's defaults without the fields that SES or the forward rewrite. */
  static final List<String> HEADERS = List.of(
      "From", "Reply-To", "Subject", "Date", "To", "Cc", "In-Reply-To", "References", "List-Id",
      "List-Unsubscribe", "List-Post", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
      "X-Original-From", "X-Original-To");

  private final ArcSealer sealer;
  private final String authservId;

  private OutboundSeal(ArcSealer sealer, String authservId) {
    this.sealer = sealer;
    this.authservId = authservId;
  }

  /**
   * The sealer the configuration describes, or empty when sealing is off.
   *
   * @throws IllegalArgumentException when the key cannot be read or is not an RSA or Ed25519 PKCS#8 key:
   *     a configuration error, reported at start
   */
  public static Optional<OutboundSeal> fromConfig(PolicyConfig config, Clock clock) {
    PolicyConfig.ArcSealing arc = config.arcSealing();
    if (!arc.enabled()) {
      return Optional.empty();
    }
    PrivateKey key = privateKey(arc.privateKey());
    ArcSealer sealer = ArcSealer.builder(arc.domain(), arc.selector(), key).headers(HEADERS).clock(clock).build();
    return Optional.of(new OutboundSeal(sealer, config.authservId()));
  }

  /**
   * The outcome of sealing one outgoing message.
   *
   * @param message the message to send: sealed, or as it was
   * @param problem why it was not sealed, or null
   * @param failed whether that was a failure (a key or signing error) rather than RFC 8617's rules
   */
  public record Sealed(byte[] message, String problem, boolean failed) {}

  /**
   * {@code outgoing} with our ARC Set on top, or unchanged (with the reason) when RFC 8617 says not to
   * add one (the newest seal already failed, 50 sets) or sealing failed.
   *
   * @param report the results of checking the message as it arrived (its ARC result gives cv=)
   */
  public Sealed seal(byte[] outgoing, AuthReport report) {
    ArcResult chain = report.arc();
    if (chain == null) {
      return new Sealed(outgoing, "not sealed: ARC was not validated", false);
    }
    if (chain.dnsTempFailure()) {
      // A key we could not fetch is not a broken chain: sealing cv=fail would break it for every later
      // receiver for good (RFC 8617 5.1.2). Better no set of ours than a false one.
      return new Sealed(outgoing, "not sealed: the chain could not be validated (DNS temporary error)", false);
    }
    RawMessage m = RawMessage.parse(outgoing);
    String results = AuthResultsHeader.resinfos(authservId, report);
    try {
      Optional<ArcSet> set = sealer.seal(m, chain, authservId, results);
      return set.map(s -> new Sealed(s.prependTo(m), null, false)).orElseGet(() ->
          new Sealed(outgoing, "not sealed: RFC 8617 5.1 (the newest seal already failed, or 50 sets)", false));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return new Sealed(outgoing, "not sealed: " + e.getMessage(), true);
    }
  }

  private static PrivateKey privateKey(String source) {
    String pem;
    if (source.startsWith("file:")) {
      try {
        pem = Files.readString(Path.of(source.substring(5)), StandardCharsets.US_ASCII);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("$.arc.privateKey: cannot read " + source.substring(5) + ": " + e.getMessage(), e);
      }
    } else {
      pem = source;
    }
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("$.arc.privateKey: not a PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----)");
    }
    String b64 = pem.substring(begin + 27, end).replaceAll("\\s+", "");
    try {
      return DkimKeys.privateKeyFromPkcs8(Base64.getDecoder().decode(b64));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("$.arc.privateKey: not an RSA or Ed25519 PKCS#8 key: " + e.getMessage(), e);
    }
  }
}
