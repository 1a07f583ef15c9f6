package dev.mailgate.report;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailgate.arc.ArcResult;
import dev.mailgate.authres.AuthReport;
import dev.mailgate.dkim.DkimResult;
import dev.mailgate.dmarc.DmarcRecord;
import dev.mailgate.dmarc.DmarcResult;
import dev.mailgate.dmarc.OverrideReason;
import dev.mailgate.dmarc.ReportUri;
import dev.mailgate.gateway.ActionResult;
import dev.mailgate.gateway.Outcome;
import dev.mailgate.message.Envelope;
import dev.mailgate.spf.SpfResult;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the gateway did with one message and why: the row written for every processed message
 * (docs/RECORDS.md has the schema, field by field). Immutable. Fields a message did not reach are null
 * (lists: empty).
 *
 * @param received SES's receipt time when known, else the processing time
 * @param messageId SES's message ID
 * @param state the gateway state afterwards (ObjectState word)
 * @param action the verdict's action word, or null
 * @param rule the rule that chose it, or null
 * @param actions what became of each decision
 * @param sourceIp the SMTP client IP, or null
 * @param helo the HELO name, or null
 * @param mailFrom MAIL FROM ("" for the null reverse-path), or null
 * @param headerFrom the RFC 5322.From domain (Author Domain), or null
 * @param recipients the envelope recipients
 * @param spfResult SPF result word, or null
 * @param spfDomain the domain SPF checked, or null
 * @param spfScope "mfrom" or "helo", or null
 * @param dkim every signature, topmost first
 * @param arcResult none, pass, fail, or null
 * @param arcOldestPass RFC 8617 oldest-pass
 * @param arcSealers the sealers' d=, oldest first
 * @param dmarc the DMARC part, or null when DMARC was not evaluated
 * @param authSources where each verdict came from (AuthSummary.sources), or null
 * @param detail a few words on failures, or null
 */
public record MessageRecord(
    Instant received,
    String messageId,
    String state,
    String action,
    String rule,
    List<ActionTaken> actions,
    String sourceIp,
    String helo,
    String mailFrom,
    String headerFrom,
    List<String> recipients,
    String spfResult,
    String spfDomain,
    String spfScope,
    List<Dkim> dkim,
    String arcResult,
    int arcOldestPass,
    List<String> arcSealers,
    Dmarc dmarc,
    String authSources,
    String detail) {

  /** The schema version written in {@code v}. */
  public static final int VERSION = 1;

  public MessageRecord {
    actions = actions == null ? List.of() : List.copyOf(actions);
    recipients = recipients == null ? List.of() : List.copyOf(recipients);
    dkim = dkim == null ? List.of() : List.copyOf(dkim);
    arcSealers = arcSealers == null ? List.of() : arcSealers.stream().map(s -> s == null ? "" : s).toList();
  }

  /** One decision's end: {@code action} as ActionResult names it, {@code status} its word. */
  public record ActionTaken(String action, String status, List<String> targets) {
    public ActionTaken {
      targets = targets == null ? List.of() : List.copyOf(targets);
    }
  }

  /** One DKIM signature's result; fields null where the signature did not say. */
  public record Dkim(String result, String domain, String selector, String algorithm) {}

  /** One policy override reason (RFC 9990 section 3.1.6): type word and optional comment. */
  public record Reason(String type, String comment) {}

  /**
   * The DMARC evaluation, with the policy record as discovered.
   *
   * @param result the DMARC result word
   * @param domain the DMARC Policy Domain, or null without a record
   * @param discovery treewalk or psl
   * @param p published p, or null without a usable record
   * @param sp published sp, or null
   * @param np published np, or null
   * @param adkim r or s, or null without a record
   * @param aspf r or s, or null
   * @param testing y or n, or null
   * @param psd y, n or u, or null
   * @param fo the fo tag, or null
   * @param pct the pct tag, or null
   * @param policyTag p, sp or np, or null
   * @param policy the policy that tag publishes, or null
   * @param effectivePolicy after t=y / pct, or null
   * @param disposition none, quarantine or reject
   * @param spfAligned SPF passed aligned
   * @param dkimAligned some DKIM signature passed aligned
   * @param overrides override reasons, in order
   * @param rua the record's rua URIs as published
   * @param errors problems in the record
   */
  public record Dmarc(String result, String domain, String discovery, String p, String sp, String np,
      String adkim, String aspf, String testing, String psd, String fo, Integer pct, String policyTag,
      String policy, String effectivePolicy, String disposition, boolean spfAligned, boolean dkimAligned,
      List<Reason> overrides, List<String> rua, List<String> errors) {
    public Dmarc {
      overrides = overrides == null ? List.of() : List.copyOf(overrides);
      rua = rua == null ? List.of() : List.copyOf(rua);
      errors = errors == null ? List.of() : List.copyOf(errors);
    }
  }

  /** The UTC date of {@link #received}: the record's partition. */
  public LocalDate date() {
    return received.atOffset(ZoneOffset.UTC).toLocalDate();
  }

  /** The domain of MAIL FROM: "" for the null reverse-path, null when unknown. */
  public String mailFromDomain() {
    if (mailFrom == null) {
      return null;
    }
    int at = mailFrom.lastIndexOf('@');
    return at < 0 ? "" : mailFrom.substring(at + 1).toLowerCase(Locale.ROOT);
  }

  /**
   * The record of a processed message.
   *
   * @param report the authentication report, or null when not reached
   * @param received SES's receipt time, or the processing time
   */
  public static MessageRecord of(Outcome o, AuthReport report, Instant received) {
    Envelope env = o.envelope() != null ? o.envelope() : report == null ? null : report.envelope();
    List<ActionTaken> actions = new ArrayList<>();
    for (ActionResult a : o.actions()) {
      actions.add(new ActionTaken(a.action(), a.status().word(), a.targets()));
    }
    String sourceIp = null;
    String helo = null;
    String mailFrom = null;
    List<String> rcpt = List.of();
    if (env != null) {
      sourceIp = env.clientIp() == null ? null : dev.mailgate.dns.InetAddresses.text(env.clientIp());
      helo = env.helo();
      mailFrom = env.mailFrom();
      rcpt = env.rcptTo() == null ? List.of() : env.rcptTo();
    }
    String spfResult = null;
    String spfDomain = null;
    String spfScope = null;
    List<Dkim> dkim = new ArrayList<>();
    String arcResult = null;
    int oldest = 0;
    List<String> sealers = List.of();
    Dmarc dmarc = null;
    String headerFrom = null;
    if (report != null) {
      SpfResult spf = report.spf();
      if (spf != null) {
        spfResult = spf.status().word();
        spfDomain = spf.domain();
        spfScope = spf.identity() == SpfResult.Identity.MAILFROM ? "mfrom" : "helo";
      }
      if (report.dkim() != null) {
        for (DkimResult d : report.dkim()) {
          dkim.add(new Dkim(d.status().word(), d.domain(), d.selector(), d.algorithm()));
        }
      }
      ArcResult arc = report.arc();
      if (arc != null) {
        arcResult = arc.status().word();
        oldest = arc.oldestPass();
        sealers = arc.sealerDomains();
      }
      DmarcResult dr = report.dmarc();
      if (dr != null) {
        headerFrom = dr.domain();
        dmarc = dmarcOf(dr);
      }
    }
    return new MessageRecord(received, o.ref().messageId(), o.state().word(),
        o.verdict() == null ? null : o.verdict().action().word(), o.verdict() == null ? null : o.verdict().rule(),
        actions, sourceIp, helo, mailFrom, headerFrom, rcpt, spfResult, spfDomain, spfScope, dkim, arcResult, oldest,
        sealers, dmarc, o.auth() == null ? null : o.auth().sources(),
        o.detail() == null || o.detail().isEmpty() ? null : o.detail());
  }

  private static Dmarc dmarcOf(DmarcResult dr) {
    DmarcRecord r = dr.record();
    List<Reason> overrides = new ArrayList<>();
    for (OverrideReason o : dr.overrides()) {
      overrides.add(new Reason(o.type().word(), o.comment()));
    }
    List<String> rua = new ArrayList<>();
    if (r != null) {
      for (ReportUri u : r.rua()) {
        rua.add(u.toString());
      }
    }
    return new Dmarc(dr.status().word(), dr.policyDomain(), dr.mode() == null ? null : dr.mode().discoveryMethod(),
        r == null || r.p() == null ? null : r.p().word(), r == null || r.sp() == null ? null : r.sp().word(),
        r == null || r.np() == null ? null : r.np().word(), r == null ? null : r.adkim().tagValue(),
        r == null ? null : r.aspf().tagValue(), r == null ? null : r.testing() ? "y" : "n",
        r == null ? null : r.psd().tagValue(), r == null ? null : r.fo(), r == null ? null : r.pct(),
        dr.policyTag() == null ? null : dr.policyTag().name().toLowerCase(Locale.ROOT),
        dr.policy() == null ? null : dr.policy().word(), dr.effectivePolicy() == null ? null : dr.effectivePolicy().word(),
        dr.disposition() == null ? "none" : dr.disposition().word(), dr.spfAligned(), dr.dkimAligned(), overrides, rua,
        r == null ? List.of() : r.problems());
  }

  // ---- JSON ------------------------------------------------------------------------------------------

  /** The record as a JSON object in schema order, absent values left out (docs/RECORDS.md). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("v", VERSION);
    m.put("received", received.toString());
    m.put("message_id", messageId);
    m.put("state", state);
    put(m, "action", action);
    put(m, "rule", rule);
    List<Object> acts = new ArrayList<>();
    for (ActionTaken a : actions) {
      Map<String, Object> am = new LinkedHashMap<>();
      am.put("action", a.action());
      am.put("status", a.status());
      am.put("targets", a.targets());
      acts.add(am);
    }
    m.put("actions", acts);
    put(m, "source_ip", sourceIp);
    put(m, "helo", helo);
    put(m, "mail_from", mailFrom);
    put(m, "mail_from_domain", mailFromDomain());
    put(m, "header_from", headerFrom);
    m.put("recipients", recipients);
    put(m, "spf_result", spfResult);
    put(m, "spf_domain", spfDomain);
    put(m, "spf_scope", spfScope);
    List<Object> sigs = new ArrayList<>();
    for (Dkim d : dkim) {
      Map<String, Object> dm = new LinkedHashMap<>();
      put(dm, "result", d.result());
      put(dm, "domain", d.domain());
      put(dm, "selector", d.selector());
      put(dm, "algorithm", d.algorithm());
      sigs.add(dm);
    }
    m.put("dkim", sigs);
    put(m, "arc_result", arcResult);
    m.put("arc_oldest_pass", arcOldestPass);
    m.put("arc_sealers", arcSealers);
    if (dmarc != null) {
      Dmarc d = dmarc;
      put(m, "dmarc_result", d.result());
      put(m, "dmarc_domain", d.domain());
      put(m, "dmarc_discovery", d.discovery());
      put(m, "dmarc_p", d.p());
      put(m, "dmarc_sp", d.sp());
      put(m, "dmarc_np", d.np());
      put(m, "dmarc_adkim", d.adkim());
      put(m, "dmarc_aspf", d.aspf());
      put(m, "dmarc_testing", d.testing());
      put(m, "dmarc_psd", d.psd());
      put(m, "dmarc_fo", d.fo());
      put(m, "dmarc_pct", d.pct());
      put(m, "dmarc_policy_tag", d.policyTag());
      put(m, "dmarc_policy", d.policy());
      put(m, "dmarc_effective_policy", d.effectivePolicy());
      put(m, "dmarc_disposition", d.disposition());
      m.put("dmarc_spf_aligned", d.spfAligned());
      m.put("dmarc_dkim_aligned", d.dkimAligned());
      List<Object> ov = new ArrayList<>();
      for (Reason o : d.overrides()) {
        Map<String, Object> om = new LinkedHashMap<>();
        om.put("type", o.type());
        put(om, "comment", o.comment());
        ov.add(om);
      }
      m.put("dmarc_overrides", ov);
      m.put("dmarc_rua", d.rua());
      m.put("dmarc_errors", d.errors());
    }
    put(m, "auth_sources", authSources);
    put(m, "detail", detail);
    return m;
  }

  /** The record as one JSON line, without the line end. */
  public String toJson() {
    try {
      return JSON.std.asString(toMap());
    } catch (IOException e) {
      throw new IllegalStateException("JSON of plain maps and lists cannot fail", e);
    }
  }

  private static final com.fasterxml.jackson.core.JsonFactory TOKENS = new com.fasterxml.jackson.core.JsonFactory();

  /**
   * Reads a record written by {@link #toJson}; unknown fields are ignored. Streams the JSON tokens into the
   * record without building maps (the aggregate reports read millions of lines).
   *
   * @throws IllegalArgumentException when the line is no JSON object or lacks received / message_id
   */
  public static MessageRecord fromJson(String line) {
    try (com.fasterxml.jackson.core.JsonParser p = TOKENS.createParser(line)) {
      return read(p);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON record: " + e.getMessage(), e);
    }
  }

  private static MessageRecord read(com.fasterxml.jackson.core.JsonParser p) throws IOException {
    if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String received = null;
    String id = null;
    String state = null;
    String action = null;
    String rule = null;
    List<ActionTaken> actions = List.of();
    String sourceIp = null;
    String helo = null;
    String mailFrom = null;
    String headerFrom = null;
    List<String> recipients = List.of();
    String spfResult = null;
    String spfDomain = null;
    String spfScope = null;
    List<Dkim> dkim = List.of();
    String arcResult = null;
    int oldest = 0;
    List<String> sealers = List.of();
    String authSources = null;
    String detail = null;
    boolean dmarc = false;
    String[] d = new String[15]; // result domain discovery p sp np adkim aspf testing psd fo policy_tag policy effective disposition
    Integer pct = null;
    boolean spfAligned = false;
    boolean dkimAligned = false;
    List<Reason> overrides = List.of();
    List<String> rua = List.of();
    List<String> errors = List.of();
    com.fasterxml.jackson.core.JsonToken t;
    while ((t = p.nextToken()) == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "received" -> received = text(p);
        case "message_id" -> id = text(p);
        case "state" -> state = text(p);
        case "action" -> action = text(p);
        case "rule" -> rule = text(p);
        case "actions" -> actions = actions(p);
        case "source_ip" -> sourceIp = text(p);
        case "helo" -> helo = text(p);
        case "mail_from" -> mailFrom = text(p);
        case "header_from" -> headerFrom = text(p);
        case "recipients" -> recipients = texts(p);
        case "spf_result" -> spfResult = text(p);
        case "spf_domain" -> spfDomain = text(p);
        case "spf_scope" -> spfScope = text(p);
        case "dkim" -> dkim = dkim(p);
        case "arc_result" -> arcResult = text(p);
        case "arc_oldest_pass" -> oldest = p.currentToken().isNumeric() ? p.getIntValue() : 0;
        case "arc_sealers" -> sealers = texts(p);
        case "dmarc_result" -> {
          dmarc = true;
          d[0] = text(p);
        }
        case "dmarc_domain" -> d[1] = text(p);
        case "dmarc_discovery" -> d[2] = text(p);
        case "dmarc_p" -> d[3] = text(p);
        case "dmarc_sp" -> d[4] = text(p);
        case "dmarc_np" -> d[5] = text(p);
        case "dmarc_adkim" -> d[6] = text(p);
        case "dmarc_aspf" -> d[7] = text(p);
        case "dmarc_testing" -> d[8] = text(p);
        case "dmarc_psd" -> d[9] = text(p);
        case "dmarc_fo" -> d[10] = text(p);
        case "dmarc_pct" -> pct = p.currentToken().isNumeric() ? p.getIntValue() : null;
        case "dmarc_policy_tag" -> d[11] = text(p);
        case "dmarc_policy" -> d[12] = text(p);
        case "dmarc_effective_policy" -> d[13] = text(p);
        case "dmarc_disposition" -> d[14] = text(p);
        case "dmarc_spf_aligned" -> spfAligned = p.currentToken() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE;
        case "dmarc_dkim_aligned" -> dkimAligned = p.currentToken() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE;
        case "dmarc_overrides" -> overrides = overrides(p);
        case "dmarc_rua" -> rua = texts(p);
        case "dmarc_errors" -> errors = texts(p);
        case "auth_sources" -> authSources = text(p);
        case "detail" -> detail = text(p);
        default -> p.skipChildren(); // a field of a later version (a scalar needs no skipping)
      }
    }
    if (t != com.fasterxml.jackson.core.JsonToken.END_OBJECT) {
      throw new IllegalArgumentException("not a JSON object");
    }
    if (received == null || id == null) {
      throw new IllegalArgumentException("a record needs received and message_id");
    }
    Instant at;
    try {
      at = Instant.parse(received);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("received is not an ISO-8601 instant: " + received, e);
    }
    Dmarc dm = !dmarc ? null : new Dmarc(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], pct, d[11],
        d[12], d[13], d[14], spfAligned, dkimAligned, overrides, rua, errors);
    return new MessageRecord(at, id, state, action, rule, actions, sourceIp, helo, mailFrom, headerFrom, recipients,
        spfResult, spfDomain, spfScope, dkim, arcResult, oldest, sealers, dm, authSources, detail);
  }

  /** A scalar as text; null for JSON null, and for an array or object (skipped). */
  private static String text(com.fasterxml.jackson.core.JsonParser p) throws IOException {
    com.fasterxml.jackson.core.JsonToken t = p.currentToken();
    if (t == com.fasterxml.jackson.core.JsonToken.START_ARRAY || t == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    return t == com.fasterxml.jackson.core.JsonToken.VALUE_NULL ? null : p.getText();
  }

  private static List<String> texts(com.fasterxml.jackson.core.JsonParser p) throws IOException {
    if (p.currentToken() != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
      p.skipChildren();
      return List.of();
    }
    List<String> out = new ArrayList<>(2);
    while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
      String v = text(p);
      out.add(v == null ? "" : v);
    }
    return out;
  }

  /** Each object of an array as field name to text (nested values skipped), or of arrays of text. */
  private interface ObjectReader<T> {
    T read(Map<String, Object> fields);
  }

  private static <T> List<T> objects(com.fasterxml.jackson.core.JsonParser p, ObjectReader<T> reader) throws IOException {
    if (p.currentToken() != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
      p.skipChildren();
      return List.of();
    }
    List<T> out = new ArrayList<>(2);
    while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
      if (p.currentToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      Map<String, Object> fields = new java.util.HashMap<>(8);
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        fields.put(name, p.currentToken() == com.fasterxml.jackson.core.JsonToken.START_ARRAY ? texts(p) : text(p));
      }
      out.add(reader.read(fields));
    }
    return out;
  }

  private static List<Dkim> dkim(com.fasterxml.jackson.core.JsonParser p) throws IOException {
    return objects(p, f -> new Dkim(str(f, "result"), str(f, "domain"), str(f, "selector"), str(f, "algorithm")));
  }

  private static List<Reason> overrides(com.fasterxml.jackson.core.JsonParser p) throws IOException {
    return objects(p, f -> new Reason(str(f, "type"), str(f, "comment")));
  }

  @SuppressWarnings("unchecked")
  private static List<ActionTaken> actions(com.fasterxml.jackson.core.JsonParser p) throws IOException {
    return objects(p, f -> new ActionTaken(str(f, "action"), str(f, "status"),
        f.get("targets") instanceof List ? (List<String>) f.get("targets") : List.of()));
  }

  private static void put(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }

  private static String str(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v == null ? null : v.toString();
  }


}
