package dev.mailgate.dmarc;

/** Identifier Alignment mode: the value of "adkim" and "aspf" (RFC 9989 section 4.7, dmarc-rors). */
public enum AlignmentMode {
  /** "r": the two domains have the same Organizational Domain (RFC 9989 3.2.10.1). */
  RELAXED,
  /** "s": the two domains are identical (RFC 9989 3.2.10.2). */
  STRICT;

  /** The tag value: "r" or "s". */
  public String tagValue() {
    return this == RELAXED ? "r" : "s";
  }
}
