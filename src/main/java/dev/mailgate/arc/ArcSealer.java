package dev.mailgate.arc;

import dev.mailgate.dkim.DkimSignature;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dkim.BodyHash;
import dev.mailgate.dkim.BodyHasher;
import dev.mailgate.dkim.ByteBuilder;
import dev.mailgate.dkim.Canonicalization;
import dev.mailgate.dkim.DkimKeys;
import dev.mailgate.dkim.DkimSigner;
import dev.mailgate.dkim.SignatureAlgorithm;
import dev.mailgate.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Adds an ARC Set to a message (RFC 8617 section 5.1): an ARC-Authentication-Results with our
 * authentication results, an ARC-Message-Signature over the chosen header fields and the body, and an
 * ARC-Seal over the chain. rsa-sha256 or ed25519-sha256 by the key's type, as for {@link DkimSigner}.
 * Immutable and thread-safe once built.
 *
 * <p>Sealing needs the result of validating the message's existing chain ({@link ArcValidator}), which
 * gives the new seal's cv=:
 *
 * <ul>
 *   <li>no chain: instance 1, cv=none;
 *   <li>a valid chain of N sets: instance N + 1, cv=pass, the seal covering sets 1..N+1 (section 5.1.1);
 *   <li>a failed chain: instance N + 1, cv=fail, the seal covering only the new set, "as if this newest
 *       ARC Set was the only set present" (section 5.1.2);
 *   <li>no new set at all when the newest seal already says cv=fail (section 5.1 step 2: "there is no
 *       need to proceed"), when there are already 50 sets (section 4.2.1), or when the message has more
 *       ARC fields than 50 sets can hold.
 * </ul>
 *
 * <p>Output format: tags in alphabetical order, one space after each {@code ;}, no trailing {@code ;},
 * lower-case values except b= and bh=, folded only at tag boundaries; the b= values are not folded,
 * because the next seal signs this AMS with relaxed canonicalization, which keeps whitespace inside a
 * value. AMS c= is relaxed/relaxed. This is the layout the published ARC signing suite prescribes, so
 * the signatures can be compared with it.
 */
public final class ArcSealer {
  /** Field names that RFC 8617 section 4.1.2 forbids in the AMS h=. */
  private static final List<String> FORBIDDEN = List.of(
      "arc-authentication-results", "arc-message-signature", "arc-seal", "authentication-results");

  private final String domain;
  private final String selector;
  private final PrivateKey key;
  private final SignatureAlgorithm algorithm;
  private final List<String> headers;
  private final Clock clock;

  private ArcSealer(Builder b) {
    this.domain = b.domain;
    this.selector = b.selector;
    this.key = b.key;
    this.algorithm = DkimKeys.algorithmFor(b.key);
    this.headers = List.copyOf(b.headers);
    this.clock = b.clock;
  }

  /** A sealer for d={@code domain}, s={@code selector} with an RSA or Ed25519 private key. */
  public static Builder builder(String domain, String selector, PrivateKey key) {
    return new Builder(domain, selector, key);
  }

  /** The header field names the AMS signs (h=), lower-case, in order. */
  public List<String> headers() {
    return headers;
  }

  /**
   * Makes the next ARC Set for {@code message}.
   *
   * @param message the message as it will leave us: every change (including new DKIM-Signature fields)
   *     made before sealing (section 5.1 step 1)
   * @param chain the result of {@link ArcValidator#validate} for this very message
   * @param authservId our authserv-id (RFC 8601 section 2.5), the first item of the AAR payload
   * @param results the results to record after the authserv-id: the resinfos of an
   *     Authentication-Results field, separated by {@code ;} (e.g. {@code spf=pass
   *     smtp.mailfrom=a.example; dkim=pass header.d=a.example; arc=none}). Folding is removed and
   *     redone at the {@code ;} between resinfos; empty means "none" (RFC 8601 no-result)
   * @return the new set, or empty when RFC 8617 says not to add one (see the class comment)
   * @throws IllegalArgumentException when {@code chain} does not describe {@code message}, or the
   *     authserv-id is not a single token
   * @throws GeneralSecurityException when the key cannot sign
   */
  public Optional<ArcSet> seal(RawMessage message, ArcResult chain, String authservId, String results)
      throws GeneralSecurityException {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(chain, "chain");
    checkAuthservId(authservId);
    Objects.requireNonNull(results, "results");
    ArcChain existing = ArcChain.collect(message.headers());
    if (existing.highest() != chain.instances() || existing.isEmpty() != (chain.status() == AuthStatus.NONE)) {
      throw new IllegalArgumentException("the ArcResult does not describe this message (" + chain.instances()
          + " instances, " + chain.status() + "; the message has " + existing.highest() + ")");
    }
    if (existing.newestSealStatus() == AuthStatus.FAIL) {
      return Optional.empty(); // RFC 8617 section 5.1 step 2
    }
    int instance = existing.highest() + 1; // section 5.1 step 3
    if (instance > ArcValidator.MAX_SETS || existing.overflows()) {
      return Optional.empty(); // section 4.2.1: at most 50 sets
    }
    // Section 5.1 step 4C: the Chain Validation Status as determined during validation. A failed chain
    // without any valid instance (only malformed ARC fields) gets instance 1 with cv=fail.
    AuthStatus cv = chain.status();

    String aar = "ARC-Authentication-Results: i=" + instance + "; " + latin1OfUtf8(authservId) + ";"
        + foldResults(latin1OfUtf8(results));

    BodyHash body = BodyHasher.hash(Canonicalization.RELAXED, algorithm.newDigest(), BodyHasher.NO_LIMIT,
        message.bytes(), message.bodyOffset(), message.bodyLength());
    long now = clock.instant().getEpochSecond();
    String amsHead = "ARC-Message-Signature: a=" + algorithm.tag() + "; b=";
    String amsTail = "bh=" + Base64.getEncoder().encodeToString(body.digest()) + "; c=relaxed/relaxed;"
        + "\r\n\td=" + domain + "; h=" + String.join(":", headers) + ";"
        + "\r\n\ti=" + instance + "; s=" + selector + "; t=" + now;
    // The AMS covers header fields and body like a DKIM-Signature (section 4.1.2); h= never names an
    // ARC field, so the new AAR need not be in the message for this.
    String amsB = DkimSigner.signatureValue(message, amsHead + "; " + amsTail, key);
    String ams = amsHead + amsB + ";\r\n\t" + amsTail;

    String sealHead = "ARC-Seal: a=" + algorithm.tag() + "; b=";
    String sealTail = "cv=" + cv.word() + "; d=" + domain + "; i=" + instance + "; s=" + selector + "; t=" + now;
    ByteBuilder data = new ByteBuilder(2048);
    if (cv == AuthStatus.PASS) {
      // Section 5.1.1: the sets 1..N in increasing order, AAR, AMS, AS each, then the new set.
      for (int i = 1; i < instance; i++) {
        ArcChain.Set s = existing.set(i);
        ArcChain.appendField(data, s.aar().field().raw());
        ArcChain.appendField(data, s.ams().field.raw());
        ArcChain.appendField(data, s.seal().field.raw());
      }
    } // cv=fail: section 5.1.2, only the new set; cv=none: there is nothing before it
    ArcChain.appendField(data, aar);
    ArcChain.appendField(data, ams);
    Canonicalization.RELAXED.canonicalizeHeader(sealHead + "; " + sealTail, data);
    String sealB = Base64.getEncoder().encodeToString(algorithm.sign(key, data.array(), data.length()));
    String seal = sealHead + sealB + ";\r\n\t" + sealTail;
    return Optional.of(new ArcSet(instance, aar, ams, seal));
  }

  /** The resinfos, one per continuation line; " none" when there is none (RFC 8601 section 2.2). */
  static String foldResults(String results) {
    List<String> items = splitResinfos(ArcAuthenticationResults.unfold(results));
    if (items.isEmpty()) {
      return " none";
    }
    StringBuilder sb = new StringBuilder(results.length() + 8 * items.size());
    for (int i = 0; i < items.size(); i++) {
      sb.append("\r\n\t").append(items.get(i));
      if (i < items.size() - 1) {
        sb.append(';');
      }
    }
    return sb.toString();
  }

  /** Splits at the {@code ;} that are outside comments and quoted strings; drops empty items. */
  static List<String> splitResinfos(String s) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && (quoted || depth > 0)) {
        i++; // quoted-pair
      } else if (quoted) {
        quoted = c != '"';
      } else if (c == '"' && depth == 0) {
        quoted = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && depth > 0) {
        depth--;
      } else if (c == ';' && depth == 0) {
        addItem(out, s.substring(start, i));
        start = i + 1;
      }
    }
    addItem(out, s.substring(start));
    return out;
  }

  private static void addItem(List<String> out, String item) {
    String t = ArcAuthenticationResults.collapseWhitespace(item);
    if (!t.isEmpty()) {
      out.add(t);
    }
  }

  /** Header fields hold bytes one char per byte; text with other characters is UTF-8 (RFC 8601 / 6532). */
  private static String latin1OfUtf8(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7f) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
      }
    }
    return s;
  }

  private static void checkAuthservId(String id) {
    Objects.requireNonNull(id, "authservId");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("empty authserv-id");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      // RFC 8601 section 2.5: authserv-id is a value; we take it unquoted, so it must not contain what
      // would end it or start a comment or quoted string (host names never do).
      if (c <= ' ' || c == 0x7f || ";()\"\\".indexOf(c) >= 0) {
        throw new IllegalArgumentException("authserv-id must be a single unquoted value: " + id);
      }
    }
  }

  /** Configures an {@link ArcSealer}. Not thread-safe. */
  public static final class Builder {
    private final String domain;
    private final String selector;
    private final PrivateKey key;
    private List<String> headers;
    private Clock clock = Clock.systemUTC();

    private Builder(String domain, String selector, PrivateKey key) {
      this.domain = lower(Objects.requireNonNull(domain, "domain"));
      this.selector = lower(Objects.requireNonNull(selector, "selector"));
      this.key = Objects.requireNonNull(key, "key");
      DkimKeys.algorithmFor(key); // fails early for other key types
      if (!DkimSignature.isDomainName(this.domain, true) || !DkimSignature.isDomainName(this.selector, false)) {
        throw new IllegalArgumentException("invalid d= or s=: " + domain + ", " + selector);
      }
      headers(DkimSigner.DEFAULT_HEADERS);
    }

    /**
     * The header field names the AMS signs, in h= order; each occurrence of a name covers one more
     * instance of that field counting from the bottom (RFC 6376 section 5.4.2). From is added when
     * missing (RFC 6376 section 5.4). ARC fields and Authentication-Results are refused (RFC 8617
     * section 4.1.2: they MUST NOT be signed by the AMS).
     */
    public Builder headers(List<String> names) {
      List<String> h = new ArrayList<>(names.size() + 1);
      for (String n : names) {
        String lower = lower(n.strip());
        if (!DkimSignature.isFieldName(lower)) {
          throw new IllegalArgumentException("not a header field name: \"" + n + "\"");
        }
        if (FORBIDDEN.contains(lower)) {
          throw new IllegalArgumentException(n + " must not be signed by an ARC-Message-Signature (RFC 8617 section 4.1.2)");
        }
        h.add(lower);
      }
      if (!h.contains("from")) {
        h.add(0, "from");
      }
      this.headers = h;
      return this;
    }

    /** Where t= comes from (default the system clock, UTC). */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    public ArcSealer build() {
      return new ArcSealer(this);
    }

    private static String lower(String s) {
      return s.toLowerCase(Locale.ROOT);
    }
  }
}
