package dev.mailgate.dkim;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.dns.DnsTempFailure;
import dev.mailgate.message.HeaderField;
import dev.mailgate.message.RawMessage;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Verifies the DKIM-Signature fields of a message (RFC 6376 section 6, with RFC 8301 and RFC 8463).
 * Immutable and thread-safe: one instance can serve concurrent calls. All DNS goes through the injected
 * {@link DnsResolver}; time (x=) comes from the injected {@link Clock}.
 *
 * <p>One {@link DkimResult} per DKIM-Signature field, in header order (topmost first). The result words
 * (RFC 8601 section 2.7.1) are used as follows:
 *
 * <ul>
 *   <li><b>pass</b>: body hash and signature verified with an acceptable key.
 *   <li><b>fail</b>: the signature was checked and did not verify: "body hash did not verify" (also
 *       when l= is larger than the canonical body, since the signed body is then no longer all there) or
 *       "signature did not verify".
 *   <li><b>permerror</b>: the signature or its key cannot be used, and asking again will not help:
 *       syntax errors, a missing or unsupported v=, a=, c= or q=, i= outside d=, From not signed, an
 *       expired x=, no key record, a revoked key, a key record error or mismatch (k=, h=, s=, t=s), an
 *       RSA key under 1024 bits ("key too small (512 bits; RFC 8301 requires 1024)"), and a=rsa-sha1
 *       ("rsa-sha1 is not accepted (RFC 8301)": RFC 8301 section 3.1 forbids verifying with it, so we
 *       treat it as an algorithm we do not implement, RFC 6376 section 3.3.4).
 *   <li><b>temperror</b>: the key could not be fetched now (DNS timeout or SERVFAIL).
 *   <li><b>policy</b>: the signature was not evaluated, or is not acceptable, by our choice: beyond
 *       {@link Options#maxSignatures()} fields (see below), or an l= that leaves part of the body
 *       unsigned when {@link Options#allowPartialBody()} is off.
 * </ul>
 *
 * <p>Signature count bound (RFC 6376 section 6.1 lets a verifier limit how many signatures it tries,
 * and section 8.4 explains the denial-of-service risk): only the first {@link Options#maxSignatures()}
 * DKIM-Signature fields in header order (default 10) are verified. Each further field still gets a
 * result, <b>policy</b> with reason "not verified: more than N DKIM-Signature fields", built from the
 * field alone, without DNS queries or cryptography.
 *
 * <p>Several TXT records at the key name (RFC 6376 section 3.6.2.2 calls the result undefined; section
 * 6.1.2 step 4 lets the verifier pick one or cycle through them): we cycle through the first {@link
 * Options#maxKeyRecords()} records in the order received. The first record that gives pass decides;
 * otherwise the result is the first "fail" (a key that worked but did not verify), and failing that the
 * result from the first record.
 *
 * <p>Body hashes are computed once per (body canonicalization, hash algorithm, l=) and shared by the
 * signatures of the message that need them; the body is canonicalized and hashed in one streaming
 * pass, so memory does not grow with the message.
 */
public final class DkimVerifier {

  /**
   * Verification settings.
   *
   * @param maxSignatures how many DKIM-Signature fields, in header order, are verified at most
   * @param maxKeyRecords how many TXT records at one key name are tried at most
   * @param minRsaBits the smallest acceptable RSA key; RFC 8301 section 3.2 forbids going below 1024
   * @param clockSkew how long after x= a signature still counts as unexpired (RFC 6376 section 3.5 x=
   *     allows a "fudge factor")
   * @param allowPartialBody whether a signature whose l= leaves part of the body unsigned can pass;
   *     when false it gives policy (RFC 6376 section 6.1.3 allows treating it as invalid)
   */
  public record Options(
      int maxSignatures, int maxKeyRecords, int minRsaBits, Duration clockSkew, boolean allowPartialBody) {

    public Options {
      if (maxSignatures < 1 || maxKeyRecords < 1) {
        throw new IllegalArgumentException("maxSignatures and maxKeyRecords must be at least 1");
      }
      if (minRsaBits < 1024) {
        // RFC 8301 section 3.2: verifiers MUST NOT consider signatures using RSA keys of less than
        // 1024 bits as valid signatures.
        throw new IllegalArgumentException("minRsaBits below 1024 is not allowed (RFC 8301)");
      }
      Objects.requireNonNull(clockSkew, "clockSkew");
      if (clockSkew.isNegative()) {
        throw new IllegalArgumentException("clockSkew must not be negative");
      }
    }

    /** 10 signatures, 3 key records, 1024-bit RSA minimum, no clock skew, partial bodies allowed. */
    public static Options defaults() {
      return new Options(10, 3, 1024, Duration.ZERO, true);
    }

    public Options withMaxSignatures(int n) {
      return new Options(n, maxKeyRecords, minRsaBits, clockSkew, allowPartialBody);
    }

    public Options withMaxKeyRecords(int n) {
      return new Options(maxSignatures, n, minRsaBits, clockSkew, allowPartialBody);
    }

    public Options withMinRsaBits(int bits) {
      return new Options(maxSignatures, maxKeyRecords, bits, clockSkew, allowPartialBody);
    }

    public Options withClockSkew(Duration skew) {
      return new Options(maxSignatures, maxKeyRecords, minRsaBits, skew, allowPartialBody);
    }

    public Options withAllowPartialBody(boolean allow) {
      return new Options(maxSignatures, maxKeyRecords, minRsaBits, clockSkew, allow);
    }
  }

  /** The header field name of DKIM signatures. */
  public static final String FIELD_NAME = "DKIM-Signature";

  private final DnsResolver dns;
  private final Clock clock;
  private final Options options;

  public DkimVerifier(DnsResolver dns, Clock clock) {
    this(dns, clock, Options.defaults());
  }

  public DkimVerifier(DnsResolver dns, Clock clock, Options options) {
    this.dns = Objects.requireNonNull(dns, "dns");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Verifies every DKIM-Signature field of {@code message}; one result per field, topmost first. An
   * empty list means the message is not signed (RFC 8601 "none"). Never throws for anything the
   * message or DNS data contain.
   */
  public List<DkimResult> verify(RawMessage message) {
    return verify(new BodyHashes(message));
  }

  /**
   * As {@link #verify(RawMessage)}, with body hashes shared with other checks of the same message (ARC
   * verifies its message signatures over the same body).
   */
  public List<DkimResult> verify(BodyHashes bodyHashes) {
    RawMessage message = bodyHashes.message();
    List<DkimResult> results = new ArrayList<>(2);
    int count = 0;
    for (HeaderField field : message.headers()) {
      if (!field.is(FIELD_NAME)) {
        continue;
      }
      count++;
      if (count > options.maxSignatures()) {
        DkimSignature sig = DkimSignature.parse(field);
        results.add(result(AuthStatus.POLICY, sig, 0,
            "not verified: more than " + options.maxSignatures() + " DKIM-Signature fields", false));
      } else {
        results.add(verify(message, field, bodyHashes));
      }
    }
    return results;
  }

  private DkimResult verify(RawMessage message, HeaderField field, BodyHashes bodyHashes) {
    DkimSignature sig = DkimSignature.parse(field);
    if (!sig.isValid()) {
      return result(AuthStatus.PERMERROR, sig, 0, sig.error(), false);
    }
    long x = sig.expiration();
    if (x >= 0 && x != DkimSignature.INFINITE_TIME) {
      long now = clock.instant().getEpochSecond();
      // RFC 6376 section 6.1.1: Verifiers MAY return PERMFAIL (signature expired).
      if (now > x + options.clockSkew().getSeconds()) {
        return result(AuthStatus.PERMERROR, sig, 0, "signature expired (x=" + x + ")", false);
      }
    }
    String name = DkimKeyRecord.dnsName(sig.selector(), sig.domain());
    List<String> records;
    try {
      records = dns.txt(name);
    } catch (DnsTempFailure e) {
      // RFC 6376 section 6.1.2 step 2: TEMPFAIL (key unavailable).
      return result(AuthStatus.TEMPERROR, sig, 0, "key unavailable: DNS error: " + e.getMessage(), false);
    }
    if (records.isEmpty()) {
      // RFC 6376 section 6.1.2 step 3: PERMFAIL (no key for signature).
      return result(AuthStatus.PERMERROR, sig, 0, "no key for signature (no TXT record at " + name + ")", false);
    }
    Verification v = new Verification(message, sig, bodyHashes);
    DkimResult chosen = null;
    int tries = Math.min(records.size(), options.maxKeyRecords());
    for (int i = 0; i < tries; i++) {
      DkimResult r = v.withKeyRecord(records.get(i));
      if (r.status() == AuthStatus.PASS) {
        return r;
      }
      if (chosen == null || (chosen.status() != AuthStatus.FAIL && r.status() == AuthStatus.FAIL)) {
        chosen = r;
      }
    }
    return chosen;
  }

  /** The state of verifying one signature against possibly several key records. */
  private final class Verification {
    private final RawMessage message;
    private final DkimSignature sig;
    private final BodyHashes bodyHashes;
    private ByteBuilder headerData;

    Verification(RawMessage message, DkimSignature sig, BodyHashes bodyHashes) {
      this.message = message;
      this.sig = sig;
      this.bodyHashes = bodyHashes;
    }

    DkimResult withKeyRecord(String txt) {
      SignatureAlgorithm alg = sig.algorithm();
      DkimKeyRecord key = DkimKeyRecord.parse(txt);
      boolean testing = key.isValid() && key.testing();
      String unusable = key.unusableFor(alg, options.minRsaBits());
      if (unusable != null) {
        // RFC 6376 section 6.1.2 steps 5-8, RFC 8301 section 3.2: PERMFAIL.
        int bits = key.isValid() && key.keyType().equals(alg.keyType()) ? key.keyBits() : 0;
        return result(AuthStatus.PERMERROR, sig, bits, unusable, testing);
      }
      if (key.sameDomainOnly()) {
        String iDomain = sig.identity().substring(sig.identity().lastIndexOf('@') + 1);
        if (!iDomain.equalsIgnoreCase(sig.domain())) {
          // RFC 6376 section 3.6.1 t=s: the i= domain MUST NOT be a subdomain of d=.
          return result(AuthStatus.PERMERROR, sig, key.keyBits(),
              "key record t=s requires the i= domain to equal d=", testing);
        }
      }
      BodyHash body = bodyHash();
      long l = sig.bodyLength();
      if (l > body.canonicalLength()) {
        // RFC 6376 section 3.5 l=: "MUST NOT be larger than the actual number of octets in the
        // canonicalized message body": the signed body is no longer all there.
        return result(AuthStatus.FAIL, sig, key.keyBits(), "body hash did not verify: l=" + l
            + " is more than the canonicalized body (" + body.canonicalLength() + " octets)", testing);
      }
      if (!MessageDigest.isEqual(body.digest(), sig.bodyHash())) {
        return result(AuthStatus.FAIL, sig, key.keyBits(), "body hash did not verify", testing); // 6.1.3 step 3
      }
      if (headerData == null) {
        headerData = SignedHeaders.headerData(message.headers(), sig.signedHeaders(),
            sig.headerCanonicalization(), sig.fieldWithoutSignature());
      }
      if (!alg.verify(key.publicKey(), headerData.array(), headerData.length(), sig.signature())) {
        return result(AuthStatus.FAIL, sig, key.keyBits(), "signature did not verify", testing); // step 4
      }
      if (l >= 0 && l < body.canonicalLength()) {
        long unsigned = body.canonicalLength() - l;
        if (!options.allowPartialBody()) {
          return result(AuthStatus.POLICY, sig, key.keyBits(),
              "l=" + l + " leaves " + unsigned + " body octets unsigned", testing);
        }
        return result(AuthStatus.PASS, sig, key.keyBits(),
            "signature verified; l=" + l + " leaves " + unsigned + " body octets unsigned", testing);
      }
      return result(AuthStatus.PASS, sig, key.keyBits(), "signature verified", testing);
    }

    private BodyHash bodyHash() {
      return bodyHashes.get(sig.bodyCanonicalization(), sig.algorithm(), sig.bodyLength());
    }
  }

  private static DkimResult result(AuthStatus status, DkimSignature sig, int keyBits, String reason, boolean testing) {
    return new DkimResult(status, sig.domain(), sig.selector(), sig.algorithmName(), keyBits, sig.identity(),
        sig.bPrefix(), reason, testing);
  }
}
