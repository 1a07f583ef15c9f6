package dev.mailgate.report.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The file formats, and each hostile input with the bound of {@link ReportLimits} it hits. */
class ReportReaderTest {
  private final ReportReader reader = new ReportReader();

  static ReportParse.Failed failed(List<ReportParse> results) {
    assertThat(results).last().isInstanceOf(ReportParse.Failed.class);
    return (ReportParse.Failed) results.get(results.size() - 1);
  }

  static ReceivedReport only(List<ReportParse> results) {
    assertThat(results).hasSize(1);
    assertThat(results.get(0)).as("%s", results.get(0)).isInstanceOf(ReportParse.Parsed.class);
    return ((ReportParse.Parsed) results.get(0)).report();
  }

  // ---- formats ---------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} as .xml, .xml.gz and .zip")
  @ValueSource(strings = {"google-like.xml", "microsoft-like.xml", "yahoo-like.xml", "mailru-like.xml",
      "rfc9990-sample.xml", "small-provider.xml"})
  void everySampleReadsPlainGzippedAndZipped(String sample) {
    byte[] xml = Samples.bytes(sample);
    ReceivedReport plain = only(reader.read(sample, xml));
    assertThat(only(reader.read(sample + ".gz", Samples.gzip(xml)))).isEqualTo(plain);
    List<ReportParse> zipped = reader.read("r.zip", Samples.zip(sample, xml));
    assertThat(only(zipped)).isEqualTo(plain);
    assertThat(zipped.get(0).source()).isEqualTo("r.zip!" + sample);
  }

  @Test
  void theFormatIsToldByContentNotName() {
    byte[] gz = Samples.gzip(Samples.bytes("google-like.xml"));
    assertThat(only(reader.read("report.zip", gz)).metadata().orgName()).isEqualTo("google.com");
  }

  @Test
  void utf16WithByteOrderMarkReads() {
    String xml = new String(Samples.bytes("rfc9990-sample.xml"), StandardCharsets.UTF_8)
        .replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
    assertThat(only(reader.read("u16.xml", xml.getBytes(StandardCharsets.UTF_16))).records()).hasSize(1);
  }

  @Test
  void aZipWithSeveralReportsGivesEach() {
    List<ReportParse> r = reader.read("two.zip", Samples.zip("a.xml", Samples.bytes("google-like.xml"), "dir/",
        new byte[0], "b.xml", Samples.bytes("mailru-like.xml")));
    assertThat(r).hasSize(2).allMatch(p -> p instanceof ReportParse.Parsed);
  }

  // ---- XML: entities and DTDs refused --------------------------------------------------------

  @Test
  void externalEntityIsRefused() {
    String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE feedback [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
        + "<feedback><report_metadata><org_name>&xxe;</org_name><report_id>1</report_id></report_metadata></feedback>";
    ReportParse.Failed f = failed(reader.read("xxe.xml", xml.getBytes(StandardCharsets.UTF_8)));
    assertThat(f.problem()).isEqualTo(ReportParse.Problem.DTD_REFUSED);
    assertThat(f.reason()).contains("DOCTYPE");
  }

  @Test
  void externalDtdIsRefusedWithoutFetchingIt() {
    String xml = "<!DOCTYPE feedback SYSTEM \"http://127.0.0.1:9/report.dtd\"><feedback/>";
    assertThat(failed(reader.read("dtd.xml", xml.getBytes(StandardCharsets.UTF_8))).problem())
        .isEqualTo(ReportParse.Problem.DTD_REFUSED);
  }

  @Test
  void billionLaughsIsRefusedBeforeExpansion() {
    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for (int i = 1; i <= 9; i++) {
      sb.append("<!ENTITY lol").append(i).append(" \"");
      for (int j = 0; j < 10; j++) {
        sb.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
      }
      sb.append("\">");
    }
    sb.append("]><feedback><report_metadata><org_name>&lol9;</org_name></report_metadata></feedback>");
    ReportParse.Failed f = failed(reader.read("lol.xml", sb.toString().getBytes(StandardCharsets.UTF_8)));
    assertThat(f.problem()).isEqualTo(ReportParse.Problem.DTD_REFUSED);
  }

  @Test
  void anUndeclaredEntityIsMalformed() {
    String xml = "<feedback><report_metadata><org_name>&undeclared;</org_name></report_metadata></feedback>";
    assertThat(failed(reader.read("e.xml", xml.getBytes(StandardCharsets.UTF_8))).problem())
        .isIn(ReportParse.Problem.MALFORMED_XML, ReportParse.Problem.DTD_REFUSED);
  }

  // ---- malformed and foreign input ---------------------------------------------------------------

  @Test
  void truncatedXmlIsReportedWithTheReason() {
    byte[] xml = Samples.bytes("google-like.xml");
    byte[] cut = java.util.Arrays.copyOf(xml, xml.length / 2);
    ReportParse.Failed f = failed(reader.read("cut.xml", cut));
    assertThat(f.problem()).isEqualTo(ReportParse.Problem.MALFORMED_XML);
    assertThat(f.reason()).startsWith("not well-formed XML: ");
  }

  @Test
  void mismatchedTagsAreMalformed() {
    assertThat(failed(reader.read("m.xml", "<feedback><version>1</feedback>".getBytes(StandardCharsets.UTF_8)))
        .problem()).isEqualTo(ReportParse.Problem.MALFORMED_XML);
  }

  @Test
  void anotherDocumentIsNotAReport() {
    ReportParse.Failed f = failed(reader.read("h.xml", "<html><body/></html>".getBytes(StandardCharsets.UTF_8)));
    assertThat(f.problem()).isEqualTo(ReportParse.Problem.NOT_A_REPORT);
    assertThat(f.reason()).contains("<html>");
    assertThat(failed(reader.read("f.xml", "<feedback/>".getBytes(StandardCharsets.UTF_8))).problem())
        .isEqualTo(ReportParse.Problem.NOT_A_REPORT);
    assertThat(failed(reader.read("p.pdf", "%PDF-1.4".getBytes(StandardCharsets.UTF_8))).problem())
        .isEqualTo(ReportParse.Problem.NOT_A_REPORT);
    assertThat(failed(reader.read("empty", new byte[0])).problem()).isEqualTo(ReportParse.Problem.NOT_A_REPORT);
  }

  @Test
  void corruptArchivesAreReported() {
    byte[] gz = Samples.gzip(Samples.bytes("google-like.xml"));
    assertThat(failed(reader.read("t.gz", java.util.Arrays.copyOf(gz, gz.length / 2))).problem())
        .isEqualTo(ReportParse.Problem.CORRUPT_ARCHIVE);
    byte[] zip = Samples.zip("a.xml", Samples.bytes("google-like.xml"));
    byte[] bad = zip.clone();
    for (int i = 40; i < 200; i++) {
      bad[i] ^= 0x5a;
    }
    List<ReportParse> r = reader.read("bad.zip", bad);
    assertThat(failed(r).problem()).isIn(ReportParse.Problem.CORRUPT_ARCHIVE, ReportParse.Problem.MALFORMED_XML);
  }

  // ---- bounds ------------------------------------------------------------------------------------

  @Test
  void maxInputBytes_10MiB() {
    byte[] big = new byte[(int) ReportLimits.DEFAULT.maxInputBytes() + 1];
    big[0] = '<';
    ReportParse.Failed f = failed(reader.read("big.xml", big));
    assertThat(f.problem()).isEqualTo(ReportParse.Problem.INPUT_TOO_LARGE);
    assertThat(f.reason()).contains("10485760");
  }

  @Test
  void maxRatio_200_gzipBomb() throws IOException {
    byte[] bomb = Samples.gzipZeros(64L << 20); // 64 MiB of zeros in about 64 KB
    assertThat(bomb.length).isLessThan(100_000);
    ReportParse.Failed f = failed(reader.read("bomb.xml.gz", bomb));
    assertThat(f.problem()).isEqualTo(ReportParse.Problem.COMPRESSION_RATIO);
    assertThat(f.reason()).contains("more than 200 times");
  }

  @Test
  void maxRatio_200_zipBomb() throws IOException {
    byte[] zeros = new byte[32 << 20];
    byte[] bomb = Samples.zip("report.xml", zeros);
    assertThat(failed(reader.read("bomb.zip", bomb)).problem()).isEqualTo(ReportParse.Problem.COMPRESSION_RATIO);
  }

  @Test
  void maxRatio_zipEntryLyingAboutItsSize() throws IOException {
    byte[] zeros = new byte[16 << 20];
    byte[] zip = lyingZip("report.xml", zeros, 100);
    ReportParse.Failed f = failed(reader.read("liar.zip", zip));
    // The declared 100 bytes are ignored: the inflated bytes are counted until the bound.
    assertThat(f.problem()).isEqualTo(ReportParse.Problem.COMPRESSION_RATIO);
  }

  @Test
  void maxXmlBytes_over_all_entries() {
    // A ratio under 200 (random text compresses about 2:1), so the total size is the bound hit. The limit
    // is lowered to 1 MiB to keep the test small; the default, 50 MiB, is the same code path.
    ReportLimits limits = new ReportLimits(10L << 20, 1L << 20, 100, 1L << 20, 16, 32, 1000, 64);
    byte[] text = randomText(600_000);
    byte[] zip = Samples.zip("a.xml", text, "b.xml", text);
    List<ReportParse> r = new ReportReader(limits).read("two.zip", zip);
    ReportParse.Failed f = failed(r);
    assertThat(f.problem()).isEqualTo(ReportParse.Problem.DECOMPRESSED_TOO_LARGE);
    assertThat(f.reason()).contains("1048576");
    assertThat(r.get(0).source()).isEqualTo("two.zip!a.xml"); // the first entry was within the bound
  }

  @Test
  void maxEntries_16() {
    Object[] entries = new Object[34];
    for (int i = 0; i < 17; i++) {
      entries[2 * i] = "r" + i + ".xml";
      entries[2 * i + 1] = Samples.bytes("rfc9990-sample.xml");
    }
    List<ReportParse> r = reader.read("many.zip", Samples.zip(entries));
    assertThat(failed(r).problem()).isEqualTo(ReportParse.Problem.TOO_MANY_ENTRIES);
    assertThat(r).hasSize(17);
  }

  @Test
  void nestedArchivesAreNotOpened() {
    byte[] inner = Samples.zip("a.xml", Samples.bytes("google-like.xml"));
    assertThat(failed(reader.read("outer.zip", Samples.zip("inner.zip", inner))).problem())
        .isEqualTo(ReportParse.Problem.NESTED_ARCHIVE);
    // Named like XML, but a zip inside.
    assertThat(failed(reader.read("outer.zip", Samples.zip("a.xml", inner))).problem())
        .isEqualTo(ReportParse.Problem.NESTED_ARCHIVE);
    assertThat(failed(reader.read("double.gz", Samples.gzip(Samples.gzip(Samples.bytes("google-like.xml")))))
        .problem()).isEqualTo(ReportParse.Problem.NESTED_ARCHIVE);
  }

  @Test
  void maxDepth_32() {
    StringBuilder sb = new StringBuilder("<feedback>");
    for (int i = 0; i < 40; i++) {
      sb.append("<x>");
    }
    for (int i = 0; i < 40; i++) {
      sb.append("</x>");
    }
    sb.append("</feedback>");
    ReportParse.Failed f = failed(reader.read("deep.xml", sb.toString().getBytes(StandardCharsets.UTF_8)));
    assertThat(f.problem()).isEqualTo(ReportParse.Problem.TOO_DEEP);
    assertThat(f.reason()).contains("32");
  }

  @Test
  void maxRecords() {
    ReportLimits limits = new ReportLimits(10L << 20, 50L << 20, 100, 1L << 20, 16, 32, 10, 64);
    StringBuilder sb = new StringBuilder("<feedback><report_metadata><org_name>o</org_name></report_metadata>");
    for (int i = 0; i < 11; i++) {
      sb.append("<record><row><source_ip>192.0.2.1</source_ip><count>1</count></row></record>");
    }
    sb.append("</feedback>");
    ReportParse.Failed f = failed(new ReportReader(limits).read("r.xml", sb.toString().getBytes(StandardCharsets.UTF_8)));
    assertThat(f.problem()).isEqualTo(ReportParse.Problem.TOO_MANY_RECORDS);
  }

  @Test
  void longTextIsCutWithAWarning() {
    String org = "x".repeat(5000);
    String xml = "<feedback><report_metadata><org_name>" + org + "</org_name></report_metadata></feedback>";
    ReceivedReport r = only(reader.read("l.xml", xml.getBytes(StandardCharsets.UTF_8)));
    assertThat(r.metadata().orgName()).hasSize(AggregateReportParser.MAX_TEXT);
    assertThat(r.warnings()).anyMatch(w -> w.contains("cut"));
  }

  // ---- helpers -----------------------------------------------------------------------------------

  static byte[] randomText(int n) {
    Random rnd = new Random(7);
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + rnd.nextInt(16));
    }
    return b;
  }

  /**
   * A zip whose one deflated entry says (in its local header and the central directory) that it holds
   * {@code declared} bytes, while it inflates to all of {@code content}.
   */
  static byte[] lyingZip(String name, byte[] content, int declared) throws IOException {
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true); // raw deflate, as in zip
    d.setInput(content);
    d.finish();
    ByteArrayOutputStream deflated = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    while (!d.finished()) {
      deflated.write(buf, 0, d.deflate(buf));
    }
    CRC32 crc = new CRC32();
    crc.update(content);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      ZipEntry e = new ZipEntry(name);
      e.setMethod(ZipEntry.STORED); // STORED with sizes given writes them into the local header
      byte[] placeholder = deflated.toByteArray();
      crc.reset();
      crc.update(placeholder);
      e.setSize(placeholder.length);
      e.setCompressedSize(placeholder.length);
      e.setCrc(crc.getValue());
      z.putNextEntry(e);
      z.write(placeholder);
      z.closeEntry();
    }
    byte[] zip = out.toByteArray();
    // Turn the stored entry into a deflated one that declares a small uncompressed size: method at local
    // header offset 8, uncompressed size at 22; in the central directory, method at 10, size at 24.
    ByteBuffer bb = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    bb.putShort(8, (short) 8);
    bb.putInt(22, declared);
    for (int i = zip.length - 22; i >= 0; i--) {
      if (bb.getInt(i) == 0x02014b50) {
        bb.putShort(i + 10, (short) 8);
        bb.putInt(i + 24, declared);
        break;
      }
    }
    return zip;
  }
}
