package dev.mailgate.report.ingest;

import java.util.Objects;

/**
 * What became of one report file (one XML document, or one attachment that held none): parsed, or refused
 * with the reason. A hostile or malformed input is a {@link Failed} value, never an exception.
 */
public sealed interface ReportParse permits ReportParse.Parsed, ReportParse.Failed {

  /** Where the document came from: a file or attachment name, with "!entry" for a zip entry. */
  String source();

  /** A report, parsed. */
  record Parsed(String source, ReceivedReport report) implements ReportParse {
    public Parsed {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(report, "report");
    }
  }

  /** A refused or unreadable input, with the rule it broke and a sentence for people. */
  record Failed(String source, Problem problem, String reason) implements ReportParse {
    public Failed {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Why an input was refused. Each bound of {@link ReportLimits} has its own word. */
  enum Problem {
    /** The input (compressed) is larger than {@link ReportLimits#maxInputBytes()}. */
    INPUT_TOO_LARGE,
    /** Decompressed content exceeds {@link ReportLimits#maxXmlBytes()}. */
    DECOMPRESSED_TOO_LARGE,
    /** Decompressed content exceeds {@link ReportLimits#maxRatio()} times the compressed size. */
    COMPRESSION_RATIO,
    /** A zip with more than {@link ReportLimits#maxEntries()} entries. */
    TOO_MANY_ENTRIES,
    /** An archive inside an archive (zip in zip, gzip in zip, gzip in gzip). */
    NESTED_ARCHIVE,
    /** A corrupt zip or gzip stream. */
    CORRUPT_ARCHIVE,
    /** The XML has a document type declaration: refused (external entities, entity expansion). */
    DTD_REFUSED,
    /** Not well-formed XML. */
    MALFORMED_XML,
    /** XML nested deeper than {@link ReportLimits#maxDepth()}. */
    TOO_DEEP,
    /** More records than {@link ReportLimits#maxRecords()}. */
    TOO_MANY_RECORDS,
    /** Well-formed XML or some other content, but not a DMARC aggregate report. */
    NOT_A_REPORT;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }
}
