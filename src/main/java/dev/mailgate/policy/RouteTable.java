package dev.mailgate.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the route for a recipient. Immutable and thread-safe.
 *
 * <p>Precedence, whatever the order routes were written in: the exact address; then, with
 * plus-addressing, the address without its tag ({@code bob+news@} falls back to {@code bob@}); then the
 * route for its domain; then the catch-all. Only recipients at one of our domains are routed: mail for
 * any other domain has no route, even with a catch-all (SES should not have accepted it).
 */
public final class RouteTable {
  private final Set<String> domains;
  private final String plusSeparator;
  private final Map<String, Route> exact = new HashMap<>();
  private final Map<String, Route> byDomain = new HashMap<>();
  private final Route catchAll;

  /**
   * @param routes the routes; for two routes with the same pattern the first wins (the parser rejects that)
   * @param domains our domains, lower-case A-labels
   * @param plusSeparator the character(s) separating a tag from the local-part, e.g. "+"; "" turns it off
   */
  public RouteTable(List<Route> routes, Set<String> domains, String plusSeparator) {
    this.domains = Set.copyOf(domains);
    this.plusSeparator = plusSeparator == null ? "" : plusSeparator;
    Route all = null;
    for (Route r : routes) {
      RecipientPattern p = r.match();
      switch (p.kind()) {
        case EXACT:
          exact.putIfAbsent(p.localPart() + "@" + p.domain(), r);
          break;
        case DOMAIN:
          byDomain.putIfAbsent(p.domain(), r);
          break;
        default:
          if (all == null) {
            all = r;
          }
      }
    }
    this.catchAll = all;
  }

  /** The route for {@code recipient}, if any. Never throws; a malformed address has no route. */
  public Optional<Route> route(String recipient) {
    Optional<String[]> parts = RecipientPattern.split(recipient);
    if (parts.isEmpty()) {
      return Optional.empty();
    }
    String local = parts.get()[0];
    String domain = parts.get()[1];
    if (!domains.contains(domain)) {
      return Optional.empty();
    }
    Route r = exact.get(local + "@" + domain);
    if (r == null && !plusSeparator.isEmpty()) {
      int tag = local.indexOf(plusSeparator);
      if (tag > 0) {
        r = exact.get(local.substring(0, tag) + "@" + domain);
      }
    }
    if (r == null) {
      r = byDomain.get(domain);
    }
    if (r == null) {
      r = catchAll;
    }
    return Optional.ofNullable(r);
  }

  /** Whether {@code domain} (lower-case A-labels) is one we receive for. */
  public boolean isOurDomain(String domain) {
    return domains.contains(domain);
  }
}
