package dev.mailgate.report.ingest;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.ParseException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * Finds the report files in a report mail (RFC 9990 section 5.2: the report is attached, or is the whole
 * body) and reads them. A part is a report candidate when its media type is one reporters use
 * (text/xml, application/xml, application/gzip, application/zip and their x- variants, and
 * application/octet-stream) or its file name ends in .xml, .gz or .zip. Thread-safe.
 */
public final class ReportMailReader {
  private static final Set<String> TYPES = Set.of("text/xml", "application/xml", "application/gzip",
      "application/x-gzip", "application/zip", "application/x-zip-compressed", "application/x-zip",
      "application/octet-stream", "application/x-gzip-compressed");

  /** Nested multiparts deeper than this are not looked into. */
  private static final int MAX_MIME_DEPTH = 8;

  private static final Session SESSION = Session.getInstance(new Properties());

  private final ReportReader reader;

  public ReportMailReader(ReportReader reader) {
    this.reader = reader;
  }

  /**
   * Every report in the message, or a {@link ReportParse.Failed} saying why there is none. Never throws
   * for the message's content.
   *
   * @param label names the message in results ("label/attachment.xml.gz")
   */
  public List<ReportParse> read(String label, byte[] eml) {
    List<ReportParse> out = new ArrayList<>();
    int[] parts = {0};
    try {
      MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(eml));
      walk(label, m, 0, parts, out);
    } catch (MessagingException | IOException | RuntimeException e) {
      out.add(new ReportParse.Failed(label, ReportParse.Problem.NOT_A_REPORT, "unreadable MIME structure: "
          + AggregateReportParser.oneLine(String.valueOf(e.getMessage()))));
    }
    if (out.isEmpty()) {
      out.add(new ReportParse.Failed(label, ReportParse.Problem.NOT_A_REPORT,
          "no part of the message is an XML, gzip or zip file"));
    }
    return out;
  }

  private void walk(String label, Part p, int depth, int[] parts, List<ReportParse> out)
      throws MessagingException, IOException {
    if (++parts[0] > reader.limits().maxParts()) {
      if (parts[0] == reader.limits().maxParts() + 1) {
        out.add(new ReportParse.Failed(label, ReportParse.Problem.NOT_A_REPORT, "more than "
            + reader.limits().maxParts() + " MIME parts: the rest not looked at"));
      }
      return;
    }
    String type = baseType(p);
    if (type.startsWith("multipart/")) {
      if (depth >= MAX_MIME_DEPTH) {
        return;
      }
      Object content = p.getContent();
      if (content instanceof Multipart mp) {
        for (int i = 0; i < mp.getCount(); i++) {
          BodyPart bp = mp.getBodyPart(i);
          walk(label, bp, depth + 1, parts, out);
        }
      }
      return;
    }
    String name = fileName(p);
    String lowerName = name == null ? "" : name.toLowerCase(Locale.ROOT);
    boolean byName = lowerName.endsWith(".xml") || lowerName.endsWith(".gz") || lowerName.endsWith(".zip");
    if (!TYPES.contains(type) && !byName) {
      return;
    }
    String source = label + "/" + (name == null ? "part" + parts[0] : name);
    if (out.stream().anyMatch(r -> r instanceof ReportParse.Parsed)) {
      // RFC 9990 3.5.2: "The aggregate report itself MUST be included in one of the parts of the message":
      // one report per message. Reading more would let one message hold many maximal reports in memory.
      out.add(new ReportParse.Failed(source, ReportParse.Problem.NOT_A_REPORT,
          "a second report in one message is not read (RFC 9990 3.5.2: one report per message)"));
      return;
    }
    byte[] bytes;
    try (InputStream in = p.getInputStream()) {
      // Read one byte past the limit: the reader then refuses it with INPUT_TOO_LARGE.
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, reader.limits().maxInputBytes() + 1));
    }
    out.addAll(reader.read(source, bytes));
  }

  private static String baseType(Part p) {
    try {
      String ct = p.getContentType();
      if (ct == null) {
        return "text/plain";
      }
      return new ContentType(ct).getBaseType().toLowerCase(Locale.ROOT);
    } catch (MessagingException e) {
      return "application/octet-stream";
    }
  }

  private static String fileName(Part p) {
    try {
      String n = p.getFileName();
      if (n != null) {
        return n;
      }
      String ct = p.getContentType();
      return ct == null ? null : new ContentType(ct).getParameter("name");
    } catch (ParseException e) {
      return null;
    } catch (MessagingException e) {
      return null;
    }
  }
}
