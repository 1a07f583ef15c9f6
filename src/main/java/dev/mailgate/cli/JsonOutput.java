package dev.mailgate.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailgate.arc.ArcResult;
import dev.mailgate.authres.AuthReport;
import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dkim.DkimResult;
import dev.mailgate.dmarc.DmarcResult;
import dev.mailgate.message.Envelope;
import dev.mailgate.spf.SpfResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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
    if (report.dkim() != null) {
      o.put("dkim", report.dkim().stream().map(JsonOutput::dkim).toList());
    }
    if (report.arc() != null) {
      o.put("arc", arc(report.arc()));
    }
    if (report.dmarc() != null) {
      o.put("dmarc", dmarc(report.dmarc()));
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

  static Map<String, Object> dkim(DkimResult r) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("result", r.status().word());
    putIfSet(o, "domain", r.domain());
    putIfSet(o, "selector", r.selector());
    putIfSet(o, "algorithm", r.algorithm());
    if (r.keyBits() > 0) {
      o.put("keyBits", r.keyBits());
    }
    putIfSet(o, "identity", r.identity());
    putIfSet(o, "b", r.bPrefix());
    if (r.testing()) {
      o.put("testing", true);
    }
    putIfSet(o, "reason", r.reason());
    return o;
  }

  static Map<String, Object> arc(ArcResult r) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("result", r.status().word());
    o.put("instances", r.instances());
    if (r.status() == AuthStatus.PASS) {
      o.put("oldestPass", r.oldestPass());
    }
    if (!r.sealers().isEmpty()) {
      List<Map<String, Object>> sealers = new ArrayList<>();
      for (ArcResult.Sealer s : r.sealers()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instance", s.instance());
        putIfSet(m, "domain", s.domain());
        putIfSet(m, "selector", s.selector());
        sealers.add(m);
      }
      o.put("sealers", sealers);
    }
    if (r.dnsTempFailure()) {
      o.put("dnsTempFailure", true);
    }
    o.put("reason", r.reason());
    return o;
  }

  static Map<String, Object> dmarc(DmarcResult r) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("result", r.status().word());
    putIfSet(o, "domain", r.domain());
    putIfSet(o, "policyDomain", r.policyDomain());
    putIfSet(o, "policy", r.policy() == null ? null : r.policy().word());
    putIfSet(o, "effectivePolicy", r.policyDmarc());
    putIfSet(o, "disposition", r.disposition() == null ? null : r.disposition().word());
    o.put("spfAligned", r.spfAligned());
    o.put("dkimAligned", r.dkimAligned());
    putIfSet(o, "alignedDkimDomain", r.alignedDkimDomain());
    if (!r.overrides().isEmpty()) {
      List<Map<String, Object>> overrides = new ArrayList<>();
      for (var ov : r.overrides()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", ov.type().word());
        putIfSet(m, "comment", ov.comment());
        overrides.add(m);
      }
      o.put("overrides", overrides);
    }
    putIfSet(o, "mode", r.mode() == null ? null : r.mode().discoveryMethod());
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
