package dev.mailgate.policy;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dmarc.Disposition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what happens to a message: a pure function of the configuration and the {@link PolicyInput}.
 * Immutable and thread-safe.
 *
 * <p>The verdict comes from the first of these that applies (docs/CONFIG.md, "How the action is chosen"):
 *
 * <ol>
 *   <li>a mail loop (our X-Mailgate-Loop field, or more Received fields than {@code loop.maxReceived}):
 *       quarantine;
 *   <li>the configured rules, first match wins;
 *   <li>SES's virus scan failed: {@code defaults.virus};
 *   <li>a temporary error in any check: retry (when {@code defaults.temperrorRetry} and attempts remain),
 *       else {@code defaults.temperror};
 *   <li>DMARC disposition reject: {@code defaults.dmarcReject};
 *   <li>DMARC disposition quarantine: {@code defaults.dmarcQuarantine};
 *   <li>SES's spam scan failed: {@code defaults.spam};
 *   <li>otherwise deliver.
 * </ol>
 *
 * <p>Two guards follow. A permanent action (discard, bounce) chosen by a rule that reads authentication
 * results is never taken while any check has a temporary error: the temperror action is taken instead.
 * A bounce goes only to an authenticated envelope sender (SPF pass for MAIL FROM, or DMARC pass), never to
 * the null sender; otherwise the message is discarded instead, since a bounce to a forged sender is
 * backscatter.
 *
 * <p>Deliver and tag then follow each recipient's route; recipients sharing a route share one delivery.
 */
public final class Policy {
  private final PolicyConfig config;
  private final RouteTable routes;

  private Policy(PolicyConfig config) {
    this.config = config;
    this.routes = new RouteTable(config.routes(), Set.copyOf(config.domains()), config.plusSeparator());
  }

  public static Policy of(PolicyConfig config) {
    return new Policy(Objects.requireNonNull(config, "config"));
  }

  public PolicyConfig config() {
    return config;
  }

  public RouteTable routes() {
    return routes;
  }

  /** Decides for one message. Never throws for any input. */
  public PolicyResult decide(PolicyInput in) {
    Verdict v = verdict(in);
    return new PolicyResult(v, decisions(v, in));
  }

  /** The action for the message as a whole, and why. */
  public Verdict verdict(PolicyInput in) {
    AuthSummary a = in.auth();
    SesVerdicts ses = in.ses();
    PolicyConfig.Defaults d = config.defaults();

    if (in.loopHeaderSeen()) {
      return new Verdict(Action.QUARANTINE, "loop", "mail loop: X-Mailgate-Loop names this deployment ("
          + config.deployment() + ")");
    }
    if (in.receivedCount() > config.loop().maxReceived()) {
      return new Verdict(Action.QUARANTINE, "loop", "mail loop: " + in.receivedCount()
          + " Received header fields (limit " + config.loop().maxReceived() + ")");
    }

    for (Rule rule : config.rules()) {
      if (rule.matches(a, ses)) {
        String reason = "rule '" + rule.name() + "' matched: " + facts(a, ses);
        if (rule.action().isPermanent() && rule.readsAuthentication() && a.hasTempError()) {
          // A temporary error might have changed what the rule saw: never decide permanently on it.
          return temperror(in, rule.name(), reason + "; " + rule.action().word()
              + " withheld because of a temporary error");
        }
        return bounceGuard(in, new Verdict(rule.action(), rule.name(), reason));
      }
    }

    if (ses.virus() == SesVerdict.FAIL) {
      return new Verdict(d.virus(), "virus", "SES virus scan: fail");
    }
    if (a.hasTempError()) {
      return temperror(in, "temperror", "temporary error: " + a.words());
    }
    if (a.dmarc() == AuthStatus.FAIL && a.dmarcDisposition() == Disposition.REJECT) {
      return bounceGuard(in, new Verdict(d.dmarcReject(), "dmarc-reject",
          "DMARC fail, domain policy reject (" + a.words() + ")"));
    }
    if (a.dmarc() == AuthStatus.FAIL && a.dmarcDisposition() == Disposition.QUARANTINE) {
      return new Verdict(d.dmarcQuarantine(), "dmarc-quarantine",
          "DMARC fail, domain policy quarantine (" + a.words() + ")");
    }
    if (ses.spam() == SesVerdict.FAIL) {
      return new Verdict(d.spam(), "spam", "SES spam scan: fail");
    }
    return new Verdict(Action.DELIVER, "clean", "no rule applies (" + a.words() + ")");
  }

  private Verdict temperror(PolicyInput in, String rule, String reason) {
    PolicyConfig.Defaults d = config.defaults();
    if (d.temperrorRetry() && in.retryPossible()) {
      return new Verdict(Action.RETRY, rule, reason + "; retrying");
    }
    return new Verdict(d.temperror(), rule, reason);
  }

  private Verdict bounceGuard(PolicyInput in, Verdict v) {
    if (v.action() != Action.BOUNCE) {
      return v;
    }
    String why = bounceRefusal(in);
    return why == null ? v : new Verdict(Action.DISCARD, v.rule(), v.reason() + "; bounce withheld: " + why);
  }

  /** Why no bounce may be sent for this message, or null when one may. */
  private String bounceRefusal(PolicyInput in) {
    if (!config.bounce().enabled()) {
      return "bounces are not configured";
    }
    if (in.mailFrom() == null) {
      return "envelope sender unknown";
    }
    if (in.mailFrom().isEmpty()) {
      return "null envelope sender (a bounce is never bounced, RFC 5321 section 6.1)";
    }
    if (!in.auth().mailFromAuthenticated() && in.auth().dmarc() != AuthStatus.PASS) {
      return "envelope sender not authenticated (no SPF pass for MAIL FROM, no DMARC pass): no backscatter";
    }
    return null;
  }

  private List<Decision> decisions(Verdict v, PolicyInput in) {
    List<String> rcpts = distinct(in.recipients());
    switch (v.action()) {
      case RETRY:
        return List.of(new Decision.Retry(v.reason()));
      case QUARANTINE:
        return List.of(new Decision.Quarantine(rcpts, v.reason()));
      case DISCARD:
        return List.of(new Decision.Discard(rcpts, v.reason()));
      case BOUNCE:
        return List.of(new Decision.Bounce(rcpts, Decision.BounceKind.CONTENT_REJECTED, v.reason()));
      default:
        return deliveries(v, in, rcpts);
    }
  }

  /** Deliver or tag: one decision per distinct route target, plus the unrouted recipients. */
  private List<Decision> deliveries(Verdict v, PolicyInput in, List<String> rcpts) {
    if (rcpts.isEmpty()) {
      return List.of(new Decision.Quarantine(rcpts, "no envelope recipient known: nothing to route"));
    }
    // Grouped by target, in order of first appearance, so recipients sharing a route get one copy.
    Map<Object, List<String>> groups = new LinkedHashMap<>();
    List<String> unrouted = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (String r : rcpts) {
      Optional<Route> route = routes.route(r);
      if (route.isEmpty()) {
        unrouted.add(r);
      } else if (route.get().target() instanceof Route.Drop) {
        dropped.add(r);
      } else {
        groups.computeIfAbsent(route.get().target(), k -> new ArrayList<>()).add(r);
      }
    }
    List<Decision> out = new ArrayList<>();
    for (Map.Entry<Object, List<String>> g : groups.entrySet()) {
      Decision.Delivery delivery;
      if (g.getKey() instanceof Route.Forward) {
        Route.Forward f = (Route.Forward) g.getKey();
        delivery = new Decision.Forward(g.getValue(), f.to(), v.reason());
      } else {
        Route.Relay r = (Route.Relay) g.getKey();
        delivery = new Decision.Relay(g.getValue(), r.relay(), r.rcptTo().isEmpty() ? g.getValue() : r.rcptTo(),
            v.reason());
      }
      out.add(v.action() == Action.TAG
          ? new Decision.Tag(delivery, config.tag().subjectPrefix(), v.reason())
          : delivery);
    }
    if (!dropped.isEmpty()) {
      out.add(new Decision.Discard(dropped, "route discards mail for this recipient"));
    }
    if (!unrouted.isEmpty()) {
      out.add(noRoute(in, unrouted));
    }
    return out;
  }

  private Decision noRoute(PolicyInput in, List<String> unrouted) {
    if (config.defaults().noRoute() == Action.BOUNCE) {
      String why = bounceRefusal(in);
      if (why == null) {
        return new Decision.Bounce(unrouted, Decision.BounceKind.DOES_NOT_EXIST, "no route for recipient");
      }
      return new Decision.Discard(unrouted, "no route for recipient; bounce withheld: " + why);
    }
    return new Decision.Discard(unrouted, "no route for recipient");
  }

  private static String facts(AuthSummary a, SesVerdicts ses) {
    return a.words() + " dmarc.disposition=" + a.dmarcDisposition().word() + " spam=" + ses.spam().word()
        + " virus=" + ses.virus().word();
  }

  /** Recipients without repeats (RCPT TO may repeat an address), compared case-insensitively. */
  private static List<String> distinct(List<String> rcpts) {
    Set<String> seen = new LinkedHashSet<>();
    List<String> out = new ArrayList<>(rcpts.size());
    for (String r : rcpts) {
      if (r != null && !r.isBlank() && seen.add(r.strip().toLowerCase(java.util.Locale.ROOT))) {
        out.add(r.strip());
      }
    }
    return out;
  }
}
