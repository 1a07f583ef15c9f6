package dev.mailgate.dmarc;

/** Which tag of the record the applied policy came from (RFC 9989 section 4.10.1). */
public enum PolicyTag {
  /** "p": the Author Domain is the DMARC Policy Domain, or the record has no applicable sp/np. */
  P,
  /** "sp": the Author Domain is an existing subdomain of the DMARC Policy Domain. */
  SP,
  /** "np": the Author Domain is a non-existent subdomain of the DMARC Policy Domain. */
  NP;

  /** The tag name: "p", "sp" or "np". */
  public String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
