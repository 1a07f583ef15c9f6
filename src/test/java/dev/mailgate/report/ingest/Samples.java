package dev.mailgate.report.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** The synthetic samples under src/test/resources/report/samples and their compressed forms, built here. */
public final class Samples {
  private Samples() {}

  public static byte[] bytes(String name) {
    try (InputStream in = Samples.class.getResourceAsStream("/report/samples/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] gzip(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(out)) {
      g.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A zip of (name, content) pairs. */
  public static byte[] zip(Object... nameThenContent) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (int i = 0; i < nameThenContent.length; i += 2) {
        z.putNextEntry(new ZipEntry((String) nameThenContent[i]));
        z.write((byte[]) nameThenContent[i + 1]);
        z.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A report mail with one attachment, as reporters send them (RFC 9990 section 5.2). */
  public static byte[] mail(String to, String contentType, String fileName, byte[] attachment) {
    String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(attachment);
    String m = "From: noreply-dmarc-support@google.com\r\n"
        + "To: " + to + "\r\n"
        + "Subject: Report domain: mailgate.example Submitter: google.com Report-ID: 13954812003218823372\r\n"
        + "Message-ID: <report-1@google.com>\r\n"
        + "Date: Mon, 27 Oct 2026 00:00:00 +0000\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
        + "\r\n"
        + "--b1\r\n"
        + "Content-Type: text/plain; charset=us-ascii\r\n"
        + "\r\n"
        + "This is an aggregate report from google.com.\r\n"
        + "--b1\r\n"
        + "Content-Type: " + contentType + "; name=\"" + fileName + "\"\r\n"
        + "Content-Disposition: attachment; filename=\"" + fileName + "\"\r\n"
        + "Content-Transfer-Encoding: base64\r\n"
        + "\r\n"
        + b64 + "\r\n"
        + "--b1--\r\n";
    return m.getBytes(StandardCharsets.US_ASCII);
  }

  /** A report mail whose whole body is the report (no multipart). */
  public static byte[] wholeBodyMail(String to, String contentType, byte[] report) {
    String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(report);
    String m = "From: dmarc@smallmail.example\r\n"
        + "To: " + to + "\r\n"
        + "Subject: Report domain: mailgate.example Submitter: smallmail.example\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: " + contentType + "\r\n"
        + "Content-Transfer-Encoding: base64\r\n"
        + "\r\n"
        + b64 + "\r\n";
    return m.getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code n} zero bytes, gzipped: a gzip bomb (64 MiB give about 64 KB). */
  public static byte[] gzipZeros(long n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[1 << 20];
    try (GZIPOutputStream g = new GZIPOutputStream(out)) {
      for (long i = 0; i < n; i += chunk.length) {
        g.write(chunk);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
