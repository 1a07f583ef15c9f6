package dev.mailgate.arc;

import dev.mailgate.dkim.BodyHash;
import dev.mailgate.dkim.BodyHasher;
import dev.mailgate.dkim.ByteBuilder;
import dev.mailgate.dkim.Canonicalization;
import dev.mailgate.dkim.DkimKeys;
import dev.mailgate.dkim.DkimSigner;
import dev.mailgate.dkim.SignatureAlgorithm;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

/**
 * Keys, DNS and messages for the ARC tests. The keys are generated once per run: they sign only test
 * messages, and every test checks outcomes that do not depend on the key's bits.
 */
final class ArcFixtures {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
  static final KeyPair RSA = generate("RSA", 2048);
  static final KeyPair ED25519 = generate("Ed25519", 0);
  static final KeyPair RSA_OTHER = generate("RSA", 1024);

  /** The original message, as the author's server sent it. */
  static final String MESSAGE = """
      From: Joe SixPack <joe@football.example.com>
      To: Suzie Q <suzie@shopping.example.net>
      Subject: Is dinner ready?
      Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)
      Message-ID: <20030712040037.46341.5F8J@football.example.com>
      MIME-Version: 1.0

      Hi.

      We lost the game.  Are you hungry yet?

      Joe.
      """;

  private ArcFixtures() {}

  static KeyPair generate(String algorithm, int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      if (bits > 0) {
        g.initialize(bits);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Keys at: rsa._domainkey.list.example (RSA 2048), ed._domainkey.forward.example (Ed25519),
   * other._domainkey.third.example (RSA 1024).
   */
  static InMemoryResolver.Builder dns() {
    return InMemoryResolver.builder()
        .txt("rsa._domainkey.list.example", DkimKeys.keyRecord(RSA.getPublic()))
        .txt("ed._domainkey.forward.example", DkimKeys.keyRecord(ED25519.getPublic()))
        .txt("other._domainkey.third.example", DkimKeys.keyRecord(RSA_OTHER.getPublic()));
  }

  static ArcSealer sealer(String domain, String selector, PrivateKey key) {
    return ArcSealer.builder(domain, selector, key)
        .headers(List.of("from", "to", "subject", "date", "message-id", "mime-version"))
        .clock(CLOCK)
        .build();
  }

  static ArcSealer listSealer() {
    return sealer("list.example", "rsa", RSA.getPrivate());
  }

  static ArcSealer forwardSealer() {
    return sealer("forward.example", "ed", ED25519.getPrivate());
  }

  static ArcSealer thirdSealer() {
    return sealer("third.example", "other", RSA_OTHER.getPrivate());
  }

  static RawMessage message(String text) {
    return RawMessage.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Validates {@code message} and seals it with {@code sealer}; the sealed message. */
  static RawMessage seal(RawMessage message, ArcSealer sealer, InMemoryResolver dns, String authservId)
      throws GeneralSecurityException {
    ArcResult chain = new ArcValidator(dns, CLOCK).validate(message);
    ArcSet set = sealer.seal(message, chain, authservId, "arc=" + chain.status().word() + "; spf=pass smtp.mailfrom=football.example.com")
        .orElseThrow(() -> new AssertionError("no ARC Set added: " + chain.reason()));
    return RawMessage.parse(set.prependTo(message));
  }

  /**
   * A first ARC Set written by hand, for tags our sealer never writes (x=, l=, v=, other selectors):
   * {@code amsTags} and {@code sealTags} are the tag-lists without b= (b= is added last and signed);
   * {@code {bh}} in {@code amsTags} is replaced by the relaxed body hash, {@code {bh:N}} by the hash of
   * its first N octets.
   */
  static RawMessage handSeal(RawMessage m, String amsTags, PrivateKey amsKey, String sealTags, PrivateKey sealKey)
      throws GeneralSecurityException {
    java.util.regex.Matcher lm = java.util.regex.Pattern.compile("\\{bh(?::(\\d+))?}").matcher(amsTags);
    if (lm.find()) {
      long limit = lm.group(1) == null ? BodyHasher.NO_LIMIT : Long.parseLong(lm.group(1));
      BodyHash bh = BodyHasher.hash(Canonicalization.RELAXED, SignatureAlgorithm.RSA_SHA256.newDigest(), limit,
          m.bytes(), m.bodyOffset(), m.bodyLength());
      amsTags = amsTags.substring(0, lm.start()) + Base64.getEncoder().encodeToString(bh.digest())
          + amsTags.substring(lm.end());
    }
    String aar = "ARC-Authentication-Results: i=1; mx.example; none";
    String amsUnsigned = "ARC-Message-Signature: "
        + amsTags + "; b=";
    String ams = amsUnsigned + DkimSigner.signatureValue(m, amsUnsigned, amsKey);
    String sealUnsigned = "ARC-Seal: " + sealTags + "; b=";
    ByteBuilder data = new ByteBuilder();
    ArcChain.appendField(data, aar);
    ArcChain.appendField(data, ams);
    Canonicalization.RELAXED.canonicalizeHeader(sealUnsigned, data);
    String b = Base64.getEncoder().encodeToString(DkimKeys.algorithmFor(sealKey).sign(sealKey, data.array(), data.length()));
    String head = sealUnsigned + b + "\r\n" + ams + "\r\n" + aar + "\r\n";
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[h.length + m.bytes().length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(m.bytes(), 0, out, h.length, m.bytes().length);
    return RawMessage.parse(out);
  }

  /** The message with {@code text} appended to the body, as a mailing list adding a footer does. */
  static RawMessage withFooter(RawMessage m, String text) {
    byte[] b = m.bytes();
    byte[] add = text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[b.length + add.length];
    System.arraycopy(b, 0, out, 0, b.length);
    System.arraycopy(add, 0, out, b.length, add.length);
    return RawMessage.parse(out);
  }

  /** The message with the first occurrence of {@code from} replaced (bytes as ISO-8859-1 text). */
  static RawMessage replace(RawMessage m, String from, String to) {
    String s = new String(m.bytes(), StandardCharsets.ISO_8859_1);
    int i = s.indexOf(from);
    if (i < 0) {
      throw new AssertionError("not in message: " + from);
    }
    return RawMessage.parse((s.substring(0, i) + to + s.substring(i + from.length())).getBytes(StandardCharsets.ISO_8859_1));
  }
}
