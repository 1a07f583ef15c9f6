package dev.mailgate.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Compares what a function's policies grant with what its code calls. */
final class FunctionPolicies {
  private FunctionPolicies() {}

  /** The actions the function's own policies allow (both branches of every Fn::If). */
  static Set<String> granted(Map<String, Object> template, String functionId) {
    Set<String> out = new TreeSet<>();
    for (PolicyStatements.Statement s : PolicyStatements.all(template, new ArrayList<>())) {
      if (s.owner().equals(functionId) && s.allows() && !s.notAction()) {
        out.addAll(s.actionNames());
      }
    }
    return out;
  }

  /**
   * What is wrong: an action the code needs that is not granted, or one granted that no call needs
   * ({@code alsoAllowed} are granted for other reasons, e.g. KMS for an SSE-KMS bucket).
   */
  static List<String> problems(Map<String, Object> template, String functionId, Set<String> needed,
      Set<String> alsoAllowed) {
    List<String> problems = new ArrayList<>();
    Set<String> granted = granted(template, functionId);
    for (String a : needed) {
      if (!granted.contains(a)) {
        problems.add(functionId + ": the code needs " + a + ", which its policies do not grant");
      }
    }
    for (String a : granted) {
      if (!needed.contains(a) && !alsoAllowed.contains(a)) {
        problems.add(functionId + ": its policies grant " + a + ", which no call in its code needs");
      }
    }
    return problems;
  }
}
