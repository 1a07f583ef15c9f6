package dev.mailgate.arc;

import dev.mailgate.dkim.DkimKeyRecord;
import dev.mailgate.dkim.DkimSignature;
import dev.mailgate.dkim.SignatureAlgorithm;
import dev.mailgate.dkim.TagList;
import java.util.Base64;

/**
 * ADAPTER, to be removed: small pieces of the dkim package that are not public yet, copied here so that
 * ARC can use them without editing dkim/. Each method names the dkim member it stands in for; once the
 * member is public, call it instead and delete the copy. Stateless and thread-safe.
 */
final class DkimPieces {
  private DkimPieces() {}

  /**
   * TODO(dkim): copy of {@code DkimSignature.decodeBase64(String)} (package-private): b= and bh= with
   * whitespace removed (RFC 6376 section 3.5: FWS is ignored in base64 values); null when empty or not
   * base64.
   */
  static byte[] decodeBase64(String value) {
    String s = TagList.removeWhitespace(value);
    if (s.isEmpty()) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * TODO(dkim): copy of {@code DkimSignature.isDomainName(String, boolean)} (package-private): a domain
   * name in LDH form (RFC 6376 section 3.5 d= and s=); {@code twoLabels} demands at least two labels.
   */
  static boolean isDomainName(String name, boolean twoLabels) {
    if (name == null || name.isEmpty() || name.length() > 253) {
      return false;
    }
    int labels = 0;
    int start = 0;
    while (true) {
      int dot = name.indexOf('.', start);
      int end = dot < 0 ? name.length() : dot;
      if (!isLabel(name, start, end)) {
        return false;
      }
      labels++;
      if (dot < 0) {
        break;
      }
      start = dot + 1;
    }
    return !twoLabels || labels >= 2;
  }

  private static boolean isLabel(String s, int from, int to) {
    if (to - from < 1 || to - from > 63 || s.charAt(from) == '-' || s.charAt(to - 1) == '-') {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * TODO(dkim): the key checks of {@code DkimVerifier.Verification.withKeyRecord} (private), in the same
   * order and with the same reasons: why {@code key} cannot verify a signature made with {@code alg}, or
   * null when it can. A public {@code DkimKeyRecord.unusableFor(SignatureAlgorithm, int minRsaBits)} in
   * dkim would replace this. The i=/t=s check is left out: ARC's i= is an instance number, not an AUID
   * (RFC 8617 section 4.2.1).
   */
  static String unusableKey(DkimKeyRecord key, SignatureAlgorithm alg, int minRsaBits) {
    if (!key.isValid()) {
      return key.error(); // RFC 6376 section 6.1.2 step 5
    }
    if (!key.allowsHash(alg.hashTag())) {
      return "inappropriate hash algorithm: key record h= does not list " + alg.hashTag(); // step 6
    }
    if (!key.allowsEmail()) {
      return "key record is not for email (s= lacks email and *)"; // RFC 6376 section 3.6.1 s=
    }
    if (key.revoked()) {
      return "key revoked"; // step 7
    }
    if (!key.keyType().equals(alg.keyType())) {
      return "inappropriate key algorithm: k=" + key.keyType() + " key for a=" + alg.tag(); // step 8
    }
    if (alg.keyType().equals("rsa") && key.keyBits() < minRsaBits) {
      // RFC 8301 section 3.2: verifiers MUST NOT consider signatures using RSA keys of less than 1024
      // bits as valid signatures.
      String why = minRsaBits == 1024 ? "RFC 8301 requires 1024" : "we require " + minRsaBits;
      return "key too small (" + key.keyBits() + " bits; " + why + ")";
    }
    return null;
  }

  /**
   * TODO(dkim): copy of {@code DkimSignature.time(String)} (private): seconds since the epoch; -1 when
   * absent, -2 when malformed, {@link DkimSignature#INFINITE_TIME} past 12 digits.
   */
  static long time(String value) {
    if (value == null) {
      return -1;
    }
    if (!isDigits(value, Integer.MAX_VALUE)) {
      return -2;
    }
    return value.length() > 12 ? DkimSignature.INFINITE_TIME : Long.parseLong(value);
  }

  /** TODO(dkim): copy of {@code DkimSignature.isDigits(String, int)} (private). */
  static boolean isDigits(String s, int maxLength) {
    if (s.isEmpty() || s.length() > maxLength) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * TODO(dkim): copy of {@code DkimSignature.isFieldName(String)} (private): field-name = 1*ftext,
   * ftext = %d33-57 / %d59-126 (RFC 5322 section 3.6.8).
   */
  static boolean isFieldName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 33 || c > 126 || c == ':') {
        return false;
      }
    }
    return true;
  }
}
