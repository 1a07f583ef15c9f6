package dev.mailgate.report.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Report mails as reporters send them (RFC 9990 section 5.2): attached, or the whole body, every label. */
class ReportMailReaderTest {
  private final ReportMailReader mail = new ReportMailReader(new ReportReader());

  @ParameterizedTest(name = "{0} named {1}")
  @CsvSource({
      "application/gzip, report.xml.gz, gz",
      "application/x-gzip, report.xml.gz, gz",
      "application/zip, report.zip, zip",
      "application/x-zip-compressed, report.zip, zip",
      "application/octet-stream, report.zip, zip",
      "application/octet-stream, report.xml.gz, gz",
      "text/xml, report.xml, xml",
      "application/xml, report.xml, xml",
      "application/unknown, report.xml.gz, gz"
  })
  void anAttachedReportIsFound(String type, String name, String form) {
    byte[] xml = Samples.bytes("google-like.xml");
    byte[] content = switch (form) {
      case "gz" -> Samples.gzip(xml);
      case "zip" -> Samples.zip("report.xml", xml);
      default -> xml;
    };
    List<ReportParse> r = mail.read("m1", Samples.mail("dmarc@mailgate.example", type, name, content));
    assertThat(r).singleElement().isInstanceOf(ReportParse.Parsed.class);
    assertThat(r.get(0).source()).startsWith("m1/" + name);
  }

  @Test
  void aReportAsTheWholeBodyIsFound() {
    byte[] body = Samples.gzip(Samples.bytes("small-provider.xml"));
    List<ReportParse> r = mail.read("m2", Samples.wholeBodyMail("dmarc@mailgate.example", "application/gzip", body));
    assertThat(r).singleElement().isInstanceOf(ReportParse.Parsed.class);
  }

  @Test
  void aMailWithoutReportSaysSo() {
    byte[] m = "From: a@b.example\r\nTo: dmarc@mailgate.example\r\nSubject: hi\r\n\r\nhello\r\n"
        .getBytes(StandardCharsets.US_ASCII);
    ReportParse.Failed f = (ReportParse.Failed) mail.read("m3", m).get(0);
    assertThat(f.problem()).isEqualTo(ReportParse.Problem.NOT_A_REPORT);
    assertThat(f.reason()).contains("no part");
  }

  @Test
  void maxParts_64() {
    StringBuilder sb = new StringBuilder("From: a@b.example\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\n");
    for (int i = 0; i < 100; i++) {
      sb.append("--x\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
    }
    sb.append("--x--\r\n");
    List<ReportParse> r = mail.read("m4", sb.toString().getBytes(StandardCharsets.US_ASCII));
    assertThat(r).anySatisfy(p -> assertThat(((ReportParse.Failed) p).reason()).contains("more than 64 MIME parts"));
  }

  /** RFC 9990 3.5.2: one report per message; a second would double what one message can make us hold. */
  @Test
  void onlyTheFirstReportOfAMessageIsRead() {
    String b64 = java.util.Base64.getMimeEncoder().encodeToString(Samples.gzip(Samples.bytes("google-like.xml")));
    StringBuilder sb = new StringBuilder("From: a@b.example\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\n");
    for (int i = 0; i < 3; i++) {
      sb.append("--x\r\nContent-Type: application/gzip; name=\"r").append(i).append(".xml.gz\"\r\n")
          .append("Content-Transfer-Encoding: base64\r\n\r\n").append(b64).append("\r\n");
    }
    sb.append("--x--\r\n");
    List<ReportParse> r = mail.read("m5", sb.toString().getBytes(StandardCharsets.US_ASCII));
    assertThat(r).hasSize(3);
    assertThat(r.get(0)).isInstanceOf(ReportParse.Parsed.class);
    assertThat(r.subList(1, 3)).allSatisfy(p ->
        assertThat(((ReportParse.Failed) p).reason()).contains("a second report in one message is not read"));
  }

  @Test
  void garbageIsAResultNotAnException() {
    byte[] junk = new byte[5000];
    new java.util.Random(1).nextBytes(junk);
    assertThat(mail.read("m5", junk)).isNotEmpty().allMatch(p -> p instanceof ReportParse.Failed);
  }
}
