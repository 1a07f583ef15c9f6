package dev.mailgate.arc;

import dev.mailgate.dkim.DkimSignature;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dkim.Canonicalization;
import dev.mailgate.dkim.SignatureAlgorithm;
import dev.mailgate.dkim.TagList;
import dev.mailgate.message.HeaderField;
import java.util.List;

/**
 * One ARC-Message-Signature or ARC-Seal field, parsed and checked (RFC 8617 sections 4.1.2 and 4.1.3,
 * with the tag syntax and semantics of RFC 6376 section 3.5). Immutable and thread-safe.
 *
 * <p>{@link #parse} never throws. The instance ({@code i=}) is read whenever the tag-list parses, so
 * that a field can be put in its ARC Set even when something else in it is wrong; {@link #error()}
 * then says what (the chain fails when that signature is checked).
 */
final class ArcSignature {
  final ArcField kind;
  final HeaderField field;
  final TagList tags;
  /** i=: 1..50, or -1 when absent or not a position (RFC 8617 section 4.2.1). */
  final int instance;
  /** Why this signature cannot be verified, or null. */
  final String error;
  final SignatureAlgorithm algorithm; // a=
  final byte[] signature; // b=
  final String domain; // d=
  final String selector; // s=
  final long timestamp; // t=, -1 when absent
  // AMS only:
  final byte[] bodyHash; // bh=
  final Canonicalization headerCanonicalization; // c=, first half
  final Canonicalization bodyCanonicalization; // c=, second half
  final List<String> signedHeaders; // h=
  final long bodyLength; // l=, -1 when absent
  final long expiration; // x=, -1 when absent
  // AS only:
  final AuthStatus chainStatus; // cv=: NONE, PASS or FAIL; null when absent or not one of them

  private ArcSignature(Parse p) {
    this.kind = p.kind;
    this.field = p.field;
    this.tags = p.tags;
    this.instance = p.instance;
    this.error = p.error;
    this.algorithm = p.algorithm;
    this.signature = p.signature;
    this.domain = p.domain;
    this.selector = p.selector;
    this.timestamp = p.timestamp;
    this.bodyHash = p.bodyHash;
    this.headerCanonicalization = p.headerCanonicalization;
    this.bodyCanonicalization = p.bodyCanonicalization;
    this.signedHeaders = p.signedHeaders;
    this.bodyLength = p.bodyLength;
    this.expiration = p.expiration;
    this.chainStatus = p.chainStatus;
  }

  /** Parses an ARC-Message-Signature ({@code kind} AMS) or ARC-Seal ({@code kind} AS) field. */
  static ArcSignature parse(ArcField kind, HeaderField field) {
    if (kind == ArcField.AAR) {
      throw new IllegalArgumentException("an ARC-Authentication-Results field is no signature");
    }
    Parse p = new Parse();
    p.kind = kind;
    p.field = field;
    p.tags = TagList.parse(field.value());
    if (p.tags.isValid()) {
      p.instance = ArcField.position(p.tags.get("i"));
      // cv= is read apart from the other checks: validation step 2 (RFC 8617 section 5.2) looks at
      // the newest seal's cv= before anything else is verified.
      p.chainStatus = kind == ArcField.AS ? chainStatus(p.tags.get("cv")) : null;
    }
    p.error = kind == ArcField.AMS ? p.checkAms() : p.checkSeal();
    return new ArcSignature(p);
  }

  /** chain-status = ("none" / "fail" / "pass") (RFC 8617 section 3.9; ABNF strings ignore case). */
  private static AuthStatus chainStatus(String cv) {
    if (cv == null) {
      return null;
    }
    return switch (cv.toLowerCase(java.util.Locale.ROOT)) {
      case "none" -> AuthStatus.NONE;
      case "pass" -> AuthStatus.PASS;
      case "fail" -> AuthStatus.FAIL;
      default -> null;
    };
  }

  boolean isValid() {
    return error == null;
  }

  /**
   * The field as received with the value of b= deleted (RFC 6376 section 3.7 step 2), every other
   * byte unchanged. Only meaningful when the tag-list parsed.
   */
  String fieldWithoutSignature() {
    String raw = field.raw();
    return raw.substring(0, raw.indexOf(':') + 1) + tags.withEmptyValue("b");
  }

  /** A short name for reasons, e.g. {@code ARC-Seal i=2}. */
  String label() {
    return kind.fieldName + " i=" + (instance > 0 ? Integer.toString(instance) : "?");
  }

  @Override
  public String toString() {
    return label() + (error == null ? "" : " (invalid: " + error + ")");
  }

  /** The parse in progress. */
  private static final class Parse {
    ArcField kind;
    HeaderField field;
    TagList tags;
    int instance = -1;
    String error;
    SignatureAlgorithm algorithm;
    byte[] signature;
    String domain;
    String selector;
    long timestamp = -1;
    byte[] bodyHash;
    Canonicalization headerCanonicalization = Canonicalization.SIMPLE;
    Canonicalization bodyCanonicalization = Canonicalization.SIMPLE;
    List<String> signedHeaders = List.of();
    long bodyLength = -1;
    long expiration = -1;
    AuthStatus chainStatus;

    /** RFC 8617 section 4.1.2: DKIM-Signature syntax without v= (ignored if seen) and with i= the instance. */
    String checkAms() {
      String e = checkCommon(new String[] {"a", "b", "bh", "d", "h", "s"});
      if (e != null) {
        return e;
      }
      bodyHash = DkimSignature.decodeBase64(tags.get("bh"));
      if (bodyHash == null) {
        return "signature syntax error: bh= is not base64";
      }
      // Without c= we read the AMS as relaxed/relaxed, as dkimpy and OpenARC (the implementations that
      // define ARC practice) and the ARC test suite (ams_fields_c_na) do. RFC 6376's own default,
      // simple/simple, is the literal reading of RFC 8617 4.1.2; no real sealer omits c= (docs/CONFORMANCE.md).
      String c = tags.get("c", "relaxed/relaxed");
      int slash = c.indexOf('/');
      headerCanonicalization = Canonicalization.fromTag(slash < 0 ? c : c.substring(0, slash));
      // RFC 6376 section 3.5: "c=relaxed" is treated the same as "c=relaxed/simple".
      bodyCanonicalization = slash < 0 ? Canonicalization.SIMPLE : Canonicalization.fromTag(c.substring(slash + 1));
      if (headerCanonicalization == null || bodyCanonicalization == null) {
        return "unsupported canonicalization c=" + shorten(c); // RFC 6376 section 3.4
      }
      List<String> h = TagList.splitColonList(tags.get("h"));
      for (String name : h) {
        // An empty h= or an empty item names no field; the published ARC suite expects such a
        // signature to verify (it then covers the body and itself only), so it is not an error here.
        if (!name.isEmpty() && !DkimSignature.isFieldName(name)) {
          return "signature syntax error: h= has an invalid header field name";
        }
        if (name.equalsIgnoreCase(ArcField.AS.fieldName)) {
          // RFC 8617 section 4.1.2: ARC-Seal MUST NOT be covered by the AMS; the seal signs the AMS,
          // so an AMS covering a seal would make the two depend on each other.
          return "h= includes ARC-Seal (RFC 8617 section 4.1.2)";
        }
      }
      signedHeaders = List.copyOf(h);
      if (tags.has("l")) {
        String l = tags.get("l");
        if (!DkimSignature.isDigits(l, 76)) {
          return "signature syntax error: l= is not a number";
        }
        bodyLength = l.length() > 18 ? Long.MAX_VALUE : Long.parseLong(l);
      }
      if (tags.has("q")) {
        boolean dnsTxt = false;
        for (String method : TagList.splitColonList(tags.get("q"))) {
          dnsTxt |= method.equals("dns/txt");
        }
        if (!dnsTxt) {
          return "unsupported query method q=" + shorten(tags.get("q")); // RFC 6376 section 3.5
        }
      }
      expiration = DkimSignature.time(tags.get("x"));
      if (expiration == -2) {
        return "signature syntax error: x= is not a number";
      }
      if (timestamp >= 0 && expiration >= 0 && expiration <= timestamp) {
        return "signature syntax error: x= is not later than t="; // RFC 6376 section 3.5 x=
      }
      return null;
    }

    /** RFC 8617 section 4.1.3: tags i, a, b, d, s, t and cv; no h=; no body, so no bh= or c= used. */
    String checkSeal() {
      String e = checkCommon(new String[] {"a", "b", "cv", "d", "s"});
      if (e != null) {
        return e;
      }
      if (tags.has("h")) {
        // RFC 8617 section 4.1.3: "the DKIM "h" tag is NOT allowed and, if found, MUST result in a cv
        // status of "fail"".
        return "ARC-Seal has an h= tag (RFC 8617 section 4.1.3)";
      }
      if (chainStatus == null) {
        return "cv=" + shorten(tags.get("cv")) + " is not none, pass or fail (RFC 8617 section 3.9)";
      }
      return null;
    }

    private String checkCommon(String[] required) {
      if (!tags.isValid()) {
        return "signature syntax error: " + tags.error();
      }
      if (instance < 0) {
        return tags.has("i") ? "i=" + shorten(tags.get("i")) + " is not an instance 1..50" : "missing instance tag i=";
      }
      for (String req : required) {
        if (!tags.has(req)) {
          return "missing required tag " + req + "=";
        }
      }
      String a = tags.get("a");
      if (a.equals(SignatureAlgorithm.RSA_SHA1)) {
        // RFC 8301 section 3.1: "rsa-sha1 MUST NOT be used for signing or verifying."
        return "rsa-sha1 is not accepted (RFC 8301)";
      }
      algorithm = SignatureAlgorithm.fromTag(a);
      if (algorithm == null) {
        return "unsupported algorithm a=" + shorten(a); // RFC 6376 section 3.3.4
      }
      signature = DkimSignature.decodeBase64(tags.get("b"));
      if (signature == null) {
        return "signature syntax error: b= is not base64";
      }
      domain = tags.get("d");
      if (!DkimSignature.isDomainName(domain, true)) {
        return "signature syntax error: d=" + shorten(domain) + " is not a domain name";
      }
      selector = tags.get("s");
      if (!DkimSignature.isDomainName(selector, false)) {
        return "signature syntax error: s=" + shorten(selector) + " is not a selector";
      }
      timestamp = DkimSignature.time(tags.get("t"));
      if (timestamp == -2) {
        return "signature syntax error: t= is not a number";
      }
      return null;
    }
  }

  static String shorten(String s) {
    if (s == null) {
      return "(none)";
    }
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
