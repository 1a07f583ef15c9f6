package dev.mailgate.authres;

import java.util.List;
import java.util.Optional;

/**
 * A parsed Authentication-Results header field (RFC 8601 section 2.2).
 *
 * @param authservId the authentication service identifier, as written (unquoted)
 * @param version the authres-version, 1 when absent (RFC 8601 section 2.2)
 * @param results the resinfo entries in order; empty for the "none" form
 * @param complete false when part of the field did not follow the grammar and was skipped
 */
public record AuthResults(String authservId, int version, List<Result> results, boolean complete) {

  public AuthResults {
    results = List.copyOf(results);
  }

  /** The first result for {@code method} (case-insensitive), if any. */
  public Optional<Result> first(String method) {
    return results.stream().filter(r -> r.method().equalsIgnoreCase(method)).findFirst();
  }

  /**
   * One resinfo: {@code method=result}, an optional {@code reason=}, the comment that followed the
   * result if any, and the properties in order.
   *
   * @param result the result keyword as written, lower-cased (not every method's results are ours)
   */
  public record Result(String method, String result, String reason, String comment, List<ResultInfo.Property> properties) {

    public Result {
      properties = List.copyOf(properties);
    }

    /** The value of {@code ptype.property} (case-insensitive), if present. */
    public Optional<String> property(String ptype, String property) {
      return properties.stream()
          .filter(p -> p.ptype().equalsIgnoreCase(ptype) && p.property().equalsIgnoreCase(property))
          .map(ResultInfo.Property::value)
          .findFirst();
    }

    /** The result as one of the RFC 8601 words we know, if it is one. */
    public Optional<AuthStatus> status() {
      try {
        return Optional.of(AuthStatus.fromWord(result));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }
}
