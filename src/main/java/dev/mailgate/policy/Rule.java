package dev.mailgate.policy;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dmarc.Disposition;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A configured rule: when every condition holds, the message gets the rule's action. Each condition is a
 * set of accepted words; a condition not given accepts anything. Immutable.
 *
 * @param name the rule's name, for logs and the verdict header
 * @param auth accepted result words per authentication method (spf, dkim, dmarc, arc)
 * @param dmarcDisposition accepted DMARC dispositions, empty for any
 * @param spam accepted SES spam verdicts, empty for any
 * @param virus accepted SES virus verdicts, empty for any
 * @param action what to do
 */
public record Rule(
    String name,
    Map<AuthSummary.Method, Set<AuthStatus>> auth,
    Set<Disposition> dmarcDisposition,
    Set<SesVerdict> spam,
    Set<SesVerdict> virus,
    Action action) {

  public Rule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(action, "action");
    auth = auth.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(auth));
    dmarcDisposition = Set.copyOf(dmarcDisposition);
    spam = Set.copyOf(spam);
    virus = Set.copyOf(virus);
  }

  /** Whether every condition holds for this message. */
  public boolean matches(AuthSummary a, SesVerdicts ses) {
    for (Map.Entry<AuthSummary.Method, Set<AuthStatus>> e : auth.entrySet()) {
      if (!e.getValue().contains(a.status(e.getKey()))) {
        return false;
      }
    }
    return (dmarcDisposition.isEmpty() || dmarcDisposition.contains(a.dmarcDisposition()))
        && (spam.isEmpty() || spam.contains(ses.spam()))
        && (virus.isEmpty() || virus.contains(ses.virus()));
  }

  /**
   * Whether the rule looks at authentication results at all (methods or DMARC disposition). A rule on
   * SES's spam and virus scans alone does not, so a DNS failure does not weaken it.
   */
  public boolean readsAuthentication() {
    return !auth.isEmpty() || !dmarcDisposition.isEmpty();
  }
}
