package dev.mailgate.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailgate.authres.AuthReport;
import dev.mailgate.message.Envelope;
import dev.mailgate.spf.SpfResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of a verification (one object per line, fields in the order of DESIGN.md). A method
 * that has not run is left out rather than given a made-up result.
 */
final class JsonOutput {
  private JsonOutput() {}

  static String report(String file, AuthReport report, List<String> envelopeNotes, String header) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("file", file);
    Map<String, Object> env = envelope(report.envelope());
    env.put("notes", envelopeNotes); // where each value came from in the stored message, or why it is missing
    o.put("envelope", env);
    if (report.spf() != null) {
      o.put("spf", spf(report.spf()));
    }
    o.put("authenticationResults", header.replace("\r\n", "\n"));
    return write(o);
  }

  static String error(String file, String message) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("file", file);
    o.put("error", message);
    return write(o);
  }

  static Map<String, Object> spf(SpfResult r) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("result", r.status().word());
    putIfSet(o, "domain", r.domain());
    o.put("scope", r.identity().word());
    putIfSet(o, "sender", r.sender());
    putIfSet(o, "mechanism", r.mechanism());
    putIfSet(o, "explanation", r.explanation());
    putIfSet(o, "reason", r.reason());
    return o;
  }

  static Map<String, Object> envelope(Envelope e) {
    Map<String, Object> o = new LinkedHashMap<>();
    putIfSet(o, "clientIp", e.clientIp() == null ? null : e.clientIp().getHostAddress());
    putIfSet(o, "helo", e.helo());
    putIfSet(o, "mailFrom", e.mailFrom());
    if (!e.rcptTo().isEmpty()) {
      o.put("rcptTo", e.rcptTo());
    }
    return o;
  }

  private static void putIfSet(Map<String, Object> o, String key, Object value) {
    if (value != null) {
      o.put(key, value);
    }
  }

  private static String write(Map<String, Object> o) {
    try {
      return JSON.std.asString(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing a Map of strings cannot fail
    }
  }
}
