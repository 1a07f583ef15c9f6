package dev.mailgate.gateway;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailgate.message.Envelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON form of an {@link Outcome}: the log line's body and {@code mailgate invoke --json}'s output. */
public final class OutcomeJson {
  private OutcomeJson() {}

  /** The outcome as an ordered map of plain values. */
  public static Map<String, Object> toMap(Outcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("messageId", o.ref().messageId());
    m.put("bucket", o.ref().bucket());
    m.put("key", o.ref().key());
    m.put("attempt", o.attempt());
    m.put("state", o.state().word());
    if (o.skipped()) {
      m.put("skipped", true);
    }
    if (o.verdict() != null) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("action", o.verdict().action().word());
      v.put("rule", o.verdict().rule());
      v.put("reason", o.verdict().reason());
      m.put("verdict", v);
    }
    if (o.auth() != null) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("spf", o.auth().spf().word());
      a.put("dkim", o.auth().dkim().word());
      a.put("dmarc", o.auth().dmarc().word());
      a.put("arc", o.auth().arc().word());
      a.put("dmarcDisposition", o.auth().dmarcDisposition().word());
      a.put("sources", o.auth().sources());
      m.put("auth", a);
    }
    if (o.ses() != null) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("spam", o.ses().spam().word());
      s.put("virus", o.ses().virus().word());
      s.put("source", o.ses().source());
      m.put("ses", s);
    }
    if (o.envelope() != null) {
      Envelope e = o.envelope();
      Map<String, Object> env = new LinkedHashMap<>();
      if (e.clientIp() != null) {
        env.put("clientIp", e.clientIp().getHostAddress());
      }
      if (e.helo() != null) {
        env.put("helo", e.helo());
      }
      if (e.mailFrom() != null) {
        env.put("mailFrom", e.mailFrom());
      }
      env.put("rcptTo", e.rcptTo());
      m.put("envelope", env);
    }
    List<Object> actions = new ArrayList<>();
    for (ActionResult r : o.actions()) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("action", r.action());
      a.put("recipients", r.recipients());
      a.put("targets", r.targets());
      a.put("status", r.status().word());
      if (r.detail() != null && !r.detail().isEmpty()) {
        a.put("detail", r.detail());
      }
      actions.add(a);
    }
    m.put("actions", actions);
    m.put("disposition", o.disposition().name());
    m.put("retryLater", o.retryLater());
    if (!o.detail().isEmpty()) {
      m.put("detail", o.detail());
    }
    m.put("durationMs", o.millis());
    return m;
  }

  public static String toJson(Map<String, Object> m) {
    try {
      return JSON.std.asString(m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
