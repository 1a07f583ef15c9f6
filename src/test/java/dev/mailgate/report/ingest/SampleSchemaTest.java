package dev.mailgate.report.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXException;

/** The RFC 9990 sample is a valid report per RFC 9990 Appendix A, so the parser is tested on the real format. */
class SampleSchemaTest {
  static Validator validator() throws Exception {
    SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
    Schema s = f.newSchema(SampleSchemaTest.class.getResource("/report/dmarc-aggregate-2.0.xsd"));
    Validator v = s.newValidator();
    v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    v.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    return v;
  }

  @Test
  void theRfc9990SampleValidatesAgainstAppendixA() throws Exception {
    byte[] xml = Samples.bytes("rfc9990-sample.xml");
    validator().validate(new StreamSource(new ByteArrayInputStream(xml)));
    assertThat(new ReportReader().read("s", xml)).singleElement().isInstanceOf(ReportParse.Parsed.class);
  }

  @Test
  void theSchemaCatchesAMissingRequiredElement() throws Exception {
    // A control: the validation above can fail. RFC 9990 requires <email> in report_metadata.
    String xml = new String(Samples.bytes("rfc9990-sample.xml"), StandardCharsets.UTF_8)
        .replace("<email>report_sender@example-reporter.com</email>", "");
    assertThatThrownBy(() -> validator().validate(new StreamSource(new ByteArrayInputStream(
        xml.getBytes(StandardCharsets.UTF_8))))).isInstanceOf(SAXException.class).hasMessageContaining("email");
    // The parser, lenient, still reads it.
    assertThat(new ReportReader().read("s", xml.getBytes(StandardCharsets.UTF_8))).singleElement()
        .isInstanceOf(ReportParse.Parsed.class);
  }
}
