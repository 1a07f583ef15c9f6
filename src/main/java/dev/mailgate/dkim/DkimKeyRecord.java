package dev.mailgate.dkim;

import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DKIM public key record (RFC 6376 section 3.6.1; k=ed25519 from RFC 8463 section 4.2) as published
 * in DNS at {@code selector._domainkey.domain}. Immutable and thread-safe. Shared with ARC, which
 * fetches its keys the same way (RFC 8617 section 4.1.3 / 5.1.1).
 *
 * <p>{@link #parse} never throws: a record that is not a usable key has a non-null {@link #error()}
 * (RFC 6376 section 6.1.2 step 5, "key syntax error"; the verifier reports permerror). A revoked key
 * (empty p=) is a valid record with {@link #revoked()} true.
 */
public final class DkimKeyRecord {
  private final String keyType; // "k"
  private final List<String> hashes; // "h"; empty = any
  private final List<String> services; // "s"
  private final List<String> flags; // "t"
  private final PublicKey publicKey; // "p"; null when revoked or invalid
  private final int keyBits;
  private final boolean revoked;
  private final String error;

  private DkimKeyRecord(
      String keyType,
      List<String> hashes,
      List<String> services,
      List<String> flags,
      PublicKey publicKey,
      int keyBits,
      boolean revoked,
      String error) {
    this.keyType = keyType;
    this.hashes = hashes;
    this.services = services;
    this.flags = flags;
    this.publicKey = publicKey;
    this.keyBits = keyBits;
    this.revoked = revoked;
    this.error = error;
  }

  /** The DNS name that holds the key: {@code selector._domainkey.domain} (RFC 6376 section 3.6.2.1). */
  public static String dnsName(String selector, String domain) {
    return selector + "._domainkey." + domain;
  }

  /**
   * Parses one TXT record (its strings already joined, RFC 6376 section 3.6.2.2). Tags we do not know,
   * including the g= of RFC 4871 that RFC 6376 dropped, are ignored (section 3.6.1).
   */
  public static DkimKeyRecord parse(String txt) {
    // Parsed records are kept by their text: decoding p= (base64, DER, a KeyFactory) costs more than
    // the rest of a DKIM check but for the hashing, and one sender's key signs message after message.
    // The result depends on the text alone, so a cached record is the same value parse would return.
    // Bounded (cleared when full) and only for texts of key-record size.
    if (txt.length() > MAX_CACHED_TEXT) {
      return parseText(txt);
    }
    DkimKeyRecord cached = CACHE.get(txt);
    if (cached == null) {
      cached = parseText(txt);
      if (CACHE.size() >= MAX_CACHED) {
        CACHE.clear();
      }
      CACHE.put(txt, cached);
    }
    return cached;
  }

  private static final int MAX_CACHED = 1024;
  private static final int MAX_CACHED_TEXT = 4096;
  private static final ConcurrentHashMap<String, DkimKeyRecord> CACHE = new ConcurrentHashMap<>();

  private static DkimKeyRecord parseText(String txt) {
    TagList tags = TagList.parse(txt);
    if (!tags.isValid()) {
      return invalid("key record syntax error: " + tags.error());
    }
    String v = tags.get("v");
    if (v != null) {
      // RFC 6376 section 3.6.1: v= "MUST be the first tag"; records with another value "MUST be
      // discarded".
      if (!tags.tags().get(0).name().equals("v")) {
        return invalid("key record syntax error: v= is not the first tag");
      }
      if (!v.equals("DKIM1")) {
        return invalid("key record version v=" + TagList.shorten(v) + " is not DKIM1");
      }
    }
    String p = tags.get("p");
    if (p == null) {
      return invalid("key record syntax error: no p= tag");
    }
    String k = tags.get("k", "rsa");
    List<String> hashes = tags.has("h") ? TagList.splitColonList(tags.get("h")) : List.of();
    List<String> services = tags.has("s") ? TagList.splitColonList(tags.get("s")) : List.of("*");
    List<String> flags = tags.has("t") ? TagList.splitColonList(tags.get("t")) : List.of();
    String b64 = TagList.removeWhitespace(p); // RFC 6376 section 3.6.1: FWS may appear inside p=
    if (b64.isEmpty()) {
      // RFC 6376 section 6.1.2 step 7: an empty p= means the key was revoked.
      return new DkimKeyRecord(k, hashes, services, flags, null, 0, true, null);
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      return invalid("key record syntax error: p= is not base64");
    }
    switch (k) {
      case "rsa" -> {
        RSAPublicKey key = DkimKeys.rsaPublicKey(der);
        if (key == null) {
          return invalid("key syntax error: p= is not an RSA public key");
        }
        return new DkimKeyRecord(k, hashes, services, flags, key, key.getModulus().bitLength(), false, null);
      }
      case "ed25519" -> {
        // RFC 8463 section 4.2: p= is the raw 32-byte key (a SubjectPublicKeyInfo is not accepted).
        if (der.length != 32) {
          return invalid("key syntax error: an Ed25519 p= must be 32 bytes, not " + der.length);
        }
        PublicKey key = DkimKeys.ed25519PublicKey(der);
        if (key == null) {
          return invalid("key syntax error: p= is not an Ed25519 public key");
        }
        return new DkimKeyRecord(k, hashes, services, flags, key, 256, false, null);
      }
      default -> {
        // RFC 6376 section 3.6.1: "Unrecognized key types MUST be ignored".
        return invalid("unsupported key type k=" + TagList.shorten(k));
      }
    }
  }

  private static DkimKeyRecord invalid(String error) {
    return new DkimKeyRecord(null, List.of(), List.of(), List.of(), null, 0, false, error);
  }

  /** Why the record cannot be used, or null when it parsed. */
  public String error() {
    return error;
  }

  public boolean isValid() {
    return error == null;
  }

  /** The k= value: {@code rsa} (the default) or {@code ed25519}. */
  public String keyType() {
    return keyType;
  }

  /** The h= list (acceptable hash algorithms); empty when the record has no h= (all allowed). */
  public List<String> hashes() {
    return hashes;
  }

  /** The s= list (service types); {@code *} when absent. */
  public List<String> services() {
    return services;
  }

  /** The t= flags. */
  public List<String> flags() {
    return flags;
  }

  /** The public key, or null when revoked or invalid. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** The key size: the RSA modulus length, 256 for Ed25519, 0 when there is no key. */
  public int keyBits() {
    return keyBits;
  }

  /** Whether p= is empty: the key was revoked (RFC 6376 section 6.1.2 step 7). */
  public boolean revoked() {
    return revoked;
  }

  /** t=y: the domain is testing DKIM (RFC 6376 section 3.6.1). */
  public boolean testing() {
    return flags.contains("y");
  }

  /** t=s: the i= domain must equal d= exactly, not be a subdomain of it (RFC 6376 section 3.6.1). */
  public boolean sameDomainOnly() {
    return flags.contains("s");
  }

  /** Whether h= allows {@code hashTag} (e.g. {@code sha256}); true when the record has no h=. */
  public boolean allowsHash(String hashTag) {
    return hashes.isEmpty() || hashes.contains(hashTag);
  }

  /** Whether s= covers email: it lists {@code email} or {@code *} (RFC 6376 section 3.6.1). */
  public boolean allowsEmail() {
    return services.contains("email") || services.contains("*");
  }

  @Override
  public String toString() {
    return error != null
        ? "DkimKeyRecord(invalid: " + error + ")"
        : "DkimKeyRecord(k=" + keyType + (revoked ? ", revoked" : ", " + keyBits + " bits") + ")";
  }

  /**
   * Why this record cannot verify a signature made with {@code alg}, or null when it can: the key checks
   * of RFC 6376 section 6.1.2 steps 5 to 8 and RFC 8301 section 3.2, in that order. DKIM and ARC (whose
   * signatures use DKIM's keys, RFC 8617 section 4.1.2) share them. The t=s check needs an AUID and is
   * the caller's.
   */
  public String unusableFor(SignatureAlgorithm alg, int minRsaBits) {
    if (!isValid()) {
      return error(); // step 5
    }
    if (!allowsHash(alg.hashTag())) {
      return "inappropriate hash algorithm: key record h= does not list " + alg.hashTag(); // step 6
    }
    if (!allowsEmail()) {
      // Section 3.6.1 s=: verifiers MUST ignore a record whose service types exclude email.
      return "key record is not for email (s= lacks email and *)";
    }
    if (revoked()) {
      return "key revoked"; // step 7
    }
    if (!keyType().equals(alg.keyType())) {
      return "inappropriate key algorithm: k=" + keyType() + " key for a=" + alg.tag(); // step 8
    }
    if (alg.keyType().equals("rsa") && keyBits() < minRsaBits) {
      // RFC 8301 section 3.2: verifiers MUST NOT consider signatures using RSA keys of less than 1024
      // bits as valid signatures.
      String why = minRsaBits == 1024 ? "RFC 8301 requires 1024" : "we require " + minRsaBits;
      return "key too small (" + keyBits() + " bits; " + why + ")";
    }
    return null;
  }
}
