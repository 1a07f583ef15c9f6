package dev.mailgate.report.ingest;

/**
 * The bounds a received report must stay within (docs/REPORTING.md, "Reports in"). Reports come from
 * anyone who can send us mail, so every resource they can make us spend is bounded; an input over a bound
 * is refused with {@link ReportParse.Problem} naming it. Immutable.
 *
 * <p>The defaults leave a wide margin above real reports: the largest daily reports of the big mailbox
 * providers are a few megabytes of XML for domains with millions of messages (rows are aggregated by
 * source and result, so XML grows with the number of sources, not messages), and compress 10 to 30 times.
 *
 * @param maxInputBytes the largest attachment or file read (compressed): default 10 MiB
 * @param maxXmlBytes the most decompressed bytes taken from one input, over all its entries: default 50 MiB
 * @param maxRatio the largest decompressed-to-compressed ratio, checked once the output passes
 *     {@code ratioFloorBytes}: default 200 (real XML reports compress 10-30x, a very repetitive one about 75x;
 *     bombs compress 1000x; the total {@code maxXmlBytes} bounds whatever passes)
 * @param ratioFloorBytes below this much output the ratio is not checked (a tiny file can have any ratio):
 *     default 1 MiB
 * @param maxEntries the most zip entries looked at: default 16 (providers send one)
 * @param maxDepth the deepest element nesting: default 32 (the schemas need 5)
 * @param maxRecords the most {@code <record>} elements in one report: default 1,000,000
 * @param maxParts the most MIME parts of a report mail looked at: default 64
 */
public record ReportLimits(
    long maxInputBytes, long maxXmlBytes, int maxRatio, long ratioFloorBytes, int maxEntries, int maxDepth,
    int maxRecords, int maxParts) {

  public static final ReportLimits DEFAULT =
      new ReportLimits(10L << 20, 50L << 20, 200, 1L << 20, 16, 32, 1_000_000, 64);

  public ReportLimits {
    if (maxInputBytes <= 0 || maxXmlBytes <= 0 || maxRatio <= 0 || ratioFloorBytes < 0 || maxEntries <= 0
        || maxDepth <= 0 || maxRecords <= 0 || maxParts <= 0) {
      throw new IllegalArgumentException("report limits must be positive");
    }
  }
}
