package dev.mailgate.arc;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dkim.BodyHash;
import dev.mailgate.dkim.BodyHashes;
import dev.mailgate.dkim.ByteBuilder;
import dev.mailgate.dkim.DkimKeyRecord;
import dev.mailgate.dkim.DkimSignature;
import dev.mailgate.dkim.SignedHeaders;
import dev.mailgate.dns.DnsResolver;
import dev.mailgate.dns.DnsTempFailure;
import dev.mailgate.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Validates the Authenticated Received Chain of a message (RFC 8617 section 5.2). Immutable and
 * thread-safe: one instance serves concurrent calls. All DNS goes through the injected {@link
 * DnsResolver}; time (the AMS x= tag) comes from the injected {@link Clock}.
 *
 * <p>The steps of section 5.2, in the order they are run:
 *
 * <ol>
 *   <li>Collect the ARC Sets. None: "none". More than 50: "fail".
 *   <li>The newest ARC-Seal says cv=fail: "fail".
 *   <li>Structure: exactly one AAR, AMS and AS per instance, instances 1..N without gaps, cv=none at
 *       i=1 and cv=pass above. Otherwise "fail".
 *   <li>The newest ARC-Message-Signature must verify, else "fail".
 *   <li>Each ARC-Seal from N down to 1 must verify, else "fail" (section 5.2 step 6, run before the
 *       optional step 5 so that an invalid chain costs no DNS queries for older signatures).
 *   <li>oldest-pass (section 5.2 step 5): the older AMSs from N-1 down are verified until one fails.
 *       This never changes the status.
 * </ol>
 *
 * <p>Bounds on hostile input: more than 150 ARC fields fail before any parsing; DNS queries for keys are
 * cached per message (a sealer's AMS and AS usually share a key) and limited to {@link
 * Options#maxKeyLookups()} distinct names per message; at most 3 TXT records per name are tried.
 *
 * <p>A DNS timeout or SERVFAIL while fetching a key makes the chain "fail" (section 5.2.1: "All errors,
 * including DNS failures, become unrecoverable and are considered permanent"; ARC has no temperror), with
 * {@link ArcResult#dnsTempFailure()} set so that a caller may defer the message instead.
 */
public final class ArcValidator {
  /** RFC 8617 section 4.2.1: instance values range from 1 to 50. */
  public static final int MAX_SETS = 50;

  /** How many TXT records at one key name are tried, as for DKIM (RFC 6376 section 6.1.2 step 4). */
  private static final int MAX_KEY_RECORDS = 3;

  /**
   * Validation settings.
   *
   * @param maxKeyLookups how many distinct key names may be queried for one message; a chain that needs
   *     more fails (RFC 8617 section 9.2 warns of chains made to cause many queries)
   * @param minRsaBits the smallest acceptable RSA key; RFC 8301 section 3.2 forbids going below 1024
   */
  public record Options(int maxKeyLookups, int minRsaBits) {
    public Options {
      if (maxKeyLookups < 1) {
        throw new IllegalArgumentException("maxKeyLookups must be at least 1");
      }
      if (minRsaBits < 1024) {
        throw new IllegalArgumentException("minRsaBits below 1024 is not allowed (RFC 8301)");
      }
    }

    /** 20 key lookups per message, 1024-bit RSA minimum. */
    public static Options defaults() {
      return new Options(20, 1024);
    }
  }

  private final DnsResolver dns;
  private final Clock clock;
  private final Options options;

  public ArcValidator(DnsResolver dns, Clock clock) {
    this(dns, clock, Options.defaults());
  }

  public ArcValidator(DnsResolver dns, Clock clock, Options options) {
    this.dns = Objects.requireNonNull(dns, "dns");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Validates the chain of {@code message}. Never throws for anything the message or DNS contain. */
  public ArcResult validate(RawMessage message) {
    return validate(new BodyHashes(message));
  }

  /**
   * As {@link #validate(RawMessage)}, with body hashes shared with other checks of the same message
   * (an AMS usually hashes the body exactly as the DKIM-Signatures do).
   */
  public ArcResult validate(BodyHashes bodyHashes) {
    RawMessage message = bodyHashes.message();
    return validate(message, ArcChain.collect(message.headers()), bodyHashes);
  }

  ArcResult validate(RawMessage message, ArcChain chain) {
    return validate(message, chain, new BodyHashes(message));
  }

  private ArcResult validate(RawMessage message, ArcChain chain, BodyHashes bodyHashes) {
    if (chain.isEmpty()) {
      return ArcResult.none(); // section 5.2 step 1
    }
    int n = chain.highest();
    String structure = chain.error();
    if (structure != null) {
      return new ArcResult(AuthStatus.FAIL, n, 0, List.of(), List.of(), structure, false);
    }
    List<ArcResult.Sealer> sealers = new ArrayList<>(n);
    List<String> authResults = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      ArcSignature seal = chain.set(i).seal();
      sealers.add(new ArcResult.Sealer(i, seal.domain != null ? seal.domain : seal.tags.get("d"),
          seal.selector != null ? seal.selector : seal.tags.get("s")));
      authResults.add(utf8(chain.set(i).aar().payload()));
    }
    Validation v = new Validation(message, chain, bodyHashes);
    // Step 4: the newest AMS.
    Check ams = v.verifyAms(n);
    if (!ams.pass) {
      return new ArcResult(AuthStatus.FAIL, n, 0, sealers, authResults, ams.reason, ams.dnsTempFailure);
    }
    // Step 6: every seal, newest first.
    for (int i = n; i >= 1; i--) {
      Check seal = v.verifySeal(i);
      if (!seal.pass) {
        return new ArcResult(AuthStatus.FAIL, n, 0, sealers, authResults, seal.reason, seal.dnsTempFailure);
      }
    }
    // Step 5 (optional): oldest-pass. A failure here does not affect the chain's validity.
    int oldestPass = 0;
    String note = "";
    for (int m = n - 1; m >= 1; m--) {
      Check older = v.verifyAms(m);
      if (!older.pass) {
        oldestPass = m + 1;
        note = "; oldest-pass=" + oldestPass + " (" + older.reason + ")";
        break;
      }
    }
    String reason = n == 1 ? "1 ARC Set verified" : n + " ARC Sets verified";
    return new ArcResult(AuthStatus.PASS, n, oldestPass, sealers, authResults, reason + note, false);
  }

  /** Header text is held one char per byte; RFC 8601 (with RFC 6532) allows UTF-8 in the payload. */
  private static String utf8(String latin1) {
    for (int i = 0; i < latin1.length(); i++) {
      if (latin1.charAt(i) > 0x7f) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
      }
    }
    return latin1;
  }

  /** The outcome of checking one signature. */
  private record Check(boolean pass, String reason, boolean dnsTempFailure) {
    static final Check PASS = new Check(true, "verified", false);

    static Check fail(ArcSignature sig, String why) {
      return new Check(false, sig.label() + ": " + why, false);
    }
  }

  /** A key lookup's outcome, cached per message: the TXT records, or why there are none usable. */
  private record Lookup(List<String> records, String failure, boolean temporary) {}

  /** The state of validating one message: cached body hashes and key lookups. Not thread-safe. */
  private final class Validation {
    private final RawMessage message;
    private final ArcChain chain;
    private final Map<String, Lookup> keys = new HashMap<>(4);
    private final BodyHashes bodyHashes;

    Validation(RawMessage message, ArcChain chain, BodyHashes bodyHashes) {
      this.message = message;
      this.chain = chain;
      this.bodyHashes = bodyHashes;
    }

    /** RFC 8617 section 4.1.2: an AMS is verified like a DKIM-Signature (RFC 6376 section 6.1). */
    Check verifyAms(int instance) {
      ArcSignature sig = chain.set(instance).ams();
      if (!sig.isValid()) {
        return Check.fail(sig, sig.error);
      }
      long x = sig.expiration;
      if (x >= 0 && x != DkimSignature.INFINITE_TIME && clock.instant().getEpochSecond() > x) {
        return Check.fail(sig, "signature expired (x=" + x + ")"); // RFC 6376 section 6.1.1
      }
      // The body hash needs no DNS: checked first, so that a changed body costs no query.
      BodyHash body = bodyHash(sig);
      if (sig.bodyLength > body.canonicalLength()) {
        return Check.fail(sig, "body hash did not verify: l=" + sig.bodyLength
            + " is more than the canonicalized body (" + body.canonicalLength() + " octets)");
      }
      if (!MessageDigest.isEqual(body.digest(), sig.bodyHash)) {
        return Check.fail(sig, "body hash did not verify"); // RFC 6376 section 6.1.3 step 3
      }
      ByteBuilder data = SignedHeaders.headerData(message.headers(), sig.signedHeaders,
          sig.headerCanonicalization, sig.fieldWithoutSignature());
      return verifySignature(sig, data);
    }

    /** RFC 8617 section 5.1.1: the seal signs the ARC Sets 1..instance. */
    Check verifySeal(int instance) {
      ArcSignature sig = chain.set(instance).seal();
      if (!sig.isValid()) {
        return Check.fail(sig, sig.error);
      }
      return verifySignature(sig, chain.sealData(instance));
    }

    private Check verifySignature(ArcSignature sig, ByteBuilder data) {
      String name = DkimKeyRecord.dnsName(sig.selector, sig.domain);
      Lookup lookup = lookup(name);
      if (lookup.failure != null) {
        return new Check(false, sig.label() + ": " + lookup.failure, lookup.temporary);
      }
      String firstProblem = null;
      int tries = Math.min(lookup.records.size(), MAX_KEY_RECORDS);
      for (int i = 0; i < tries; i++) {
        DkimKeyRecord key = DkimKeyRecord.parse(lookup.records.get(i));
        String problem = key.unusableFor(sig.algorithm, options.minRsaBits());
        if (problem == null) {
          if (sig.algorithm.verify(key.publicKey(), data.array(), data.length(), sig.signature)) {
            return Check.PASS;
          }
          problem = "signature did not verify";
        }
        if (firstProblem == null || problem.equals("signature did not verify")) {
          firstProblem = problem; // as for DKIM: a key that worked but did not verify says most
        }
      }
      return Check.fail(sig, firstProblem);
    }

    private Lookup lookup(String name) {
      String key = name.toLowerCase(Locale.ROOT);
      Lookup cached = keys.get(key);
      if (cached != null) {
        return cached;
      }
      Lookup l;
      if (keys.size() >= options.maxKeyLookups()) {
        // Not cached: the budget is spent for this message, and every later name gets the same answer.
        return new Lookup(List.of(), "not verified: more than " + options.maxKeyLookups()
            + " key lookups for one message (RFC 8617 section 9.2)", false);
      }
      try {
        List<String> records = dns.txt(name);
        l = records.isEmpty()
            ? new Lookup(records, "no key for signature (no TXT record at " + name + ")", false)
            : new Lookup(records, null, false);
      } catch (DnsTempFailure e) {
        l = new Lookup(List.of(), "key unavailable: DNS error: " + e.getMessage()
            + " (RFC 8617 section 5.2.1: all failures are permanent)", true);
      }
      keys.put(key, l);
      return l;
    }

    private BodyHash bodyHash(ArcSignature sig) {
      return bodyHashes.get(sig.bodyCanonicalization, sig.algorithm, sig.bodyLength);
    }
  }
}
