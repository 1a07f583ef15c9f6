package dev.mailgate.report.ingest;

import dev.mailgate.dns.InetAddresses;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads one aggregate report XML document, either schema (RFC 9990 Appendix A, RFC 7489 Appendix C), the
 * way real reporters write them: elements matched by local name in any namespace or none, text trimmed,
 * result words in any case, optional elements missing, unknown elements (extensions) skipped. Strict on
 * safety: a document type declaration is refused before anything is expanded (XXE, billion laughs), the
 * nesting depth and number of records are bounded. Stateless and thread-safe.
 */
public final class AggregateReportParser {
  public static final String NS_2_0 = "urn:ietf:params:xml:ns:dmarc-2.0";
  public static final String NS_0_1 = "http://dmarc.org/dmarc-xml/0.1";

  /** Text of one element kept at most this long (a longer org_name is cut, with a warning). */
  public static final int MAX_TEXT = 1000;

  /** Seconds since the epoch above this are read as milliseconds (year 5138 in seconds). */
  private static final long MILLIS_THRESHOLD = 100_000_000_000L;

  private AggregateReportParser() {}

  /** Parses a document; never throws for anything in {@code xml}. */
  public static ReportParse parse(String source, byte[] xml, ReportLimits limits) {
    int start = skipBomAndSpace(xml);
    XMLStreamReader r = null;
    try {
      r = factory().createXMLStreamReader(new ByteArrayInputStream(xml, start, xml.length - start));
      return new Walk(source, r, limits, xml).run();
    } catch (XMLStreamException | RuntimeException e) {
      // The JDK's StAX reports malformed input as XMLStreamException, and some encoding errors as
      // unchecked exceptions from its decoder: both mean "not well-formed" here.
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new ReportParse.Failed(source, ReportParse.Problem.MALFORMED_XML,
          "not well-formed XML: " + oneLine(msg));
    } catch (Refused e) {
      return new ReportParse.Failed(source, e.problem, e.getMessage());
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // nothing held but memory
        }
      }
    }
  }

  private static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    // No DTD processing and no external entities: a DOCTYPE is then reported as an event, which we refuse.
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    return f;
  }

  /** Providers send a UTF-8 BOM, and some a newline before the XML declaration (which XML forbids). */
  static int skipBomAndSpace(byte[] b) {
    int i = 0;
    if (b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) {
      i = 3;
    }
    int j = i;
    while (j < b.length && (b[j] == ' ' || b[j] == '\t' || b[j] == '\r' || b[j] == '\n')) {
      j++;
    }
    return j < b.length && b[j] == '<' ? j : i;
  }

  static String oneLine(String s) {
    String t = s.replace('\r', ' ').replace('\n', ' ').strip();
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }

  private static final class Refused extends Exception {
    final ReportParse.Problem problem;

    Refused(ReportParse.Problem problem, String message) {
      super(message, null, false, false);
      this.problem = problem;
    }
  }

  /** One pass over the document's events. */
  private static final class Walk {
    final String source;
    final XMLStreamReader r;
    final ReportLimits limits;
    final byte[] xml;
    final String[] stack;
    int depth;
    final StringBuilder text = new StringBuilder();
    boolean textCut;
    final List<String> warnings = new ArrayList<>();

    String namespace;
    String version;
    boolean sawMetadata;
    boolean sawPolicy;
    boolean rfc9990Elements;
    // report_metadata
    String orgName;
    String email;
    String extra;
    String reportId;
    String begin;
    String end;
    final List<String> errors = new ArrayList<>();
    String generator;
    // policy_published
    String domain;
    String p;
    String sp;
    String np;
    String adkim;
    String aspf;
    String pct;
    String fo;
    String testing;
    String discovery;
    // the current record
    final List<ReceivedReport.Record> records = new ArrayList<>();
    String sourceIp;
    String count;
    String disposition;
    String evDkim;
    String evSpf;
    final List<ReceivedReport.Reason> reasons = new ArrayList<>();
    String reasonType;
    String reasonComment;
    String headerFrom;
    String envelopeFrom;
    String envelopeTo;
    final List<ReceivedReport.DkimAuth> dkims = new ArrayList<>();
    final List<ReceivedReport.SpfAuth> spfs = new ArrayList<>();
    String aDomain;
    String aSelector;
    String aScope;
    String aResult;
    String aHuman;

    Walk(String source, XMLStreamReader r, ReportLimits limits, byte[] xml) {
      this.source = source;
      this.r = r;
      this.limits = limits;
      this.xml = xml;
      this.stack = new String[limits.maxDepth() + 1];
    }

    ReportParse run() throws XMLStreamException, Refused {
      boolean sawRoot = false;
      while (r.hasNext()) {
        int ev = r.next();
        switch (ev) {
          case XMLStreamConstants.DTD:
            throw new Refused(ReportParse.Problem.DTD_REFUSED, "a document type declaration (<!DOCTYPE>) is not"
                + " allowed in a report: refused before reading it (external entities, entity expansion)");
          case XMLStreamConstants.ENTITY_REFERENCE:
            throw new Refused(ReportParse.Problem.DTD_REFUSED, "an entity reference (&" + r.getLocalName()
                + ";) is not allowed in a report");
          case XMLStreamConstants.START_ELEMENT:
            if (depth == 0) {
              if (sawRoot) {
                break;
              }
              sawRoot = true;
              if (!"feedback".equals(r.getLocalName())) {
                throw new Refused(ReportParse.Problem.NOT_A_REPORT, "the root element is <" + clip(r.getLocalName())
                    + ">, not <feedback>: not a DMARC aggregate report");
              }
              namespace = r.getNamespaceURI();
            }
            if (depth >= limits.maxDepth()) {
              throw new Refused(ReportParse.Problem.TOO_DEEP, "elements nested deeper than " + limits.maxDepth()
                  + " levels (the schemas need 5)");
            }
            stack[depth++] = r.getLocalName();
            text.setLength(0);
            textCut = false;
            break;
          case XMLStreamConstants.CHARACTERS:
          case XMLStreamConstants.CDATA:
          case XMLStreamConstants.SPACE:
            if (text.length() <= MAX_TEXT) {
              int n = Math.min(r.getTextLength(), MAX_TEXT + 1 - text.length());
              text.append(r.getTextCharacters(), r.getTextStart(), n);
              textCut |= n < r.getTextLength();
            } else {
              textCut = true;
            }
            break;
          case XMLStreamConstants.END_ELEMENT:
            end(r.getLocalName());
            depth--;
            text.setLength(0);
            break;
          default:
            break;
        }
      }
      if (!sawMetadata && !sawPolicy && records.isEmpty()) {
        throw new Refused(ReportParse.Problem.NOT_A_REPORT,
            "<feedback> without report_metadata, policy_published or record: not a DMARC aggregate report");
      }
      return new ReportParse.Parsed(source, report());
    }

    String clip(String s) {
      return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    String parent() {
      return depth >= 2 ? stack[depth - 2] : "";
    }

    /** The trimmed text of the element ending now, or null when empty. */
    String value(String name) {
      String t = text.toString().strip();
      if (textCut || t.length() > MAX_TEXT) {
        warnings.add("<" + name + "> longer than " + MAX_TEXT + " characters: cut");
        t = t.substring(0, Math.min(t.length(), MAX_TEXT));
      }
      return t.isEmpty() ? null : t;
    }

    String word(String name) {
      String v = value(name);
      return v == null ? null : v.toLowerCase(Locale.ROOT);
    }

    void end(String name) throws Refused {
      String parent = parent();
      // depth counts the element ending now: feedback is 1, its children 2, ...
      if (depth == 2 && parent.equals("feedback")) {
        switch (name) {
          case "version":
            version = value(name);
            break;
          case "report_metadata":
            sawMetadata = true;
            break;
          case "policy_published":
            sawPolicy = true;
            break;
          case "record":
            endRecord();
            break;
          case "extension":
            rfc9990Elements = true;
            break;
          default:
            break;
        }
        return;
      }
      String area = depth >= 3 ? stack[1] : "";
      switch (area) {
        case "report_metadata":
          metadata(name, parent);
          break;
        case "policy_published":
          if (depth == 3) {
            policy(name);
          }
          break;
        case "record":
          record(name, parent);
          break;
        default:
          break;
      }
    }

    void metadata(String name, String parent) {
      if (parent.equals("date_range")) {
        if (name.equals("begin")) {
          begin = value(name);
        } else if (name.equals("end")) {
          end = value(name);
        }
        return;
      }
      if (!parent.equals("report_metadata")) {
        return;
      }
      switch (name) {
        case "org_name" -> orgName = value(name);
        case "email" -> email = value(name);
        case "extra_contact_info" -> extra = value(name);
        case "report_id" -> reportId = value(name);
        case "error" -> {
          String v = value(name);
          if (v != null) {
            errors.add(v);
          }
        }
        case "generator" -> {
          generator = value(name);
          rfc9990Elements = true;
        }
        default -> { }
      }
    }

    void policy(String name) {
      switch (name) {
        case "domain" -> domain = word(name);
        case "p" -> p = word(name);
        case "sp" -> sp = word(name);
        // Google writes np in reports that otherwise follow RFC 7489: np alone does not tell the schema.
        case "np" -> np = word(name);
        case "adkim" -> adkim = word(name);
        case "aspf" -> aspf = word(name);
        case "pct" -> pct = value(name);
        case "fo" -> fo = value(name);
        case "testing" -> {
          testing = word(name);
          rfc9990Elements = true;
        }
        case "discovery_method" -> {
          discovery = word(name);
          rfc9990Elements = true;
        }
        default -> { }
      }
    }

    void record(String name, String parent) throws Refused {
      switch (parent) {
        case "row" -> {
          if (name.equals("source_ip")) {
            sourceIp = value(name);
          } else if (name.equals("count")) {
            count = value(name);
          }
        }
        case "policy_evaluated" -> {
          switch (name) {
            case "disposition" -> disposition = word(name);
            case "dkim" -> evDkim = word(name);
            case "spf" -> evSpf = word(name);
            case "reason" -> {
              reasons.add(new ReceivedReport.Reason(reasonType, reasonComment));
              reasonType = null;
              reasonComment = null;
            }
            default -> { }
          }
        }
        case "reason" -> {
          if (name.equals("type")) {
            reasonType = word(name);
          } else if (name.equals("comment")) {
            reasonComment = value(name);
          }
        }
        case "identifiers" -> {
          switch (name) {
            case "header_from" -> headerFrom = word(name);
            case "envelope_from" -> envelopeFrom = word(name);
            case "envelope_to" -> envelopeTo = word(name);
            default -> { }
          }
        }
        case "auth_results" -> {
          if (name.equals("dkim")) {
            dkims.add(new ReceivedReport.DkimAuth(aDomain, aSelector, aResult, aHuman));
          } else if (name.equals("spf")) {
            spfs.add(new ReceivedReport.SpfAuth(aDomain, aScope, aResult, aHuman));
          }
          aDomain = aSelector = aScope = aResult = aHuman = null;
        }
        case "dkim", "spf" -> {
          if (depth == 5 && stack[2].equals("auth_results")) {
            switch (name) {
              case "domain" -> aDomain = word(name);
              case "selector" -> aSelector = value(name);
              case "scope" -> aScope = word(name);
              case "result" -> aResult = word(name);
              case "human_result" -> aHuman = value(name);
              default -> { }
            }
          }
        }
        default -> { }
      }
    }

    void endRecord() throws Refused {
      if (records.size() >= limits.maxRecords()) {
        throw new Refused(ReportParse.Problem.TOO_MANY_RECORDS, "more than " + limits.maxRecords()
            + " records in one report");
      }
      int n = records.size();
      String ip = sourceIp;
      if (ip == null) {
        warnings.add("record " + n + ": no source_ip");
      } else if (InetAddresses.tryParse(ip).isEmpty()) {
        warnings.add("record " + n + ": source_ip is not an IP address");
      } else {
        // One spelling per address (IPv6 compressed, lower case), so rows from different reports group.
        ip = InetAddresses.text(InetAddresses.tryParse(ip).get());
      }
      long c = count(n);
      for (String[] w : new String[][] {{"disposition", disposition}, {"dkim", evDkim}, {"spf", evSpf}}) {
        if (w[1] == null) {
          warnings.add("record " + n + ": no policy_evaluated/" + w[0]);
        }
      }
      records.add(new ReceivedReport.Record(ip, null, c, disposition, evDkim, evSpf, reasons, headerFrom,
          envelopeFrom, envelopeTo, dkims, spfs));
      sourceIp = count = disposition = evDkim = evSpf = headerFrom = envelopeFrom = envelopeTo = null;
      reasons.clear();
      dkims.clear();
      spfs.clear();
    }

    long count(int n) {
      if (count == null) {
        warnings.add("record " + n + ": no count (taken as 0)");
        return 0;
      }
      try {
        BigInteger v = new BigInteger(count);
        if (v.signum() < 0) {
          warnings.add("record " + n + ": negative count " + count + " (taken as 0)");
          return 0;
        }
        if (v.bitLength() > 63) {
          warnings.add("record " + n + ": count " + count + " larger than 2^63-1 (taken as 2^63-1)");
          return Long.MAX_VALUE;
        }
        return v.longValue();
      } catch (NumberFormatException e) {
        warnings.add("record " + n + ": count '" + clip(count) + "' is not a number (taken as 0)");
        return 0;
      }
    }

    Instant time(String what, String v) {
      if (v == null) {
        warnings.add("no date_range/" + what);
        return null;
      }
      try {
        // Some reporters write a decimal point ("1700000000.0").
        long s = new java.math.BigDecimal(v).longValueExact();
        if (Math.abs(s) >= MILLIS_THRESHOLD) {
          warnings.add("date_range/" + what + " " + v + " read as milliseconds");
          return Instant.ofEpochMilli(s);
        }
        return Instant.ofEpochSecond(s);
      } catch (ArithmeticException | NumberFormatException | java.time.DateTimeException e) {
        warnings.add("date_range/" + what + " '" + clip(v) + "' is not a time in seconds");
        return null;
      }
    }

    ReceivedReport report() {
      Instant b = time("begin", begin);
      Instant e = time("end", end);
      if (b != null && e != null && b.isAfter(e)) {
        warnings.add("date_range begins after it ends");
      }
      String id = reportId;
      if (id == null) {
        id = "sha256-" + sha256(xml).substring(0, 16);
        warnings.add("no report_id: named after the document's hash");
      }
      String org = orgName;
      if (org == null) {
        org = "unknown";
        warnings.add("no org_name");
      }
      String schema;
      if (NS_2_0.equals(namespace)) {
        schema = ReceivedReport.RFC9990;
      } else if (NS_0_1.equals(namespace)) {
        schema = ReceivedReport.RFC7489;
      } else {
        schema = rfc9990Elements ? ReceivedReport.RFC9990 : ReceivedReport.RFC7489;
        if (namespace != null && !namespace.isEmpty()) {
          warnings.add("unknown namespace " + clip(namespace));
        }
      }
      if (domain == null) {
        warnings.add("no policy_published/domain");
      }
      return new ReceivedReport(schema, version,
          new ReceivedReport.Metadata(org, email, extra, id, b, e, errors, generator),
          new ReceivedReport.PolicyPublished(domain, p, sp, np, adkim, aspf, pct, fo, testing, discovery),
          records, warnings);
    }
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
