package dev.mailgate.deploy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The environment variables a template gives its functions, compared with those the code reads. */
final class EnvironmentCheck {
  private EnvironmentCheck() {}

  /** The literal variable names of a function's Environment.Variables. */
  @SuppressWarnings("unchecked")
  static Set<String> variables(Map<String, Object> template, String functionId) {
    Map<String, Object> res = (Map<String, Object>) ((Map<String, Object>) template.get("Resources")).get(functionId);
    Object props = res.get("Properties");
    Object env = props instanceof Map ? ((Map<String, Object>) props).get("Environment") : null;
    Object vars = env instanceof Map ? ((Map<String, Object>) env).get("Variables") : null;
    Set<String> out = vars instanceof Map ? new TreeSet<>(((Map<String, Object>) vars).keySet()) : new TreeSet<>();
    out.removeAll(JVM_VARIABLES);
    return out;
  }

  /** Read by the JVM itself, not by mailgate's code (the JitCompiler parameter and the RSA verifier's opening). */
  static final List<String> JVM_VARIABLES = List.of("JAVA_TOOL_OPTIONS");

  /**
   * @param functionId the function running the gateway code, which must be given every variable it reads
   * @param codeReads what the code reads (Config.ENVIRONMENT_VARIABLES)
   * @param reserved what Lambda sets itself (Config.RUNTIME_VARIABLES): a template may not set those
   */
  static List<String> problems(Map<String, Object> template, String functionId, Collection<String> codeReads,
      Collection<String> reserved) {
    return problems(template, functionId, codeReads, codeReads, reserved);
  }

  /**
   * @param functionReads what the function {@code functionId} reads: it must be given each of these
   * @param codeReads what any function's code reads: no function may be given anything else
   */
  @SuppressWarnings("unchecked")
  static List<String> problems(Map<String, Object> template, String functionId, Collection<String> functionReads,
      Collection<String> codeReads, Collection<String> reserved) {
    List<String> problems = new ArrayList<>();
    Set<String> given = variables(template, functionId);
    for (String v : functionReads) {
      if (!given.contains(v)) {
        problems.add(functionId + ": the code reads " + v + ", which the template does not set");
      }
    }
    Map<String, Object> resources = (Map<String, Object>) template.get("Resources");
    for (Map.Entry<String, Object> r : resources.entrySet()) {
      Object type = ((Map<String, Object>) r.getValue()).get("Type");
      if (!"AWS::Serverless::Function".equals(type) && !"AWS::Lambda::Function".equals(type)) {
        continue;
      }
      for (String v : variables(template, r.getKey())) {
        if (reserved.contains(v)) {
          problems.add(r.getKey() + ": sets " + v + ", which Lambda reserves and sets itself");
        } else if (!codeReads.contains(v)) {
          problems.add(r.getKey() + ": sets " + v + ", which the code does not read");
        }
      }
    }
    return problems;
  }
}
