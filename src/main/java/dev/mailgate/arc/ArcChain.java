package dev.mailgate.arc;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dkim.ByteBuilder;
import dev.mailgate.dkim.Canonicalization;
import dev.mailgate.message.HeaderField;
import java.util.ArrayList;
import java.util.List;

/**
 * The ARC header fields of a message, collected into ARC Sets by instance and checked for structure
 * (RFC 8617 section 5.2 steps 1 to 3). Immutable once collected; shared by the validator and the sealer.
 */
final class ArcChain {
  /**
   * More ARC fields than 50 complete sets have means more than 50 sets or duplicates: a failure either
   * way (section 5.2 steps 1 and 3A), decided before anything is parsed.
   */
  static final int MAX_FIELDS = 3 * ArcValidator.MAX_SETS;

  /** The fields of one instance; a valid chain has exactly one of each. */
  static final class Set {
    final int instance;
    final List<ArcAuthenticationResults> aar = new ArrayList<>(1);
    final List<ArcSignature> ams = new ArrayList<>(1);
    final List<ArcSignature> seal = new ArrayList<>(1);

    Set(int instance) {
      this.instance = instance;
    }

    ArcAuthenticationResults aar() {
      return aar.get(0);
    }

    ArcSignature ams() {
      return ams.get(0);
    }

    ArcSignature seal() {
      return seal.get(0);
    }
  }

  private final int fieldCount;
  private final int highest;
  private final Set[] sets; // index 1..highest; null where no field has that instance
  private final String malformed; // the first ARC field without a valid instance, described
  private final String structureError;

  private ArcChain(int fieldCount, int highest, Set[] sets, String malformed) {
    this.fieldCount = fieldCount;
    this.highest = highest;
    this.sets = sets;
    this.malformed = malformed;
    this.structureError = fieldCount > MAX_FIELDS ? null : checkStructure();
  }

  /** Collects the ARC fields of {@code headers} (section 5.2 step 1). */
  static ArcChain collect(List<HeaderField> headers) {
    int count = 0;
    for (HeaderField f : headers) {
      if (ArcField.of(f) != null) {
        count++;
      }
    }
    if (count == 0 || count > MAX_FIELDS) {
      return new ArcChain(count, 0, new Set[1], null);
    }
    Set[] sets = new Set[ArcValidator.MAX_SETS + 1];
    int highest = 0;
    String malformed = null;
    for (HeaderField f : headers) {
      ArcField kind = ArcField.of(f);
      if (kind == null) {
        continue;
      }
      int instance;
      ArcAuthenticationResults aar = null;
      ArcSignature sig = null;
      if (kind == ArcField.AAR) {
        aar = ArcAuthenticationResults.parse(f);
        instance = aar.instance();
      } else {
        sig = ArcSignature.parse(kind, f);
        instance = sig.instance;
      }
      if (instance < 1) {
        if (malformed == null) {
          malformed = kind.fieldName + " without a valid instance tag i= (1..50; RFC 8617 section 4.2.1)";
        }
        continue;
      }
      Set s = sets[instance];
      if (s == null) {
        s = sets[instance] = new Set(instance);
      }
      switch (kind) {
        case AAR -> s.aar.add(aar);
        case AMS -> s.ams.add(sig);
        case AS -> s.seal.add(sig);
      }
      highest = Math.max(highest, instance);
    }
    return new ArcChain(count, highest, sets, malformed);
  }

  /** Whether the message has no ARC header field at all (chain validation status "none"). */
  boolean isEmpty() {
    return fieldCount == 0;
  }

  /** Whether there are more ARC fields than 50 sets can hold (nothing was parsed then). */
  boolean overflows() {
    return fieldCount > MAX_FIELDS;
  }

  /** N: the highest valid instance value found, 0 when none. */
  int highest() {
    return highest;
  }

  /** The set of instance {@code i} (1..{@link #highest()}); only complete when {@link #error()} is null. */
  Set set(int i) {
    return sets[i];
  }

  /** The chain validation status the newest seal reports (its cv=), or null when unknown. */
  AuthStatus newestSealStatus() {
    if (highest == 0 || sets[highest].seal.isEmpty()) {
      return null;
    }
    for (ArcSignature s : sets[highest].seal) {
      if (s.chainStatus == AuthStatus.FAIL) {
        return AuthStatus.FAIL;
      }
    }
    return sets[highest].seal().chainStatus;
  }

  /**
   * Why the chain fails before any signature is checked (section 5.2 steps 1 to 3), or null when it is
   * structurally valid.
   */
  String error() {
    if (fieldCount > MAX_FIELDS) {
      return "more than " + ArcValidator.MAX_SETS + " ARC Sets (" + fieldCount + " ARC header fields; RFC 8617 section 5.2 step 1)";
    }
    // Step 2 comes first: a chain whose newest seal says cv=fail has been declared failed by a sealer.
    if (newestSealStatus() == AuthStatus.FAIL) {
      return "the newest ARC-Seal (i=" + highest + ") reports cv=fail (RFC 8617 section 5.2 step 2)";
    }
    return structureError;
  }

  private String checkStructure() {
    if (malformed != null) {
      return malformed;
    }
    // Step 3A and 3B: exactly one of each field for every instance 1..N, no gaps, no repetition.
    for (int i = 1; i <= highest; i++) {
      Set s = sets[i];
      if (s == null) {
        return "ARC Set i=" + i + " is missing (instances must run 1.." + highest + "; RFC 8617 section 5.2 step 3B)";
      }
      String count = count(s.aar.size(), ArcField.AAR, i);
      if (count == null) {
        count = count(s.ams.size(), ArcField.AMS, i);
      }
      if (count == null) {
        count = count(s.seal.size(), ArcField.AS, i);
      }
      if (count != null) {
        return count;
      }
    }
    // Step 3C: cv= is none for i=1 and pass above it; never fail.
    for (int i = 1; i <= highest; i++) {
      AuthStatus cv = sets[i].seal().chainStatus;
      AuthStatus expected = i == 1 ? AuthStatus.NONE : AuthStatus.PASS;
      if (cv != expected) {
        String was = cv == null ? "a missing or invalid cv=" : "cv=" + cv.word();
        return "ARC-Seal i=" + i + " has " + was + ", expected cv=" + expected.word() + " (RFC 8617 section 5.2 step 3C)";
      }
    }
    return null;
  }

  private static String count(int n, ArcField kind, int instance) {
    if (n == 1) {
      return null;
    }
    String what = n == 0 ? "no " + kind.fieldName : n + " " + kind.fieldName + " fields";
    return "ARC Set i=" + instance + " has " + what + " (exactly one required; RFC 8617 section 5.2 step 3A)";
  }

  /**
   * The input of the ARC-Seal signature of instance {@code upTo} (RFC 8617 section 5.1.1): the ARC Sets
   * 1..upTo in increasing instance order, each as AAR, AMS, AS, relaxed-canonicalized and ended with
   * CRLF, except that the last field is the seal itself with its b= value deleted and no CRLF.
   */
  ByteBuilder sealData(int upTo) {
    ByteBuilder out = new ByteBuilder(1024 * upTo);
    for (int i = 1; i <= upTo; i++) {
      Set s = sets[i];
      appendField(out, s.aar().field().raw());
      appendField(out, s.ams().field.raw());
      if (i < upTo) {
        appendField(out, s.seal().field.raw());
      } else {
        Canonicalization.RELAXED.canonicalizeHeader(s.seal().fieldWithoutSignature(), out);
      }
    }
    return out;
  }

  static void appendField(ByteBuilder out, String raw) {
    // RFC 8617 section 4.1.3: only "relaxed" header canonicalization is used for the seal.
    Canonicalization.RELAXED.canonicalizeHeader(raw, out);
    out.appendCrlf();
  }
}
