package dev.mailgate.report;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes an {@link AggregateReport} as the XML document of RFC 9990 Appendix A, or of RFC 7489 Appendix C
 * (as corrected; see {@link ReportFormat#RFC7489}). Elements are written in the order the schemas list
 * them. Thread-safe (stateless).
 */
public final class AggregateReportXml {
  private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

  private AggregateReportXml() {}

  /**
   * The report metadata that is not in the records.
   *
   * @param orgName the Reporting Organization's name
   * @param email the contact address
   * @param reportId the Report-ID (RFC 9990 section 3.5.1)
   * @param begin the period's start, seconds since the epoch
   * @param end the period's end, seconds since the epoch
   * @param generator the generator's name and version (RFC 9990 only), or null
   */
  public record Metadata(String orgName, String email, String reportId, long begin, long end, String generator) {}

  /** The report as UTF-8 XML. */
  public static byte[] write(AggregateReport report, Metadata meta, ReportFormat format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + report.rows().size() * 600);
    try {
      XMLStreamWriter w = FACTORY.createXMLStreamWriter(out, "UTF-8");
      w.writeStartDocument("UTF-8", "1.0");
      w.writeCharacters("\n");
      w.setDefaultNamespace(format.namespace());
      w.writeStartElement(format.namespace(), "feedback");
      w.writeDefaultNamespace(format.namespace());
      Writer x = new Writer(w, format.namespace());
      x.text(1, "version", "1.0");
      metadata(x, report, meta, format);
      policy(x, report, format);
      for (AggregateReport.Row row : report.rows()) {
        record(x, row, format);
      }
      w.writeCharacters("\n");
      w.writeEndElement();
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing XML to memory cannot fail: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  private static void metadata(Writer x, AggregateReport r, Metadata m, ReportFormat f) throws XMLStreamException {
    x.start(1, "report_metadata");
    x.text(2, "org_name", m.orgName());
    x.text(2, "email", m.email());
    x.text(2, "report_id", m.reportId());
    x.start(2, "date_range");
    x.text(3, "begin", Long.toString(m.begin()));
    x.text(3, "end", Long.toString(m.end()));
    x.end(2);
    if (!r.errors().isEmpty()) {
      if (f == ReportFormat.RFC9990) {
        x.text(2, "error", String.join("; ", r.errors())); // one element at most in RFC 9990
      } else {
        for (String e : r.errors()) {
          x.text(2, "error", e);
        }
      }
    }
    if (f == ReportFormat.RFC9990 && m.generator() != null) {
      x.text(2, "generator", m.generator());
    }
    x.end(1);
  }

  private static void policy(Writer x, AggregateReport r, ReportFormat f) throws XMLStreamException {
    MessageRecord.Dmarc p = r.policy();
    x.start(1, "policy_published");
    x.text(2, "domain", r.policyDomain());
    String adkim = p.adkim() == null ? "r" : p.adkim();
    String aspf = p.aspf() == null ? "r" : p.aspf();
    if (f == ReportFormat.RFC9990) {
      x.text(2, "p", p.p());
      if (p.sp() != null) {
        x.text(2, "sp", p.sp());
      }
      if (p.np() != null) {
        x.text(2, "np", p.np());
      }
      x.text(2, "adkim", adkim);
      x.text(2, "aspf", aspf);
      if (p.discovery() != null) {
        x.text(2, "discovery_method", p.discovery());
      }
      x.text(2, "fo", p.fo() == null ? "0" : p.fo());
      x.text(2, "testing", p.testing() == null ? "n" : p.testing());
    } else {
      // RFC 7489 Appendix C requires sp, pct and fo: sp defaults to p (RFC 7489 section 6.3).
      x.text(2, "adkim", adkim);
      x.text(2, "aspf", aspf);
      x.text(2, "p", p.p());
      x.text(2, "sp", p.sp() == null ? p.p() : p.sp());
      x.text(2, "pct", Integer.toString(p.pct() == null ? 100 : p.pct()));
      x.text(2, "fo", p.fo() == null ? "0" : p.fo());
    }
    x.end(1);
  }

  private static void record(Writer x, AggregateReport.Row row, ReportFormat f) throws XMLStreamException {
    AggregateReport.RowKey k = row.key();
    x.start(1, "record");
    x.start(2, "row");
    x.text(3, "source_ip", f == ReportFormat.RFC9990 ? k.sourceIp() : fullIp(k.sourceIp()));
    x.text(3, "count", Long.toString(row.count()));
    x.start(3, "policy_evaluated");
    String disposition = f == ReportFormat.RFC7489 && "pass".equals(k.disposition()) ? "none" : k.disposition();
    x.text(4, "disposition", disposition);
    x.text(4, "dkim", k.dkimAligned() ? "pass" : "fail");
    x.text(4, "spf", k.spfAligned() ? "pass" : "fail");
    for (MessageRecord.Reason o : k.reasons()) {
      x.start(4, "reason");
      String type = reasonType(o.type(), f);
      x.text(5, "type", type);
      String comment = o.comment();
      if (!type.equals(o.type())) {
        comment = o.type() + (comment == null ? "" : ": " + comment);
      }
      if (comment != null) {
        x.text(5, "comment", comment);
      }
      x.end(4);
    }
    x.end(3);
    x.end(2);
    x.start(2, "identifiers");
    if (f == ReportFormat.RFC9990) {
      x.text(3, "header_from", k.headerFrom());
      if (k.envelopeFrom() != null) {
        x.text(3, "envelope_from", k.envelopeFrom());
      }
    } else {
      x.text(3, "envelope_from", k.envelopeFrom() == null ? "" : k.envelopeFrom());
      x.text(3, "header_from", k.headerFrom());
    }
    x.end(2);
    x.start(2, "auth_results");
    for (MessageRecord.Dkim d : k.dkim()) {
      x.start(3, "dkim");
      x.text(4, "domain", d.domain());
      x.text(4, "selector", d.selector());
      x.text(4, "result", d.result() == null ? "none" : d.result());
      x.end(3);
    }
    if (k.spfResult() != null && k.spfDomain() != null) {
      x.start(3, "spf");
      x.text(4, "domain", k.spfDomain());
      // RFC 9990 3.1.1.13: "mfrom" is the only valid scope; a HELO check (null reverse-path) goes without.
      if (f == ReportFormat.RFC7489 || "mfrom".equals(k.spfScope())) {
        x.text(4, "scope", k.spfScope() == null ? "mfrom" : k.spfScope());
      }
      x.text(4, "result", k.spfResult());
      x.end(3);
    } else if (f == ReportFormat.RFC7489) {
      // RFC 7489 Appendix C: "There will always be at least one SPF result."
      x.start(3, "spf");
      x.text(4, "domain", k.envelopeFrom() == null || k.envelopeFrom().isEmpty() ? k.headerFrom() : k.envelopeFrom());
      x.text(4, "scope", "mfrom");
      x.text(4, "result", "none");
      x.end(3);
    }
    x.end(2);
    x.end(1);
  }

  /** The override type each schema knows; others become "other" (their word goes into the comment). */
  static String reasonType(String type, ReportFormat f) {
    List<String> known = f == ReportFormat.RFC9990
        ? List.of("local_policy", "mailing_list", "other", "policy_test_mode", "trusted_forwarder")
        : List.of("forwarded", "sampled_out", "trusted_forwarder", "mailing_list", "local_policy", "other");
    return known.contains(type) ? type : "other";
  }

  /**
   * RFC 7489's IPAddress pattern takes IPv6 only as eight full groups (no "::"): the uncompressed form.
   */
  static String fullIp(String ip) {
    if (ip.indexOf(':') < 0) {
      return ip;
    }
    try {
      return InetAddress.getByName(ip).getHostAddress(); // a literal: no DNS; Java writes all eight groups
    } catch (java.net.UnknownHostException e) {
      return ip;
    }
  }

  /** Indented output: the reports are read by people too. */
  private static final class Writer {
    final XMLStreamWriter w;
    final String ns;

    Writer(XMLStreamWriter w, String ns) {
      this.w = w;
      this.ns = ns;
    }

    void indent(int depth) throws XMLStreamException {
      w.writeCharacters("\n" + "  ".repeat(depth));
    }

    void start(int depth, String name) throws XMLStreamException {
      indent(depth);
      w.writeStartElement(ns, name);
    }

    void end(int depth) throws XMLStreamException {
      indent(depth);
      w.writeEndElement();
    }

    void text(int depth, String name, String value) throws XMLStreamException {
      indent(depth);
      w.writeStartElement(ns, name);
      w.writeCharacters(value == null ? "" : xmlChars(value));
      w.writeEndElement();
    }
  }

  /** Leaves out what XML 1.0 cannot hold (controls other than tab, CR, LF; lone surrogates; U+FFFE/FFFF). */
  static String xmlChars(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!ok(s, i)) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int j = 0; j < s.length(); j++) {
          if (ok(s, j)) {
            sb.append(s.charAt(j));
          }
        }
        return sb.toString();
      }
    }
    return s;
  }

  private static boolean ok(String s, int i) {
    char c = s.charAt(i);
    if (c < 0x20) {
      return c == '\t' || c == '\n' || c == '\r';
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
    return c != 0xFFFE && c != 0xFFFF;
  }
}
