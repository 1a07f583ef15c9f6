package dev.mailgate.report;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** RFC 9990 section 3.5: the filename, the Subject, the Report-ID and the message around the report. */
class ReportMailTest {
  /** RFC 9990 3.5.2 dmarc-subject with FWS as RFC 5322 allows (a fold is CRLF then WSP). */
  static final Pattern SUBJECT = Pattern.compile("Subject: Report(?:\\r\\n)?[ \\t]+Domain:(?:\\r\\n)?[ \\t]+"
      + "[A-Za-z0-9.-]+(?:\\r\\n)?[ \\t]+Submitter:(?:\\r\\n)?[ \\t]+[A-Za-z0-9.-]+"
      + "(?:(?:\\r\\n)?[ \\t]+Report-ID:(?:\\r\\n)?[ \\t]+<[!-;=?-~]+>)?");

  @Test
  void theFilenameIsTheRfcsExample() {
    // RFC 9990 3.5.2's sample filename, built from its parts.
    assertThat(ReportMail.filename("mail.receiver.example", "example.com", 1013662812L, 1013749130L, true))
        .isEqualTo("mail.receiver.example!example.com!1013662812!1013749130.xml.gz");
    assertThat(ReportMail.filename("r.example", "d.example", 1L, 2L, false)).isEqualTo("r.example!d.example!1!2.xml");
  }

  @Test
  void theSubjectFollowsTheAbnfAndFoldsLongLines() {
    String short_ = ReportMail.subjectField("example.com", "mail.receiver.example", "2026-11-27_example.com@x.example");
    assertThat(SUBJECT.matcher(short_).matches()).as(short_).isTrue();
    String longOne = ReportMail.subjectField("a-rather-long-policy-domain.subdomain.example.com",
        "mail.receiver.example", "2026-11-27_a-rather-long-policy-domain.subdomain.example.com@mail.receiver.example");
    assertThat(SUBJECT.matcher(longOne).matches()).as(longOne).isTrue();
    assertThat(longOne).contains("\r\n ");
    for (String line : longOne.split("\r\n")) {
      assertThat(line.length()).isLessThanOrEqualTo(998); // RFC 5322 2.1.1 MUST
    }
  }

  @Test
  void theReportIdIsRidfmt() {
    // ridfmt = dot-atom-text ["@" dot-atom-text]; here every character is atext or "."
    String id = ReportMail.reportId("2026-11-27", "example.com", "mail.receiver.example");
    assertThat(id).isEqualTo("2026-11-27_example.com@mail.receiver.example")
        .matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
            + "@[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
  }

  @Test
  void theMessageCarriesTheGzippedXmlAsApplicationGzipUnderItsFilename() throws Exception {
    byte[] xml = "<feedback/>".getBytes(StandardCharsets.UTF_8);
    byte[] gz = ReportMail.gzip(xml);
    String name = ReportMail.filename("mailgate.example", "sender.example", 100L, 200L, true);
    byte[] raw = ReportMail.message("dmarc@mailgate.example", List.of("agg@sender.example"),
        Instant.parse("2026-11-28T01:30:00Z"), "sender.example", "mailgate.example", "rid@mailgate.example", name, gz,
        100L, 200L);
    MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    assertThat(m.getSubject()).isEqualTo("Report Domain: sender.example Submitter: mailgate.example Report-ID: <rid@mailgate.example>");
    assertThat(m.getMessageID()).isEqualTo("<rid@mailgate.example>");
    assertThat(m.getHeader("Date")[0]).isEqualTo("Sat, 28 Nov 2026 01:30:00 +0000");
    Multipart mp = (Multipart) m.getContent();
    Part attachment = null;
    for (int i = 0; i < mp.getCount(); i++) {
      if (Part.ATTACHMENT.equalsIgnoreCase(mp.getBodyPart(i).getDisposition())) {
        attachment = mp.getBodyPart(i);
      }
    }
    assertThat(attachment).isNotNull();
    assertThat(attachment.isMimeType("application/gzip")).isTrue();
    assertThat(attachment.getFileName()).isEqualTo(name);
    try (GZIPInputStream in = new GZIPInputStream(attachment.getInputStream())) {
      assertThat(in.readAllBytes()).isEqualTo(xml);
    }
    String text = new String(raw, StandardCharsets.US_ASCII);
    assertThat(text.replace("\r\n", "")).doesNotContain("\n"); // CRLF only
  }
}
