package dev.mailgate.deploy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Handler of each function names a class on the classpath with a method Lambda can call. */
final class HandlerCheck {
  private HandlerCheck() {}

  /** Function logical ID to its Handler ("class::method"). */
  @SuppressWarnings("unchecked")
  static Map<String, String> handlers(Map<String, Object> template) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> r : ((Map<String, Object>) template.get("Resources")).entrySet()) {
      Map<String, Object> res = (Map<String, Object>) r.getValue();
      if ("AWS::Serverless::Function".equals(res.get("Type")) && res.get("Properties") instanceof Map) {
        Object h = ((Map<String, Object>) res.get("Properties")).get("Handler");
        out.put(r.getKey(), h instanceof String ? (String) h : null);
      }
    }
    return out;
  }

  static List<String> problems(Map<String, Object> template) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : handlers(template).entrySet()) {
      String where = e.getKey() + ".Handler " + e.getValue();
      if (e.getValue() == null || !e.getValue().contains("::")) {
        problems.add(where + ": not CLASS::METHOD");
        continue;
      }
      String[] parts = e.getValue().split("::", 2);
      Class<?> c;
      try {
        c = Class.forName(parts[0], false, HandlerCheck.class.getClassLoader());
      } catch (ClassNotFoundException ex) {
        problems.add(where + ": no class " + parts[0] + " on the classpath");
        continue;
      }
      if (!Modifier.isPublic(c.getModifiers()) || Modifier.isAbstract(c.getModifiers())) {
        problems.add(where + ": the class must be public and concrete");
      }
      try {
        c.getConstructor();
      } catch (NoSuchMethodException ex) {
        problems.add(where + ": Lambda needs a public constructor without arguments");
      }
      if (!RequestHandler.class.isAssignableFrom(c) && !RequestStreamHandler.class.isAssignableFrom(c)) {
        problems.add(where + ": implements neither RequestHandler nor RequestStreamHandler");
      }
      boolean found = false;
      for (Method m : c.getMethods()) {
        if (m.getName().equals(parts[1]) && !m.isBridge() && !Modifier.isStatic(m.getModifiers())
            && m.getParameterCount() >= 1 && m.getParameterCount() <= 3
            && m.getParameterTypes()[m.getParameterCount() - 1] == Context.class) {
          found = true;
        }
      }
      if (!found) {
        problems.add(where + ": " + parts[0] + " has no public method " + parts[1] + "(..., Context)");
      }
    }
    return problems;
  }
}
