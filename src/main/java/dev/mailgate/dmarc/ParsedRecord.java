package dev.mailgate.dmarc;

/**
 * The outcome of reading one TXT string as a DMARC Policy Record. Each variant says why; none of them
 * is an exception.
 */
public sealed interface ParsedRecord {

  /** A record DMARC can apply (possibly with discarded syntax errors, see {@link DmarcRecord#problems()}). */
  record Valid(DmarcRecord record) implements ParsedRecord {}

  /**
   * Not a DMARC Policy Record: "v=DMARC1" is not the first tag (RFC 9989 section 4.7 "v": the entire
   * record is ignored). Such a TXT record does not count towards "multiple records".
   */
  record NotDmarc(String reason) implements ParsedRecord {}

  /**
   * A DMARC record ("v=DMARC1" first) that cannot be applied: its "p" (or "sp", "np") is invalid and it
   * has no valid "rua" URI, so the receiver "applies no DMARC processing" (RFC 9989 section 4.10.1,
   * RFC 7489 section 6.6.3 step 6). It still counts as the record at its name, and its "psd" tag still
   * steers the DNS Tree Walk. {@code record} holds what could be read, with a null {@code p}.
   */
  record Invalid(DmarcRecord record, String reason) implements ParsedRecord {}

  /** The record for {@link Valid} and {@link Invalid}, null for {@link NotDmarc}. */
  default DmarcRecord recordOrNull() {
    if (this instanceof Valid v) {
      return v.record();
    }
    if (this instanceof Invalid i) {
      return i.record();
    }
    return null;
  }
}
