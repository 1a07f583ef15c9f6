package dev.mailgate.dkim;

import dev.mailgate.message.HeaderField;
import dev.mailgate.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Creates DKIM-Signature fields (RFC 6376 section 5) with rsa-sha256 or ed25519-sha256 (RFC 8463),
 * chosen by the key type. Immutable and thread-safe once built.
 *
 * <p>Defaults: c=relaxed/relaxed, the header fields RFC 6376 section 5.4.1 recommends (those present),
 * t= from the clock, no x=, no i=, no l=. With over-signing each listed field is named once more than
 * it occurs (also fields that do not occur), so that a field of that name added later breaks the
 * signature (RFC 6376 section 5.4.2). From is always signed (section 5.4).
 */
public final class DkimSigner {
  /** RFC 6376 section 5.4.1 (recommended), plus the MIME fields that change how the body reads. */
  public static final List<String> DEFAULT_HEADERS = List.of(
      "From", "Reply-To", "Subject", "Date", "To", "Cc", "Resent-Date", "Resent-From", "Resent-To",
      "Resent-Cc", "In-Reply-To", "References", "List-Id", "List-Help", "List-Unsubscribe",
      "List-Subscribe", "List-Post", "List-Owner", "List-Archive", "Message-ID", "Sender",
      "MIME-Version", "Content-Type", "Content-Transfer-Encoding");

  private static final int LINE = 76;

  private final String domain;
  private final String selector;
  private final PrivateKey key;
  private final SignatureAlgorithm algorithm;
  private final Canonicalization headerCanonicalization;
  private final Canonicalization bodyCanonicalization;
  private final List<String> headers;
  private final boolean overSign;
  private final Clock clock;
  private final Duration expiry;
  private final String identity;
  private final boolean bodyLengthTag;

  private DkimSigner(Builder b) {
    this.domain = b.domain;
    this.selector = b.selector;
    this.key = b.key;
    this.algorithm = DkimKeys.algorithmFor(b.key);
    this.headerCanonicalization = b.headerCanonicalization;
    this.bodyCanonicalization = b.bodyCanonicalization;
    this.headers = List.copyOf(b.headers);
    this.overSign = b.overSign;
    this.clock = b.clock;
    this.expiry = b.expiry;
    this.identity = b.identity;
    this.bodyLengthTag = b.bodyLengthTag;
  }

  /** A signer for d={@code domain}, s={@code selector} with an RSA or Ed25519 private key. */
  public static Builder builder(String domain, String selector, PrivateKey key) {
    return new Builder(domain, selector, key);
  }

  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  /**
   * Signs {@code message} and returns the DKIM-Signature field to prepend: folded at about 76 columns,
   * without the final CRLF.
   */
  public String sign(RawMessage message) throws GeneralSecurityException {
    BodyHash body = BodyHasher.hash(bodyCanonicalization, algorithm.newDigest(), BodyHasher.NO_LIMIT,
        message.bytes(), message.bodyOffset(), message.bodyLength());
    Folder f = new Folder(FIELD_PREFIX);
    f.tag("v=1");
    f.tag("a=" + algorithm.tag());
    f.tag("c=" + headerCanonicalization.tagValue() + "/" + bodyCanonicalization.tagValue());
    f.tag("d=" + domain);
    f.tag("s=" + selector);
    if (identity != null) {
      f.tag("i=" + encodeQuotedPrintable(identity));
    }
    if (bodyLengthTag) {
      f.tag("l=" + body.canonicalLength());
    }
    long now = clock.instant().getEpochSecond();
    f.tag("t=" + now);
    if (expiry != null) {
      f.tag("x=" + (now + Math.max(1, expiry.getSeconds())));
    }
    List<String> names = signedHeaderNames(message.headers());
    f.list("h=", names);
    f.tag("bh=" + Base64.getEncoder().encodeToString(body.digest()));
    f.text(" b=");
    String unsigned = f.toString();
    // RFC 6376 section 3.7: the field itself is hashed last, with b= empty, and without its CRLF.
    ByteBuilder data = SignedHeaders.headerData(message.headers(), names, headerCanonicalization, unsigned);
    byte[] signature = algorithm.sign(key, data.array(), data.length());
    return unsigned + f.foldValue(Base64.getEncoder().encodeToString(signature));
  }

  /** Signs {@code message} and returns its bytes with the DKIM-Signature field prepended. */
  public byte[] signAndPrepend(RawMessage message) throws GeneralSecurityException {
    byte[] field = (sign(message) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] m = message.bytes();
    byte[] out = new byte[field.length + m.length];
    System.arraycopy(field, 0, out, 0, field.length);
    System.arraycopy(m, 0, out, field.length, m.length);
    return out;
  }

  /**
   * The b= value for a given signature field: {@code field} is the complete DKIM-Signature field text
   * with an empty b= (its a=, c= and h= say what to sign; bh= is taken as written). This is the
   * low-level step the signer uses, exposed for reproducing published signatures (RFC 8463 Appendix
   * A) and for ARC sealing.
   *
   * @throws IllegalArgumentException when the field is not a well-formed signature
   */
  public static String signatureValue(RawMessage message, String field, PrivateKey key)
      throws GeneralSecurityException {
    DkimSignature sig = DkimSignature.parse(HeaderField.of(field));
    TagList tags = sig.tags();
    if (!tags.isValid() || !tags.has("h") || !tags.has("a")) {
      throw new IllegalArgumentException("not a signature field: " + tags.error());
    }
    SignatureAlgorithm alg = SignatureAlgorithm.fromTag(tags.get("a"));
    String c = tags.get("c", "simple/simple");
    Canonicalization hc = Canonicalization.fromTag(c.contains("/") ? c.substring(0, c.indexOf('/')) : c);
    if (alg == null || hc == null || alg != DkimKeys.algorithmFor(key)) {
      throw new IllegalArgumentException("a= or c= does not fit the key: " + tags.get("a") + ", " + c);
    }
    ByteBuilder data = SignedHeaders.headerData(message.headers(), TagList.splitColonList(tags.get("h")), hc,
        sig.fieldWithoutSignature());
    return Base64.getEncoder().encodeToString(alg.sign(key, data.array(), data.length()));
  }

  /** The h= list: each configured name once per instance present, plus one with over-signing. */
  List<String> signedHeaderNames(List<HeaderField> fields) {
    Map<String, Integer> present = new HashMap<>();
    for (HeaderField f : fields) {
      present.merge(f.name().toLowerCase(Locale.ROOT), 1, Integer::sum);
    }
    List<String> names = new ArrayList<>();
    for (String h : headers) {
      String lower = h.toLowerCase(Locale.ROOT);
      int n = present.getOrDefault(lower, 0) + (overSign ? 1 : 0);
      if (n == 0 && lower.equals("from")) {
        n = 1; // RFC 6376 section 5.4: From MUST be signed, even if absent
      }
      for (int i = 0; i < n; i++) {
        names.add(lower);
      }
    }
    return names;
  }

  private static final String FIELD_PREFIX = "DKIM-Signature:";

  /** dkim-quoted-printable (RFC 6376 section 2.11) for i=. */
  static String encodeQuotedPrintable(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f && c != ';' && c != '=') {
        sb.append((char) c);
      } else {
        sb.append('=').append(String.format("%02X", c));
      }
    }
    return sb.toString();
  }

  /** Lays out tags on lines of about {@value #LINE} columns, continuation lines starting with a tab. */
  private static final class Folder {
    private final StringBuilder sb = new StringBuilder(512);
    private int column;

    Folder(String start) {
      sb.append(start);
      column = start.length();
    }

    void tag(String tagSpec) {
      text(" " + tagSpec + ";");
    }

    void text(String s) {
      if (column + s.length() > LINE && column > 1) {
        sb.append("\r\n\t");
        column = 8;
        s = s.stripLeading();
      }
      sb.append(s);
      column += s.length();
    }

    /** A colon-separated list, folded after a colon when it does not fit. */
    void list(String tag, List<String> items) {
      text(" " + tag + items.get(0) + (items.size() == 1 ? ";" : ":"));
      for (int i = 1; i < items.size(); i++) {
        text(items.get(i) + (i == items.size() - 1 ? ";" : ":"));
      }
    }

    /** A base64 value split over lines (whitespace in b= is ignored, RFC 6376 section 3.5). */
    String foldValue(String v) {
      StringBuilder out = new StringBuilder(v.length() + 32);
      int col = column;
      int i = 0;
      while (i < v.length()) {
        int room = LINE - col;
        if (room < 8) {
          out.append("\r\n\t");
          col = 8;
          room = LINE - col;
        }
        int n = Math.min(room, v.length() - i);
        out.append(v, i, i + n);
        col += n;
        i += n;
      }
      return out.toString();
    }

    @Override
    public String toString() {
      return sb.toString();
    }
  }

  /** Configures a {@link DkimSigner}. Not thread-safe. */
  public static final class Builder {
    private final String domain;
    private final String selector;
    private final PrivateKey key;
    private Canonicalization headerCanonicalization = Canonicalization.RELAXED;
    private Canonicalization bodyCanonicalization = Canonicalization.RELAXED;
    private List<String> headers = DEFAULT_HEADERS;
    private boolean overSign;
    private Clock clock = Clock.systemUTC();
    private Duration expiry;
    private String identity;
    private boolean bodyLengthTag;

    private Builder(String domain, String selector, PrivateKey key) {
      this.domain = Objects.requireNonNull(domain, "domain");
      this.selector = Objects.requireNonNull(selector, "selector");
      this.key = Objects.requireNonNull(key, "key");
      DkimKeys.algorithmFor(key); // fails early for other key types
      if (!DkimSignature.isDomainName(domain, true) || !DkimSignature.isDomainName(selector, false)) {
        throw new IllegalArgumentException("invalid d= or s=: " + domain + ", " + selector);
      }
    }

    /** c= (default relaxed/relaxed). */
    public Builder canonicalization(Canonicalization header, Canonicalization body) {
      this.headerCanonicalization = Objects.requireNonNull(header);
      this.bodyCanonicalization = Objects.requireNonNull(body);
      return this;
    }

    /** The header field names to sign (From is added if missing). */
    public Builder headers(List<String> names) {
      List<String> h = new ArrayList<>(names);
      if (h.stream().noneMatch(n -> n.equalsIgnoreCase("from"))) {
        h.add(0, "From");
      }
      this.headers = h;
      return this;
    }

    /** Whether each listed field is signed once more than it occurs (default false). */
    public Builder overSign(boolean on) {
      this.overSign = on;
      return this;
    }

    /** Where t= comes from (default the system clock, UTC). */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c);
      return this;
    }

    /** Adds x= this long after t= (default: no x=). */
    public Builder expiry(Duration d) {
      this.expiry = d;
      return this;
    }

    /** Adds i= (the AUID); its domain must be d= or a subdomain of it. */
    public Builder identity(String auid) {
      int at = auid == null ? -1 : auid.lastIndexOf('@');
      if (auid != null && (at < 0 || !DkimSignature.isSameOrSubdomain(auid.substring(at + 1), domain))) {
        throw new IllegalArgumentException("i= must be an address within d=" + domain + ": " + auid);
      }
      this.identity = auid;
      return this;
    }

    /** Whether to add l= with the canonical body length (default false: see RFC 6376 section 8.2). */
    public Builder bodyLengthTag(boolean on) {
      this.bodyLengthTag = on;
      return this;
    }

    public DkimSigner build() {
      return new DkimSigner(this);
    }
  }
}
