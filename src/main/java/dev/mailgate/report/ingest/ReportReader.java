package dev.mailgate.report.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Turns a received file (XML, gzip or zip; the format is told by its first bytes, not its name, since
 * reporters label them every way) into parsed reports, within {@link ReportLimits}. Decompressed bytes
 * are counted as they come out of the inflater, over all entries of an input together, so neither a zip's
 * declared sizes nor its entry count can make us read more than the bounds. Thread-safe.
 */
public final class ReportReader {
  private final ReportLimits limits;

  public ReportReader(ReportLimits limits) {
    this.limits = limits;
  }

  public ReportReader() {
    this(ReportLimits.DEFAULT);
  }

  public ReportLimits limits() {
    return limits;
  }

  /** The format of a file, from its magic bytes. */
  public enum Format {
    GZIP, ZIP, XML, OTHER;

    static Format of(byte[] b) {
      if (b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
        return GZIP;
      }
      if (b.length >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4) {
        return ZIP;
      }
      int i = AggregateReportParser.skipBomAndSpace(b);
      if (i < b.length && b[i] == '<') {
        return XML;
      }
      // UTF-16 with a byte order mark: the XML parser reads it.
      if (b.length >= 2 && ((b[0] & 0xff) == 0xFE && (b[1] & 0xff) == 0xFF
          || (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE)) {
        return XML;
      }
      return OTHER;
    }
  }

  /** Reads one file or attachment; {@code name} labels the results. Never throws for its content. */
  public List<ReportParse> read(String name, byte[] bytes) {
    List<ReportParse> out = new ArrayList<>();
    if (bytes.length > limits.maxInputBytes()) {
      out.add(new ReportParse.Failed(name, ReportParse.Problem.INPUT_TOO_LARGE, "input of " + bytes.length
          + " bytes is larger than the limit of " + limits.maxInputBytes() + " bytes"));
      return out;
    }
    Budget budget = new Budget(bytes.length);
    try {
      switch (Format.of(bytes)) {
        case GZIP -> {
          byte[] xml = inflate(new GZIPInputStream(new ByteArrayInputStream(bytes)), budget);
          out.add(xml(name, xml));
        }
        case ZIP -> zip(name, bytes, budget, out);
        case XML -> out.add(AggregateReportParser.parse(name, bytes, limits));
        case OTHER -> out.add(new ReportParse.Failed(name, ReportParse.Problem.NOT_A_REPORT,
            "neither XML, gzip nor zip (first bytes " + hex(bytes) + ")"));
      }
    } catch (Refused e) {
      out.add(new ReportParse.Failed(e.source == null ? name : e.source, e.problem, e.getMessage()));
    } catch (IOException e) {
      // java.util.zip reports corrupt data (and truncated streams) as IOException subclasses.
      out.add(new ReportParse.Failed(name, ReportParse.Problem.CORRUPT_ARCHIVE,
          "corrupt " + Format.of(bytes).name().toLowerCase(java.util.Locale.ROOT) + " data: "
              + AggregateReportParser.oneLine(String.valueOf(e.getMessage()))));
    } catch (RuntimeException e) {
      // Inflater and ZipInputStream throw unchecked exceptions for some malformed headers.
      out.add(new ReportParse.Failed(name, ReportParse.Problem.CORRUPT_ARCHIVE,
          "corrupt archive: " + e.getClass().getSimpleName() + ": "
              + AggregateReportParser.oneLine(String.valueOf(e.getMessage()))));
    }
    return out;
  }

  private ReportParse xml(String source, byte[] xml) {
    Format f = Format.of(xml);
    if (f == Format.GZIP || f == Format.ZIP) {
      return new ReportParse.Failed(source, ReportParse.Problem.NESTED_ARCHIVE,
          "an archive inside an archive is not read (reports are one level deep)");
    }
    return AggregateReportParser.parse(source, xml, limits);
  }

  private void zip(String name, byte[] bytes, Budget budget, List<ReportParse> out) throws IOException, Refused {
    try (ZipInputStream zin = new ZipInputStream(new ByteArrayInputStream(bytes))) {
      int entries = 0;
      ZipEntry e;
      while ((e = zin.getNextEntry()) != null) {
        if (++entries > limits.maxEntries()) {
          throw new Refused(name, ReportParse.Problem.TOO_MANY_ENTRIES, "zip with more than "
              + limits.maxEntries() + " entries");
        }
        if (e.isDirectory()) {
          continue;
        }
        String entryName = name + "!" + e.getName();
        String lower = e.getName().toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".zip") || lower.endsWith(".gz") || lower.endsWith(".tgz")) {
          out.add(new ReportParse.Failed(entryName, ReportParse.Problem.NESTED_ARCHIVE,
              "an archive inside an archive is not read (reports are one level deep)"));
          continue;
        }
        // The entry's declared size is ignored: the bytes are counted as they are inflated.
        byte[] xml = inflate(zin, budget);
        out.add(xml(entryName, xml));
      }
      if (entries == 0) {
        out.add(new ReportParse.Failed(name, ReportParse.Problem.CORRUPT_ARCHIVE, "zip without entries"));
      }
    } catch (ZipException z) {
      out.add(new ReportParse.Failed(name, ReportParse.Problem.CORRUPT_ARCHIVE, "corrupt zip data: "
          + AggregateReportParser.oneLine(String.valueOf(z.getMessage()))));
    }
  }

  /** Reads a decompressing stream to its end (an entry's end for a zip), within the budget. */
  private byte[] inflate(InputStream in, Budget budget) throws IOException, Refused {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[16384];
    int n;
    while ((n = in.read(buf)) > 0) {
      budget.take(n);
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private final class Budget {
    final long compressed;
    long total;

    Budget(long compressed) {
      this.compressed = compressed;
    }

    void take(int n) throws Refused {
      total += n;
      if (total > limits.ratioFloorBytes() && total > (long) limits.maxRatio() * compressed) {
        throw new Refused(null, ReportParse.Problem.COMPRESSION_RATIO, "decompresses to more than "
            + limits.maxRatio() + " times its size (" + compressed + " bytes gave over " + total
            + " bytes): refused as a compression bomb");
      }
      if (total > limits.maxXmlBytes()) {
        throw new Refused(null, ReportParse.Problem.DECOMPRESSED_TOO_LARGE, "decompresses to more than "
            + limits.maxXmlBytes() + " bytes");
      }
    }
  }

  private static final class Refused extends Exception {
    final String source;
    final ReportParse.Problem problem;

    Refused(String source, ReportParse.Problem problem, String message) {
      super(message, null, false, false);
      this.source = source;
      this.problem = problem;
    }
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(4, b.length); i++) {
      sb.append(String.format("%02x", b[i] & 0xff));
    }
    return sb.length() == 0 ? "(empty)" : sb.toString();
  }
}
