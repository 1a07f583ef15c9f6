package dev.mailgate.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The email that carries an aggregate report, as RFC 9990 section 3.5.2 says: a MIME message whose
 * attachment is the gzipped XML ({@code application/gzip}) named
 * {@code receiver!policy-domain!begin!end.xml.gz}, with the Subject
 * {@code Report Domain: <policy-domain> Submitter: <receiver> Report-ID: <id>} and the Report-ID also as
 * Message-ID. Thread-safe (stateless).
 */
public final class ReportMail {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss '+0000'",
      java.util.Locale.ROOT).withZone(ZoneOffset.UTC);

  private ReportMail() {}

  /** RFC 9990 3.5.2: {@code receiver "!" policy-domain "!" begin "!" end "." extension} (no unique-id). */
  public static String filename(String receiver, String policyDomain, long begin, long end, boolean gzip) {
    return receiver + "!" + policyDomain + "!" + begin + "!" + end + (gzip ? ".xml.gz" : ".xml");
  }

  /**
   * RFC 9990 3.5.1: a Report-ID unique among reports to the same domain and the same when a report is
   * sent again: the period's start date and the policy domain at the receiver ({@code ridfmt}, every
   * character atext or "."), e.g. {@code 2026-11-27_example.com@mx.example.net}.
   */
  public static String reportId(String periodStart, String policyDomain, String receiver) {
    return periodStart + "_" + policyDomain + "@" + receiver;
  }

  /**
   * RFC 9990 3.5.2 dmarc-subject, folded (FWS) before "Submitter:" and "Report-ID:" when the line would
   * exceed 78 characters (RFC 5322 2.1.1).
   */
  public static String subjectField(String policyDomain, String receiver, String reportId) {
    String[] parts = {"Report Domain: " + policyDomain, "Submitter: " + receiver, "Report-ID: <" + reportId + ">"};
    StringBuilder sb = new StringBuilder("Subject: ").append(parts[0]);
    int lineStart = 0;
    for (int i = 1; i < parts.length; i++) {
      if (sb.length() - lineStart + 1 + parts[i].length() > 78) {
        sb.append("\r\n");
        lineStart = sb.length();
      }
      sb.append(' ').append(parts[i]);
    }
    return sb.toString();
  }

  /** gzip (RFC 1952) of {@code data}. */
  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 8 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * The complete message (CRLF line ends).
   *
   * @param from the verified address it is sent from
   * @param to the report addresses
   * @param date when it is written
   * @param gzipped the gzipped XML
   */
  public static byte[] message(String from, List<String> to, Instant date, String policyDomain, String receiver,
      String reportId, String filename, byte[] gzipped, long begin, long end) {
    String boundary = "=_mailgate-report-" + Integer.toHexString(reportId.hashCode()) + "-" + begin;
    StringBuilder h = new StringBuilder(512);
    h.append("From: ").append(from).append("\r\n");
    h.append("To: ").append(String.join(",\r\n ", to)).append("\r\n");
    h.append("Date: ").append(DATE.format(date)).append("\r\n");
    h.append(subjectField(policyDomain, receiver, reportId)).append("\r\n");
    // RFC 9990 3.5.2: the same ridtxt in the Message-ID helps receivers spot a resent report.
    h.append("Message-ID: <").append(reportId).append(">\r\n");
    h.append("MIME-Version: 1.0\r\n");
    h.append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\r\n");
    h.append("\r\n");
    h.append("This is a MIME-formatted message.\r\n\r\n");
    h.append("--").append(boundary).append("\r\n");
    h.append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
    h.append("DMARC aggregate report (RFC 9990) for ").append(policyDomain).append(" from ").append(receiver)
        .append(",\r\nmessages received from ").append(Instant.ofEpochSecond(begin)).append(" to ")
        .append(Instant.ofEpochSecond(end)).append(" (UTC).\r\nReport-ID: ").append(reportId).append("\r\n\r\n");
    h.append("--").append(boundary).append("\r\n");
    h.append("Content-Type: application/gzip; name=\"").append(filename).append("\"\r\n");
    h.append("Content-Transfer-Encoding: base64\r\n");
    h.append("Content-Disposition: attachment; filename=\"").append(filename).append("\"\r\n\r\n");
    String b64 = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(gzipped);
    ByteArrayOutputStream out = new ByteArrayOutputStream(h.length() + b64.length() + 128);
    out.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
    out.writeBytes(b64.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
