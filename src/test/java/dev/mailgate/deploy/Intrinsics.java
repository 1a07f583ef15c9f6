package dev.mailgate.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers for template values in the long form: which maps are intrinsic functions, and Fn::Sub's variables. */
final class Intrinsics {
  private Intrinsics() {}

  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

  /** The function's name ("Ref", "Fn::If", "Condition", ...) when {@code v} is one, else null. */
  static String function(Object v) {
    if (v instanceof Map && ((Map<?, ?>) v).size() == 1) {
      Object key = ((Map<?, ?>) v).keySet().iterator().next();
      if (key instanceof String) {
        String k = (String) key;
        if (k.equals("Ref") || k.startsWith("Fn::") || k.equals("Condition")) {
          return k;
        }
      }
    }
    return null;
  }

  static Object argument(Object v) {
    return ((Map<?, ?>) v).values().iterator().next();
  }

  /** True for {@code {"Ref": "AWS::NoValue"}}, which removes the property or list element it stands for. */
  static boolean isNoValue(Object v) {
    return "Ref".equals(function(v)) && "AWS::NoValue".equals(argument(v));
  }

  /** The ${...} names in an Fn::Sub string, without the ${!literal} escapes. */
  static List<String> subVariables(String template) {
    List<String> out = new ArrayList<>();
    Matcher m = SUB_VARIABLE.matcher(template);
    while (m.find()) {
      String name = m.group(1).strip();
      if (!name.startsWith("!")) {
        out.add(name);
      }
    }
    return out;
  }

  /**
   * The values {@code v} may take as far as Fn::If goes: both branches of every Fn::If (recursively), with
   * AWS::NoValue branches dropped. Other values stand for themselves.
   */
  static List<Object> alternatives(Object v) {
    List<Object> out = new ArrayList<>();
    if ("Fn::If".equals(function(v)) && argument(v) instanceof List && ((List<?>) argument(v)).size() == 3) {
      List<?> args = (List<?>) argument(v);
      for (Object branch : args.subList(1, 3)) {
        if (!isNoValue(branch)) {
          out.addAll(alternatives(branch));
        }
      }
    } else {
      out.add(v);
    }
    return out;
  }

  /** The elements of a list value, each Fn::If element expanded to its branches and AWS::NoValue dropped. */
  static List<Object> elements(Object v) {
    List<Object> out = new ArrayList<>();
    for (Object alt : alternatives(v)) {
      if (alt instanceof List) {
        for (Object e : (List<?>) alt) {
          out.addAll(alternatives(e));
        }
      } else {
        out.add(alt);
      }
    }
    return out;
  }
}
