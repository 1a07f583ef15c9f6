package dev.mailgate.report;

/** Which aggregate report schema a report is written in. */
public enum ReportFormat {
  /** RFC 9990 Appendix A, namespace {@code urn:ietf:params:xml:ns:dmarc-2.0}. The default. */
  RFC9990("urn:ietf:params:xml:ns:dmarc-2.0"),
  /**
   * RFC 7489 Appendix C, namespace {@code http://dmarc.org/dmarc-xml/0.1}, every element in it (the schema
   * as corrected so that it compiles: src/test/resources/report/README.md).
   */
  RFC7489("http://dmarc.org/dmarc-xml/0.1");

  private final String namespace;

  ReportFormat(String namespace) {
    this.namespace = namespace;
  }

  public String namespace() {
    return namespace;
  }

  /** Reads "rfc9990" or "rfc7489" (case-insensitive); null otherwise. */
  public static ReportFormat fromWord(String word) {
    for (ReportFormat f : values()) {
      if (f.name().equalsIgnoreCase(word)) {
        return f;
      }
    }
    return null;
  }
}
