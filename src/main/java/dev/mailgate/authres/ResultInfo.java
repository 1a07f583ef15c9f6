package dev.mailgate.authres;

import java.util.List;

/**
 * One {@code resinfo} of an Authentication-Results header (RFC 8601 section 2.2): a method, its result,
 * a human reason (written as a comment) and the properties that say what was evaluated.
 */
public record ResultInfo(String method, AuthStatus result, String reason, List<Property> properties) {

  public ResultInfo {
    properties = List.copyOf(properties);
  }

  /** A {@code propspec}: {@code ptype.property=value}, e.g. {@code smtp.mailfrom=example.com}. */
  public record Property(String ptype, String property, String value) {
    public String key() {
      return ptype + "." + property;
    }
  }
}
