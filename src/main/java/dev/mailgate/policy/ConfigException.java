package dev.mailgate.policy;

import java.util.List;

/**
 * A configuration that cannot be used. Each problem names the setting by its JSON path, e.g.
 * {@code $.routes[1].forward[0]: not an email address: 'bob@'}; all problems found are reported at once.
 */
public final class ConfigException extends Exception {
  private final List<String> problems;

  public ConfigException(String source, List<String> problems) {
    super(message(source, problems));
    this.problems = List.copyOf(problems);
  }

  /** The problems, one line each, starting with the JSON path of the bad setting. */
  public List<String> problems() {
    return problems;
  }

  private static String message(String source, List<String> problems) {
    StringBuilder sb = new StringBuilder();
    sb.append(source == null ? "configuration" : source).append(": ")
        .append(problems.size() == 1 ? "1 problem" : problems.size() + " problems");
    for (String p : problems) {
      sb.append(System.lineSeparator()).append("  ").append(p);
    }
    return sb.toString();
  }
}
