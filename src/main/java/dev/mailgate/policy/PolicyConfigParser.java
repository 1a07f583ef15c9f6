package dev.mailgate.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dmarc.Disposition;
import dev.mailgate.message.MailAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates the configuration file (JSON; docs/CONFIG.md). Every problem is reported with the
 * JSON path of the setting, all at once, so one run shows everything to fix. Unknown keys are errors
 * (with a suggestion when one is close to a known key), except keys starting with "_", which are
 * comments. Duplicate keys are errors. Thread-safe (stateless).
 */
public final class PolicyConfigParser {
  /** Larger configuration files are refused: they are a mistake (a message pasted in, say). */
  public static final int MAX_BYTES = 1 << 20;

  private static final JSON JSON_READER = JSON.builder(
          JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
      .build();

  private static final Set<Action> RULE_ACTIONS =
      EnumSet.of(Action.DELIVER, Action.TAG, Action.QUARANTINE, Action.DISCARD, Action.BOUNCE);

  private static final Pattern RELAY_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

  private PolicyConfigParser() {}

  /** Parses configuration text; {@code source} names it in error messages (a file name, an environment variable). */
  public static PolicyConfig parse(String json, String source) throws ConfigException {
    return parse(json.getBytes(StandardCharsets.UTF_8), source);
  }

  /** Parses configuration bytes (UTF-8). */
  public static PolicyConfig parse(byte[] json, String source) throws ConfigException {
    if (json.length > MAX_BYTES) {
      throw new ConfigException(source, List.of("$: larger than " + MAX_BYTES + " bytes"));
    }
    Object root;
    try {
      root = JSON_READER.anyFrom(json);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source, List.of("$: not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr() + ")")));
    } catch (IOException e) {
      throw new ConfigException(source, List.of("$: cannot read: " + e.getMessage()));
    }
    Reader r = new Reader();
    PolicyConfig config = r.config(root);
    if (!r.problems.isEmpty()) {
      throw new ConfigException(source, r.problems);
    }
    return config;
  }

  /** Walks the JSON tree, collecting problems; returns null parts where a value was unusable. */
  private static final class Reader {
    final List<String> problems = new ArrayList<>();

    void problem(String path, String what) {
      problems.add(path + ": " + what);
    }

    PolicyConfig config(Object root) {
      Map<String, Object> m = object(root, "$");
      if (m == null) {
        return null;
      }
      keys(m, "$", "authservId", "deployment", "domains", "plusSeparator", "routes", "relays", "forward",
          "rules", "defaults", "tag", "quarantine", "discard", "bounce", "loop", "sync", "statePrefix",
          "maxAttempts", "arc", "reports");

      List<String> domains = new ArrayList<>();
      List<String> rawDomains = stringList(m.get("domains"), "$.domains", true);
      for (int i = 0; i < rawDomains.size(); i++) {
        String d = rawDomains.get(i);
        String norm = MailAddress.normalizeDomain(d).orElse(null);
        if (norm == null || norm.startsWith("[")) {
          problem("$.domains[" + i + "]", "not a domain name: '" + d + "'");
        } else if (!domains.contains(norm)) {
          domains.add(norm);
        }
      }

      String authservId = string(m, "authservId", "$.authservId", domains.isEmpty() ? "mailgate" : domains.get(0));
      if (authservId != null && !isAuthservId(authservId)) {
        problem("$.authservId", "must be a token such as a host name (no spaces, ';', '(' or quotes): '" + authservId + "'");
      }
      String deployment = string(m, "deployment", "$.deployment", authservId);
      if (deployment != null && !isAuthservId(deployment)) {
        problem("$.deployment", "must be a token (letters, digits, '.', '-', '_'): '" + deployment + "'");
      }
      String plus = string(m, "plusSeparator", "$.plusSeparator", "+");
      if (plus != null && plus.length() > 1) {
        problem("$.plusSeparator", "must be one character or \"\"");
      }

      Map<String, PolicyConfig.Relay> relays = relays(m.get("relays"));
      List<Route> routes = routes(m.get("routes"), new HashSet<>(domains), relays);
      PolicyConfig.Forward forward = forward(m.get("forward"));
      PolicyConfig.Bounce bounce = bounce(m.get("bounce"));
      PolicyConfig.ArcSealing arcSealing = arcSealing(m.get("arc"));
      List<Rule> rules = rules(m.get("rules"));
      PolicyConfig.Defaults defaults = defaults(m.get("defaults"));
      PolicyConfig.Tag tag = tag(m.get("tag"));
      PolicyConfig.Quarantine quarantine = quarantine(m.get("quarantine"));
      PolicyConfig.Discard discard = discard(m.get("discard"));
      PolicyConfig.Loop loop = loop(m.get("loop"));
      PolicyConfig.Sync sync = sync(m.get("sync"));
      int maxAttempts = integer(m, "maxAttempts", "$.maxAttempts", 3, 1, 10);
      String statePrefix = string(m, "statePrefix", "$.statePrefix", "mailgate-state/");
      if (statePrefix != null && (statePrefix.isEmpty() || statePrefix.startsWith("/") || statePrefix.contains(".."))) {
        problem("$.statePrefix", "must be a non-empty key prefix without a leading '/' or '..'");
      }
      if (statePrefix != null && quarantine != null && quarantine.prefix() != null
          && (statePrefix.startsWith(quarantine.prefix()) || quarantine.prefix().startsWith(statePrefix))) {
        problem("$.statePrefix", "must not overlap $.quarantine.prefix");
      }

      PolicyConfig.Reports reports = reports(m.get("reports"), new HashSet<>(domains), statePrefix, quarantine);

      // Cross-field rules.
      boolean forwards = routes.stream().anyMatch(r -> r.target() instanceof Route.Forward);
      if (forwards && forward != null && forward.from() == null) {
        problem("$.forward.from", "required: routes forward mail, which SES sends from a verified identity");
      }
      if (bounce != null && !bounce.enabled()) {
        for (int i = 0; i < rules.size(); i++) {
          if (rules.get(i) != null && rules.get(i).action() == Action.BOUNCE) {
            problem("$.rules[" + i + "].action", "bounce needs $.bounce.sender (a verified SES identity)");
          }
        }
        if (defaults != null && defaults.dmarcReject() == Action.BOUNCE) {
          problem("$.defaults.dmarcReject", "bounce needs $.bounce.sender (a verified SES identity)");
        }
        if (defaults != null && defaults.noRoute() == Action.BOUNCE) {
          problem("$.defaults.noRoute", "bounce needs $.bounce.sender (a verified SES identity)");
        }
      }
      if (!problems.isEmpty()) {
        return null;
      }
      return new PolicyConfig(authservId, deployment, domains, plus, routes, relays, forward, rules, defaults,
          tag, quarantine, discard, bounce, loop, sync, statePrefix, maxAttempts, arcSealing, reports);
    }

    PolicyConfig.Reports reports(Object v, Set<String> domains, String statePrefix, PolicyConfig.Quarantine q) {
      Map<String, Object> m = v == null ? Map.of() : object(v, "$.reports");
      if (m == null) {
        return null;
      }
      keys(m, "$.reports", "addresses", "prefix", "deliver");
      List<String> addresses = m.containsKey("addresses") ? addresses(m.get("addresses"), "$.reports.addresses", true)
          : List.of();
      for (int i = 0; i < addresses.size(); i++) {
        String d = addresses.get(i).substring(addresses.get(i).lastIndexOf('@') + 1);
        if (!domains.contains(d)) {
          problem("$.reports.addresses[" + i + "]", "domain '" + d + "' is not one of $.domains (SES must receive"
              + " the reports)");
        }
      }
      String prefix = string(m, "prefix", "$.reports.prefix", "reports/");
      if (prefix != null && (prefix.isEmpty() || prefix.startsWith("/") || prefix.contains(".."))) {
        problem("$.reports.prefix", "must be a non-empty key prefix without a leading '/' or '..'");
      } else if (prefix != null) {
        for (String other : new String[] {statePrefix, q == null ? null : q.prefix()}) {
          if (other != null && (prefix.startsWith(other) || other.startsWith(prefix))) {
            problem("$.reports.prefix", "must not overlap $.statePrefix or $.quarantine.prefix");
            break;
          }
        }
      }
      boolean deliver = bool(m, "deliver", "$.reports.deliver", false);
      return new PolicyConfig.Reports(addresses, prefix == null ? "reports/" : prefix, deliver);
    }

    Map<String, PolicyConfig.Relay> relays(Object v) {
      Map<String, PolicyConfig.Relay> out = new LinkedHashMap<>();
      if (v == null) {
        return out;
      }
      Map<String, Object> m = object(v, "$.relays");
      if (m == null) {
        return out;
      }
      for (Map.Entry<String, Object> e : m.entrySet()) {
        String path = "$.relays." + e.getKey();
        if (!RELAY_NAME.matcher(e.getKey()).matches()) {
          problem(path, "relay names are 1 to 64 letters, digits, '.', '-' or '_'");
          continue;
        }
        Map<String, Object> r = object(e.getValue(), path);
        if (r == null) {
          continue;
        }
        keys(r, path, "host", "port", "starttls", "username", "password", "timeoutSeconds", "heloName");
        String host = string(r, "host", path + ".host", null);
        if (host == null) {
          problem(path + ".host", "required");
        }
        int port = integer(r, "port", path + ".port", 25, 1, 65535);
        String tls = string(r, "starttls", path + ".starttls", "required");
        PolicyConfig.StartTls startTls = null;
        if (tls != null) {
          try {
            startTls = PolicyConfig.StartTls.valueOf(tls.toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException ex) {
            problem(path + ".starttls", "must be required, optional or none, not '" + tls + "'");
          }
        }
        String user = string(r, "username", path + ".username", null);
        String password = string(r, "password", path + ".password", null);
        if (password != null && user == null) {
          problem(path + ".password", "given without username");
        }
        int timeout = integer(r, "timeoutSeconds", path + ".timeoutSeconds", 30, 1, 300);
        String helo = string(r, "heloName", path + ".heloName", null);
        out.put(e.getKey(), new PolicyConfig.Relay(host, port, startTls, user, password, timeout, helo));
      }
      return out;
    }

    List<Route> routes(Object v, Set<String> domains, Map<String, PolicyConfig.Relay> relays) {
      List<Route> out = new ArrayList<>();
      if (v == null) {
        return out;
      }
      List<Object> list = array(v, "$.routes");
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        String path = "$.routes[" + i + "]";
        Map<String, Object> r = object(list.get(i), path);
        if (r == null) {
          continue;
        }
        keys(r, path, "match", "forward", "relay", "rcptTo", "discard");
        String match = string(r, "match", path + ".match", null);
        RecipientPattern pattern = null;
        if (match == null) {
          problem(path + ".match", "required: an address, '@domain' or '*'");
        } else {
          try {
            pattern = RecipientPattern.parse(match);
            if (pattern.domain() != null && !domains.contains(pattern.domain())) {
              problem(path + ".match", "domain '" + pattern.domain() + "' is not one of $.domains");
            }
            if (!seen.add(pattern.toString())) {
              problem(path + ".match", "another route already matches '" + pattern + "'");
            }
          } catch (IllegalArgumentException e) {
            problem(path + ".match", e.getMessage());
          }
        }
        int kinds = (r.containsKey("forward") ? 1 : 0) + (r.containsKey("relay") ? 1 : 0)
            + (r.containsKey("discard") ? 1 : 0);
        if (kinds != 1) {
          problem(path, "needs exactly one of forward, relay or discard");
          continue;
        }
        Route.Target target = null;
        if (r.containsKey("forward")) {
          List<String> to = addresses(r.get("forward"), path + ".forward", true);
          target = new Route.Forward(to);
          if (r.containsKey("rcptTo")) {
            problem(path + ".rcptTo", "only for relay routes");
          }
        } else if (r.containsKey("relay")) {
          String name = string(r, "relay", path + ".relay", null);
          if (name != null && !relays.containsKey(name)) {
            problem(path + ".relay", "no relay named '" + name + "' in $.relays");
          }
          List<String> rcpt = r.containsKey("rcptTo") ? addresses(r.get("rcptTo"), path + ".rcptTo", true) : List.of();
          target = new Route.Relay(name, rcpt);
        } else {
          Boolean d = bool(r, "discard", path + ".discard", null);
          if (d != null && !d) {
            problem(path + ".discard", "write true, or use forward or relay");
          }
          target = new Route.Drop();
          if (r.containsKey("rcptTo")) {
            problem(path + ".rcptTo", "only for relay routes");
          }
        }
        if (pattern != null) {
          out.add(new Route(pattern, target));
        }
      }
      return out;
    }

    PolicyConfig.Forward forward(Object v) {
      Map<String, Object> m = v == null ? Map.of() : object(v, "$.forward");
      if (m == null) {
        return null;
      }
      keys(m, "$.forward", "from", "fromName", "replyTo", "configurationSet");
      String from = string(m, "from", "$.forward.from", null);
      if (from != null && MailAddress.tryParse(from).isEmpty()) {
        problem("$.forward.from", "not an email address: '" + from + "'");
      }
      String name = string(m, "fromName", "$.forward.fromName", "{name} via {domain}");
      boolean replyTo = bool(m, "replyTo", "$.forward.replyTo", true);
      String set = string(m, "configurationSet", "$.forward.configurationSet", null);
      return new PolicyConfig.Forward(from, name, replyTo, set);
    }

    PolicyConfig.Bounce bounce(Object v) {
      Map<String, Object> m = v == null ? Map.of() : object(v, "$.bounce");
      if (m == null) {
        return null;
      }
      keys(m, "$.bounce", "sender", "explanation");
      String sender = string(m, "sender", "$.bounce.sender", null);
      if (sender != null && MailAddress.tryParse(sender).isEmpty()) {
        problem("$.bounce.sender", "not an email address: '" + sender + "'");
      }
      String explanation = string(m, "explanation", "$.bounce.explanation",
          "The message was refused by the recipient's mail gateway.");
      return new PolicyConfig.Bounce(sender, explanation);
    }

    PolicyConfig.ArcSealing arcSealing(Object v) {
      Map<String, Object> m = v == null ? Map.of() : object(v, "$.arc");
      if (m == null) {
        return null;
      }
      keys(m, "$.arc", "seal", "domain", "selector", "privateKey");
      if (!bool(m, "seal", "$.arc.seal", false)) {
        return PolicyConfig.ArcSealing.OFF;
      }
      String domain = string(m, "domain", "$.arc.domain", null);
      String selector = string(m, "selector", "$.arc.selector", null);
      String key = string(m, "privateKey", "$.arc.privateKey", null);
      String norm = domain == null ? null : MailAddress.normalizeDomain(domain).orElse(null);
      if (domain == null) {
        problem("$.arc.domain", "required when $.arc.seal is true: the d= of our ARC signatures");
      } else if (norm == null || norm.startsWith("[")) {
        problem("$.arc.domain", "not a domain name: '" + domain + "'");
      }
      if (selector == null || !selector.matches("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
        problem("$.arc.selector", "required when $.arc.seal is true: a selector such as arc2026 (letters, digits, '-', '.')");
      }
      if (key == null || !(key.startsWith("file:") || key.contains("-----BEGIN PRIVATE KEY-----"))) {
        problem("$.arc.privateKey", "required when $.arc.seal is true: PKCS#8 PEM text or file:PATH");
      }
      return new PolicyConfig.ArcSealing(norm, selector == null ? null : selector.toLowerCase(java.util.Locale.ROOT), key);
    }

    List<Rule> rules(Object v) {
      List<Rule> out = new ArrayList<>();
      if (v == null) {
        return out;
      }
      List<Object> list = array(v, "$.rules");
      Set<String> names = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        String path = "$.rules[" + i + "]";
        Map<String, Object> r = object(list.get(i), path);
        if (r == null) {
          out.add(null);
          continue;
        }
        keys(r, path, "name", "when", "action");
        String name = string(r, "name", path + ".name", "rules[" + i + "]");
        if (name != null && !names.add(name)) {
          problem(path + ".name", "another rule is called '" + name + "'");
        }
        String actionWord = string(r, "action", path + ".action", null);
        Action action = null;
        if (actionWord == null) {
          problem(path + ".action", "required: one of deliver, tag, quarantine, discard, bounce");
        } else {
          action = Action.fromWord(actionWord.toLowerCase(Locale.ROOT), RULE_ACTIONS);
          if (action == null) {
            problem(path + ".action", "must be deliver, tag, quarantine, discard or bounce, not '" + actionWord + "'");
          }
        }
        Map<String, Object> when = r.containsKey("when") ? object(r.get("when"), path + ".when") : null;
        if (!r.containsKey("when")) {
          problem(path + ".when", "required (write {} to match every message)");
        }
        Map<AuthSummary.Method, Set<AuthStatus>> auth = new EnumMap<>(AuthSummary.Method.class);
        Set<Disposition> dispositions = EnumSet.noneOf(Disposition.class);
        Set<SesVerdict> spam = EnumSet.noneOf(SesVerdict.class);
        Set<SesVerdict> virus = EnumSet.noneOf(SesVerdict.class);
        if (when != null) {
          String wp = path + ".when";
          keys(when, wp, "spf", "dkim", "dmarc", "arc", "dmarcDisposition", "spam", "virus");
          for (AuthSummary.Method method : AuthSummary.Method.values()) {
            if (when.containsKey(method.word())) {
              Set<AuthStatus> words = authWords(when.get(method.word()), wp + "." + method.word());
              auth.put(method, words);
              if (action != null && action.isPermanent() && words.contains(AuthStatus.TEMPERROR)) {
                problem(wp + "." + method.word(), "a " + action.word()
                    + " rule must not match temperror: a temporary error never leads to a permanent action");
              }
            }
          }
          if (when.containsKey("dmarcDisposition")) {
            List<String> words = stringList(when.get("dmarcDisposition"), wp + ".dmarcDisposition", true);
            for (int j = 0; j < words.size(); j++) {
              Disposition d = disposition(words.get(j));
              if (d == null) {
                problem(wp + ".dmarcDisposition[" + j + "]", "must be none, quarantine or reject, not '" + words.get(j) + "'");
              } else {
                dispositions.add(d);
              }
            }
          }
          spam = sesWords(when.get("spam"), wp + ".spam");
          virus = sesWords(when.get("virus"), wp + ".virus");
        }
        if (name != null && action != null && when != null) {
          out.add(new Rule(name, auth, dispositions, spam, virus, action));
        } else {
          out.add(null);
        }
      }
      return out;
    }

    Set<AuthStatus> authWords(Object v, String path) {
      Set<AuthStatus> out = EnumSet.noneOf(AuthStatus.class);
      List<String> words = stringList(v, path, true);
      for (int j = 0; j < words.size(); j++) {
        try {
          out.add(AuthStatus.fromWord(words.get(j)));
        } catch (IllegalArgumentException e) {
          problem(path + "[" + j + "]", "not an RFC 8601 result word (pass, fail, softfail, neutral, none, policy,"
              + " temperror, permerror): '" + words.get(j) + "'");
        }
      }
      return out;
    }

    Set<SesVerdict> sesWords(Object v, String path) {
      Set<SesVerdict> out = EnumSet.noneOf(SesVerdict.class);
      if (v == null) {
        return out;
      }
      List<String> words = stringList(v, path, true);
      for (int j = 0; j < words.size(); j++) {
        SesVerdict s = SesVerdict.fromStatus(words.get(j));
        if (s == SesVerdict.ABSENT && !words.get(j).equalsIgnoreCase("absent")) {
          problem(path + "[" + j + "]", "must be pass, fail, gray, processing_failed, disabled or absent, not '"
              + words.get(j) + "'");
        } else {
          out.add(s);
        }
      }
      return out;
    }

    PolicyConfig.Defaults defaults(Object v) {
      Map<String, Object> m = v == null ? Map.of() : object(v, "$.defaults");
      if (m == null) {
        return null;
      }
      String p = "$.defaults";
      keys(m, p, "virus", "temperror", "temperrorRetry", "dmarcReject", "dmarcQuarantine", "spam", "noRoute");
      Action virus = action(m, "virus", p, Action.QUARANTINE, EnumSet.of(Action.QUARANTINE, Action.DISCARD));
      Action temperror = action(m, "temperror", p, Action.TAG, EnumSet.of(Action.QUARANTINE, Action.TAG, Action.DELIVER));
      boolean retry = bool(m, "temperrorRetry", p + ".temperrorRetry", true);
      Action reject = action(m, "dmarcReject", p, Action.QUARANTINE,
          EnumSet.of(Action.DISCARD, Action.QUARANTINE, Action.BOUNCE));
      Action quarantine = action(m, "dmarcQuarantine", p, Action.TAG, EnumSet.of(Action.QUARANTINE, Action.TAG));
      Action spam = action(m, "spam", p, Action.TAG,
          EnumSet.of(Action.DELIVER, Action.TAG, Action.QUARANTINE, Action.DISCARD));
      Action noRoute = action(m, "noRoute", p, Action.DISCARD, EnumSet.of(Action.DISCARD, Action.BOUNCE));
      return new PolicyConfig.Defaults(virus, temperror, retry, reject, quarantine, spam, noRoute);
    }

    Action action(Map<String, Object> m, String key, String parent, Action dflt, Set<Action> allowed) {
      String word = string(m, key, parent + "." + key, dflt.word());
      if (word == null) {
        return dflt;
      }
      Action a = Action.fromWord(word.toLowerCase(Locale.ROOT), allowed);
      if (a == null) {
        List<String> names = new ArrayList<>();
        for (Action x : allowed) {
          names.add(x.word());
        }
        String why = key.equals("temperror") && (word.equals("discard") || word.equals("bounce"))
            ? " (a temporary error never leads to a permanent action)" : "";
        problem(parent + "." + key, "must be " + String.join(", ", names) + ", not '" + word + "'" + why);
        return dflt;
      }
      return a;
    }

    PolicyConfig.Tag tag(Object v) {
      Map<String, Object> m = v == null ? Map.of() : object(v, "$.tag");
      if (m == null) {
        return null;
      }
      keys(m, "$.tag", "subjectPrefix");
      String prefix = string(m, "subjectPrefix", "$.tag.subjectPrefix", "");
      if (prefix != null && (prefix.indexOf('\r') >= 0 || prefix.indexOf('\n') >= 0 || prefix.length() > 64)) {
        problem("$.tag.subjectPrefix", "at most 64 characters, no line breaks");
      }
      return new PolicyConfig.Tag(prefix == null ? "" : prefix);
    }

    PolicyConfig.Quarantine quarantine(Object v) {
      Map<String, Object> m = v == null ? Map.of() : object(v, "$.quarantine");
      if (m == null) {
        return null;
      }
      keys(m, "$.quarantine", "prefix", "deleteOriginal");
      String prefix = string(m, "prefix", "$.quarantine.prefix", "quarantine/");
      if (prefix != null && (prefix.isEmpty() || prefix.startsWith("/") || prefix.contains(".."))) {
        problem("$.quarantine.prefix", "must be a non-empty key prefix without a leading '/' or '..'");
      }
      boolean delete = bool(m, "deleteOriginal", "$.quarantine.deleteOriginal", false);
      return new PolicyConfig.Quarantine(prefix, delete);
    }

    PolicyConfig.Discard discard(Object v) {
      Map<String, Object> m = v == null ? Map.of() : object(v, "$.discard");
      if (m == null) {
        return null;
      }
      keys(m, "$.discard", "deleteObject");
      return new PolicyConfig.Discard(bool(m, "deleteObject", "$.discard.deleteObject", false));
    }

    PolicyConfig.Loop loop(Object v) {
      Map<String, Object> m = v == null ? Map.of() : object(v, "$.loop");
      if (m == null) {
        return null;
      }
      keys(m, "$.loop", "maxReceived");
      return new PolicyConfig.Loop(integer(m, "maxReceived", "$.loop.maxReceived", 50, 5, 500));
    }

    PolicyConfig.Sync sync(Object v) {
      Map<String, Object> m = v == null ? Map.of() : object(v, "$.sync");
      if (m == null) {
        return null;
      }
      keys(m, "$.sync", "deliver", "tag", "quarantine", "discard", "bounce", "error");
      Map<Action, SyncDisposition> by = new EnumMap<>(Action.class);
      by.put(Action.DELIVER, syncWord(m, "deliver", SyncDisposition.CONTINUE));
      by.put(Action.TAG, syncWord(m, "tag", SyncDisposition.CONTINUE));
      by.put(Action.QUARANTINE, syncWord(m, "quarantine", SyncDisposition.STOP_RULE_SET));
      by.put(Action.DISCARD, syncWord(m, "discard", SyncDisposition.STOP_RULE_SET));
      by.put(Action.BOUNCE, syncWord(m, "bounce", SyncDisposition.STOP_RULE_SET));
      SyncDisposition onError = syncWord(m, "error", SyncDisposition.CONTINUE);
      return new PolicyConfig.Sync(by, onError);
    }

    SyncDisposition syncWord(Map<String, Object> m, String key, SyncDisposition dflt) {
      String word = string(m, key, "$.sync." + key, dflt.name());
      SyncDisposition d = word == null ? dflt : SyncDisposition.fromWord(word);
      if (d == null) {
        problem("$.sync." + key, "must be CONTINUE, STOP_RULE or STOP_RULE_SET, not '" + word + "'");
        return dflt;
      }
      return d;
    }

    // ---- generic readers ---------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    Map<String, Object> object(Object v, String path) {
      if (v instanceof Map) {
        return (Map<String, Object>) v;
      }
      problem(path, "must be an object, not " + type(v));
      return null;
    }

    @SuppressWarnings("unchecked")
    List<Object> array(Object v, String path) {
      if (v instanceof List) {
        return (List<Object>) v;
      }
      problem(path, "must be an array, not " + type(v));
      return List.of();
    }

    String string(Map<String, Object> m, String key, String path, String dflt) {
      Object v = m.get(key);
      if (v == null) {
        if (m.containsKey(key)) {
          problem(path, "must be a string, not null");
        }
        return dflt;
      }
      if (v instanceof String) {
        return (String) v;
      }
      problem(path, "must be a string, not " + type(v));
      return dflt;
    }

    Boolean bool(Map<String, Object> m, String key, String path, Boolean dflt) {
      Object v = m.get(key);
      if (v == null) {
        if (m.containsKey(key)) {
          problem(path, "must be true or false, not null");
        }
        return dflt;
      }
      if (v instanceof Boolean) {
        return (Boolean) v;
      }
      problem(path, "must be true or false, not " + type(v));
      return dflt;
    }

    int integer(Map<String, Object> m, String key, String path, int dflt, int min, int max) {
      Object v = m.get(key);
      if (v == null) {
        if (m.containsKey(key)) {
          problem(path, "must be a number, not null");
        }
        return dflt;
      }
      if (v instanceof Integer || v instanceof Long) {
        long n = ((Number) v).longValue();
        if (n < min || n > max) {
          problem(path, "must be between " + min + " and " + max + ", not " + n);
          return dflt;
        }
        return (int) n;
      }
      problem(path, "must be a whole number, not " + type(v));
      return dflt;
    }

    /** A string or an array of strings (a single string stands for a one-element list). */
    List<String> stringList(Object v, String path, boolean nonEmpty) {
      List<String> out = new ArrayList<>();
      if (v == null) {
        problem(path, "required");
        return out;
      }
      if (v instanceof String) {
        out.add((String) v);
        return out;
      }
      if (!(v instanceof List)) {
        problem(path, "must be a string or an array of strings, not " + type(v));
        return out;
      }
      List<?> list = (List<?>) v;
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) instanceof String) {
          out.add((String) list.get(i));
        } else {
          problem(path + "[" + i + "]", "must be a string, not " + type(list.get(i)));
        }
      }
      if (nonEmpty && list.isEmpty()) {
        problem(path, "must not be empty");
      }
      return out;
    }

    List<String> addresses(Object v, String path, boolean nonEmpty) {
      List<String> raw = stringList(v, path, nonEmpty);
      Set<String> out = new LinkedHashSet<>();
      for (int i = 0; i < raw.size(); i++) {
        MailAddress a = MailAddress.tryParse(raw.get(i)).orElse(null);
        if (a == null || a.isAddressLiteral()) {
          problem((v instanceof String) ? path : path + "[" + i + "]", "not an email address: '" + raw.get(i) + "'");
        } else {
          out.add(a.toString());
        }
      }
      return new ArrayList<>(out);
    }

    /** Reports keys not in {@code known}; keys starting with "_" are comments. */
    void keys(Map<String, Object> m, String path, String... known) {
      Set<String> k = Set.of(known);
      for (String key : m.keySet()) {
        if (key.startsWith("_") || k.contains(key)) {
          continue;
        }
        String near = nearest(key, known);
        problem(path + "." + key, "unknown setting" + (near == null ? "" : " (did you mean '" + near + "'?)"));
      }
    }

    static String nearest(String key, String[] known) {
      String best = null;
      int bestDistance = 3;
      for (String k : known) {
        int d = distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
        if (d < bestDistance) {
          bestDistance = d;
          best = k;
        }
      }
      return best;
    }

    /** Levenshtein distance; keys are short. */
    static int distance(String a, String b) {
      int[] prev = new int[b.length() + 1];
      int[] cur = new int[b.length() + 1];
      for (int j = 0; j <= b.length(); j++) {
        prev[j] = j;
      }
      for (int i = 1; i <= a.length(); i++) {
        cur[0] = i;
        for (int j = 1; j <= b.length(); j++) {
          int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
          cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        }
        int[] t = prev;
        prev = cur;
        cur = t;
      }
      return prev[b.length()];
    }

    static String type(Object v) {
      if (v == null) {
        return "null";
      }
      if (v instanceof String) {
        return "a string";
      }
      if (v instanceof Boolean) {
        return "a boolean";
      }
      if (v instanceof Number) {
        return "a number";
      }
      if (v instanceof List) {
        return "an array";
      }
      if (v instanceof Map) {
        return "an object";
      }
      return v.getClass().getSimpleName();
    }

    static Disposition disposition(String word) {
      for (Disposition d : Disposition.values()) {
        if (d.word().equalsIgnoreCase(word)) {
          return d;
        }
      }
      return null;
    }

    /** An authserv-id we write must be a plain token (RFC 8601 2.2 allows a quoted value; we keep it simple). */
    static boolean isAuthservId(String s) {
      return TOKEN.matcher(s).matches();
    }
  }
}
