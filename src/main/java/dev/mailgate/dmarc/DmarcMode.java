package dev.mailgate.dmarc;

/** Which specification the evaluator follows. */
public enum DmarcMode {
  /**
   * RFC 9989 (DMARCbis): DNS Tree Walk for policy discovery and Organizational Domains, "np", "psd"
   * and "t" honoured, "pct" ignored. The default.
   */
  RFC9989,
  /**
   * RFC 7489: Organizational Domain from the Public Suffix List (section 3.2), discovery per section
   * 6.6.3, "pct" sampling (6.6.4); "np", "psd" and "t" are unknown tags there and are ignored.
   */
  RFC7489;

  /** The RFC 9990 "discovery_method" word: "treewalk" or "psl". */
  public String discoveryMethod() {
    return this == RFC9989 ? "treewalk" : "psl";
  }
}
