package dev.mailgate.report.ingest;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The normalised JSON of a received report (docs/REPORTING.md, "Reports in", shows a full example), and
 * back. Absent values are left out. Times are ISO-8601 UTC; counts are JSON integers (up to 2^63-1).
 * Stateless and thread-safe.
 */
public final class ReportJson {
  /** Bumped when a field changes meaning; readers accept this version and older. */
  public static final int FORMAT = 1;

  private ReportJson() {}

  /**
   * The JSON document for a report.
   *
   * @param source where it came from (a file name, "message-id/attachment-name")
   * @param received when it was received
   */
  public static byte[] toJson(ReceivedReport r, String source, Instant received) {
    return toJson(r, source, received, ReportAuthentication.UNKNOWN);
  }

  /**
   * The JSON document for a report with the verdict on the mail that brought it ({@code authentication};
   * left out for {@link ReportAuthentication#UNKNOWN}, which is what its absence means).
   */
  public static byte[] toJson(ReceivedReport r, String source, Instant received, ReportAuthentication auth) {
    try {
      return JSON.std.asBytes(toMap(r, source, received, auth));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Map<String, Object> toMap(ReceivedReport r, String source, Instant received) {
    return toMap(r, source, received, ReportAuthentication.UNKNOWN);
  }

  public static Map<String, Object> toMap(ReceivedReport r, String source, Instant received,
      ReportAuthentication auth) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("schema", r.schema());
    put(m, "version", r.version());
    put(m, "source", source);
    put(m, "received", received == null ? null : received.toString());
    if (auth != null && auth.result() != ReportAuthentication.Result.UNKNOWN) {
      m.put("authentication", auth.toMap());
    }
    ReceivedReport.Metadata md = r.metadata();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("orgName", md.orgName());
    put(meta, "email", md.email());
    put(meta, "extraContactInfo", md.extraContactInfo());
    meta.put("reportId", md.reportId());
    put(meta, "begin", md.begin() == null ? null : md.begin().toString());
    put(meta, "end", md.end() == null ? null : md.end().toString());
    if (!md.errors().isEmpty()) {
      meta.put("errors", md.errors());
    }
    put(meta, "generator", md.generator());
    m.put("metadata", meta);
    ReceivedReport.PolicyPublished p = r.policy();
    Map<String, Object> pol = new LinkedHashMap<>();
    put(pol, "domain", p.domain());
    put(pol, "p", p.p());
    put(pol, "sp", p.sp());
    put(pol, "np", p.np());
    put(pol, "adkim", p.adkim());
    put(pol, "aspf", p.aspf());
    put(pol, "pct", p.pct());
    put(pol, "fo", p.fo());
    put(pol, "testing", p.testing());
    put(pol, "discoveryMethod", p.discoveryMethod());
    m.put("policy", pol);
    List<Object> records = new ArrayList<>();
    for (ReceivedReport.Record rec : r.records()) {
      Map<String, Object> x = new LinkedHashMap<>();
      put(x, "sourceIp", rec.sourceIp());
      put(x, "sourceName", rec.sourceName());
      x.put("count", rec.count());
      put(x, "disposition", rec.disposition());
      put(x, "dkim", rec.dkim());
      put(x, "spf", rec.spf());
      x.put("dmarc", rec.dmarcPass() ? "pass" : "fail");
      if (!rec.reasons().isEmpty()) {
        List<Object> rs = new ArrayList<>();
        for (ReceivedReport.Reason reason : rec.reasons()) {
          Map<String, Object> y = new LinkedHashMap<>();
          put(y, "type", reason.type());
          put(y, "comment", reason.comment());
          rs.add(y);
        }
        x.put("reasons", rs);
      }
      put(x, "headerFrom", rec.headerFrom());
      put(x, "envelopeFrom", rec.envelopeFrom());
      put(x, "envelopeTo", rec.envelopeTo());
      List<Object> dk = new ArrayList<>();
      for (ReceivedReport.DkimAuth d : rec.dkimResults()) {
        Map<String, Object> y = new LinkedHashMap<>();
        put(y, "domain", d.domain());
        put(y, "selector", d.selector());
        put(y, "result", d.result());
        put(y, "humanResult", d.humanResult());
        dk.add(y);
      }
      x.put("dkimResults", dk);
      List<Object> sp = new ArrayList<>();
      for (ReceivedReport.SpfAuth s : rec.spfResults()) {
        Map<String, Object> y = new LinkedHashMap<>();
        put(y, "domain", s.domain());
        put(y, "scope", s.scope());
        put(y, "result", s.result());
        put(y, "humanResult", s.humanResult());
        sp.add(y);
      }
      x.put("spfResults", sp);
      records.add(x);
    }
    m.put("records", records);
    m.put("warnings", r.warnings());
    return m;
  }

  /**
   * A stored report read back, with where it came from and the verdict on its mail ({@link
   * ReportAuthentication#UNKNOWN} for a document stored before that was recorded).
   */
  public record Stored(ReceivedReport report, String source, Instant received, ReportAuthentication authentication) {
    public Stored {
      authentication = authentication == null ? ReportAuthentication.UNKNOWN : authentication;
    }

    public Stored(ReceivedReport report, String source, Instant received) {
      this(report, source, received, ReportAuthentication.UNKNOWN);
    }
  }

  /**
   * Reads a document written by {@link #toJson}. Returns null for JSON that is not such a document (the
   * files are ours, but a folder may hold others).
   */
  public static Stored fromJson(byte[] json) {
    try {
      Object root = JSON.std.anyFrom(json);
      if (!(root instanceof Map<?, ?> m) || !(m.get("metadata") instanceof Map<?, ?> meta)
          || !(m.get("records") instanceof List<?> recs)) {
        return null;
      }
      Map<?, ?> pol = m.get("policy") instanceof Map<?, ?> pm ? pm : Map.of();
      List<ReceivedReport.Record> records = new ArrayList<>();
      for (Object o : recs) {
        if (!(o instanceof Map<?, ?> x)) {
          continue;
        }
        List<ReceivedReport.Reason> reasons = new ArrayList<>();
        for (Map<?, ?> y : maps(x.get("reasons"))) {
          reasons.add(new ReceivedReport.Reason(str(y, "type"), str(y, "comment")));
        }
        List<ReceivedReport.DkimAuth> dk = new ArrayList<>();
        for (Map<?, ?> y : maps(x.get("dkimResults"))) {
          dk.add(new ReceivedReport.DkimAuth(str(y, "domain"), str(y, "selector"), str(y, "result"),
              str(y, "humanResult")));
        }
        List<ReceivedReport.SpfAuth> sp = new ArrayList<>();
        for (Map<?, ?> y : maps(x.get("spfResults"))) {
          sp.add(new ReceivedReport.SpfAuth(str(y, "domain"), str(y, "scope"), str(y, "result"),
              str(y, "humanResult")));
        }
        long count = x.get("count") instanceof Number n ? Math.max(0, n.longValue()) : 0;
        records.add(new ReceivedReport.Record(str(x, "sourceIp"), str(x, "sourceName"), count,
            str(x, "disposition"), str(x, "dkim"), str(x, "spf"), reasons, str(x, "headerFrom"),
            str(x, "envelopeFrom"), str(x, "envelopeTo"), dk, sp));
      }
      List<String> errors = new ArrayList<>();
      if (meta.get("errors") instanceof List<?> es) {
        for (Object e : es) {
          errors.add(String.valueOf(e));
        }
      }
      List<String> warnings = new ArrayList<>();
      if (m.get("warnings") instanceof List<?> ws) {
        for (Object w : ws) {
          warnings.add(String.valueOf(w));
        }
      }
      String org = str(meta, "orgName");
      String id = str(meta, "reportId");
      String schema = str(m, "schema");
      ReceivedReport r = new ReceivedReport(schema == null ? ReceivedReport.RFC7489 : schema, str(m, "version"),
          new ReceivedReport.Metadata(org == null ? "unknown" : org, str(meta, "email"),
              str(meta, "extraContactInfo"), id == null ? "unknown" : id, time(str(meta, "begin")),
              time(str(meta, "end")), errors, str(meta, "generator")),
          new ReceivedReport.PolicyPublished(str(pol, "domain"), str(pol, "p"), str(pol, "sp"), str(pol, "np"),
              str(pol, "adkim"), str(pol, "aspf"), str(pol, "pct"), str(pol, "fo"), str(pol, "testing"),
              str(pol, "discoveryMethod")),
          records, warnings);
      return new Stored(r, str(m, "source"), time(str(m, "received")),
          ReportAuthentication.fromMap(m.get("authentication")));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  public static String toString(ReceivedReport r, String source, Instant received) {
    return new String(toJson(r, source, received), StandardCharsets.UTF_8);
  }

  private static List<Map<?, ?>> maps(Object v) {
    List<Map<?, ?>> out = new ArrayList<>();
    if (v instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map<?, ?> m) {
          out.add(m);
        }
      }
    }
    return out;
  }

  private static String str(Map<?, ?> m, String key) {
    Object v = m.get(key);
    return v == null ? null : String.valueOf(v);
  }

  private static Instant time(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static void put(Map<String, Object> m, String key, Object v) {
    if (v != null) {
      m.put(key, v);
    }
  }
}
