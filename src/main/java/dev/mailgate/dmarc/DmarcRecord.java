package dev.mailgate.dmarc;

import java.util.List;

/**
 * A DMARC Policy Record (RFC 9989 section 4.7), with the RFC 7489 tags kept for compatibility and
 * reporting. Tags not given hold their defaults. Immutable.
 *
 * @param p "p": the Domain Owner Assessment Policy. {@link Policy#NONE} when the tag is absent (RFC 9989
 *     4.7) or when an invalid p/sp/np was replaced by p=none because the record has a valid rua URI
 *     (RFC 9989 4.10.1; then sp and np are null). Null only inside {@link ParsedRecord.Invalid}.
 * @param sp "sp": policy for existing subdomains, or null when absent
 * @param np "np": policy for non-existent subdomains, or null when absent
 * @param psd "psd": whether the domain is a Public Suffix Domain; {@link Psd#U} by default
 * @param testing "t": true for t=y (testing mode)
 * @param adkim "adkim": DKIM alignment mode, relaxed by default
 * @param aspf "aspf": SPF alignment mode, relaxed by default
 * @param rua "rua": aggregate report URIs (syntactically valid ones, in order), possibly empty
 * @param ruf "ruf": failure report URIs, possibly empty
 * @param fo "fo": failure reporting options, normalized (lower-case, no spaces), "0" by default
 * @param pct "pct" (RFC 7489 only): sampling percentage 0-100, 100 by default
 * @param rf "rf" (RFC 7489 only): failure report format(s), "afrf" by default
 * @param ri "ri" (RFC 7489 only): requested aggregate report interval in seconds, 86400 by default
 * @param problems syntax errors that were discarded in favour of defaults (RFC 9989 4.8), for logs and
 *     the "error" element of aggregate reports (RFC 9990 3.1.5); empty for a clean record
 */
public record DmarcRecord(
    Policy p,
    Policy sp,
    Policy np,
    Psd psd,
    boolean testing,
    AlignmentMode adkim,
    AlignmentMode aspf,
    List<ReportUri> rua,
    List<ReportUri> ruf,
    String fo,
    int pct,
    String rf,
    long ri,
    List<String> problems) {

  /** The "psd" tag values (RFC 9989 section 4.7, dmarc-psd). */
  public enum Psd {
    /** psd=y: the domain is a Public Suffix Domain. */
    Y,
    /** psd=n: not a PSD, and the Organizational Domain for itself and its subdomains. */
    N,
    /** psd=u (default): not a PSD; the Tree Walk decides the Organizational Domain. */
    U;

    /** The tag value: "y", "n" or "u". */
    public String tagValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public DmarcRecord {
    rua = List.copyOf(rua);
    ruf = List.copyOf(ruf);
    problems = List.copyOf(problems);
  }

  /** Reads a TXT string as an RFC 9989 record. Never throws; see {@link ParsedRecord} for the outcomes. */
  public static ParsedRecord parse(String txt) {
    return DmarcRecordParser.parse(txt, DmarcMode.RFC9989);
  }

  /**
   * Reads a TXT string under the rules of {@code mode}. They differ in what makes a record unusable:
   * RFC 7489 requires "p" (section 6.3) and does not know "np"; RFC 9989 treats a missing "p" as
   * p=none (section 4.7) and also checks "np" (4.10.1).
   */
  public static ParsedRecord parse(String txt, DmarcMode mode) {
    return DmarcRecordParser.parse(txt, mode);
  }

  /** The record as tag=value text with every tag's value (defaults included), e.g. for logs. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("v=DMARC1; p=").append(p == null ? "(invalid)" : p.word());
    if (sp != null) {
      sb.append("; sp=").append(sp.word());
    }
    if (np != null) {
      sb.append("; np=").append(np.word());
    }
    sb.append("; psd=").append(psd.tagValue()).append("; t=").append(testing ? "y" : "n")
        .append("; adkim=").append(adkim.tagValue()).append("; aspf=").append(aspf.tagValue());
    if (!rua.isEmpty()) {
      sb.append("; rua=").append(join(rua));
    }
    if (!ruf.isEmpty()) {
      sb.append("; ruf=").append(join(ruf));
    }
    return sb.append("; fo=").append(fo).append("; pct=").append(pct).append("; rf=").append(rf)
        .append("; ri=").append(ri).toString();
  }

  private static String join(List<ReportUri> uris) {
    StringBuilder sb = new StringBuilder();
    for (ReportUri u : uris) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(u);
    }
    return sb.toString();
  }
}
