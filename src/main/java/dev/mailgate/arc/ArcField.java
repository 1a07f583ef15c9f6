package dev.mailgate.arc;

import dev.mailgate.message.HeaderField;

/** The three ARC header fields that make up an ARC Set (RFC 8617 section 4.1). */
enum ArcField {
  /** ARC-Authentication-Results (section 4.1.1): the sealer's authentication assessment. */
  AAR("ARC-Authentication-Results"),
  /** ARC-Message-Signature (section 4.1.2): a DKIM-like signature over header fields and body. */
  AMS("ARC-Message-Signature"),
  /** ARC-Seal (section 4.1.3): a signature over the ARC Sets up to its own. */
  AS("ARC-Seal");

  /** The header field name as RFC 8617 spells it (matched case-insensitively). */
  final String fieldName;

  ArcField(String fieldName) {
    this.fieldName = fieldName;
  }

  /** The kind of {@code f}, or null when it is not an ARC header field. */
  static ArcField of(HeaderField f) {
    String n = f.name();
    // Cheap first test: every ARC field name starts with "ARC-" (4 chars).
    if (n.length() < 8 || (n.charAt(0) | 0x20) != 'a' || (n.charAt(1) | 0x20) != 'r' || (n.charAt(2) | 0x20) != 'c'
        || n.charAt(3) != '-') {
      return null;
    }
    for (ArcField k : values()) {
      if (n.equalsIgnoreCase(k.fieldName)) {
        return k;
      }
    }
    return null;
  }

  /**
   * The value of an instance tag (RFC 8617 section 3.9: {@code position = 1*2DIGIT ; 1 - 50}), or -1
   * when it is not one.
   */
  static int position(String value) {
    if (value == null || value.isEmpty() || value.length() > 2) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v >= 1 && v <= ArcValidator.MAX_SETS ? v : -1;
  }
}
