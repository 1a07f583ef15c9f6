package dev.mailgate.deploy;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The CloudFormation resource specification (the subset in src/test/resources/aws): resource types, their
 * properties with types and {@code Required}, property types, and attributes. Checks a resource's
 * properties recursively. Intrinsic functions are accepted where a value is expected (their result is only
 * known at deploy time); both branches of an Fn::If are checked.
 */
final class CfnSpec {
  private final Map<String, Object> resourceTypes;
  private final Map<String, Object> propertyTypes;

  @SuppressWarnings("unchecked")
  private CfnSpec(Map<String, Object> spec) {
    this.resourceTypes = (Map<String, Object>) spec.get("ResourceTypes");
    this.propertyTypes = (Map<String, Object>) spec.get("PropertyTypes");
  }

  static CfnSpec load(Path file) throws IOException {
    return new CfnSpec(JSON.std.mapFrom(Files.readAllBytes(file)));
  }

  boolean hasResourceType(String type) {
    return resourceTypes.containsKey(type);
  }

  @SuppressWarnings("unchecked")
  Set<String> attributes(String type) {
    Map<String, Object> rt = (Map<String, Object>) resourceTypes.get(type);
    if (rt == null || rt.get("Attributes") == null) {
      return Set.of();
    }
    return new TreeSet<>(((Map<String, Object>) rt.get("Attributes")).keySet());
  }

  /** The spec of one property of a resource type, or null. */
  @SuppressWarnings("unchecked")
  Map<String, Object> property(String resourceType, String name) {
    Map<String, Object> rt = (Map<String, Object>) resourceTypes.get(resourceType);
    if (rt == null) {
      return null;
    }
    Map<String, Object> props = (Map<String, Object>) rt.get("Properties");
    return props == null ? null : (Map<String, Object>) props.get(name);
  }

  /** Checks a resource's Properties against its type. */
  @SuppressWarnings("unchecked")
  void checkResourceProperties(String resourceType, Object properties, String path, List<String> problems) {
    Map<String, Object> rt = (Map<String, Object>) resourceTypes.get(resourceType);
    checkObject(resourceType, (Map<String, Object>) rt.get("Properties"), properties, path, problems,
        "of " + resourceType);
  }

  /** Checks one value against a property spec ({@code PrimitiveType}, {@code Type}, {@code ItemType}, ...). */
  void checkValue(String resourceType, Map<String, Object> spec, Object value, String path, List<String> problems) {
    for (Object v : Intrinsics.alternatives(value)) {
      checkOne(resourceType, spec, v, path, problems);
    }
  }

  private void checkOne(String resourceType, Map<String, Object> spec, Object value, String path,
      List<String> problems) {
    if (Intrinsics.function(value) != null) {
      return; // a deploy-time value
    }
    String primitive = (String) spec.get("PrimitiveType");
    if (primitive != null) {
      checkPrimitive(primitive, value, path, problems);
      return;
    }
    String type = (String) spec.get("Type");
    if ("List".equals(type)) {
      if (!(value instanceof List)) {
        problems.add(path + ": expected a list, found " + describe(value));
        return;
      }
      int i = 0;
      for (Object item : (List<?>) value) {
        for (Object alt : Intrinsics.alternatives(item)) {
          checkItem(resourceType, spec, alt, path + "[" + i + "]", problems);
        }
        i++;
      }
    } else if ("Map".equals(type)) {
      if (!(value instanceof Map)) {
        problems.add(path + ": expected a map, found " + describe(value));
        return;
      }
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        for (Object alt : Intrinsics.alternatives(e.getValue())) {
          checkItem(resourceType, spec, alt, path + "." + e.getKey(), problems);
        }
      }
    } else if (type != null) {
      checkPropertyType(resourceType, type, value, path, problems);
    }
  }

  private void checkItem(String resourceType, Map<String, Object> spec, Object item, String path,
      List<String> problems) {
    if (Intrinsics.function(item) != null) {
      return;
    }
    String primitiveItem = (String) spec.get("PrimitiveItemType");
    if (primitiveItem != null) {
      checkPrimitive(primitiveItem, item, path, problems);
    } else if (spec.get("ItemType") != null) {
      checkPropertyType(resourceType, (String) spec.get("ItemType"), item, path, problems);
    }
  }

  @SuppressWarnings("unchecked")
  private void checkPropertyType(String resourceType, String typeName, Object value, String path,
      List<String> problems) {
    Map<String, Object> pt = (Map<String, Object>) propertyTypes.get(resourceType + "." + typeName);
    if (pt == null) {
      pt = (Map<String, Object>) propertyTypes.get(typeName);
    }
    if (pt == null) {
      problems.add(path + ": property type " + resourceType + "." + typeName + " is not in the specification");
      return;
    }
    if (pt.get("Properties") == null) {
      checkOne(resourceType, pt, value, path, problems); // a type that is a primitive or list itself
      return;
    }
    checkObject(resourceType, (Map<String, Object>) pt.get("Properties"), value, path, problems,
        "of " + resourceType + "." + typeName);
  }

  @SuppressWarnings("unchecked")
  private void checkObject(String resourceType, Map<String, Object> props, Object value, String path,
      List<String> problems, String of) {
    if (value == null) {
      value = Map.of();
    }
    if (!(value instanceof Map)) {
      problems.add(path + ": expected an object " + of + ", found " + describe(value));
      return;
    }
    Map<String, Object> given = (Map<String, Object>) value;
    for (Map.Entry<String, Object> e : given.entrySet()) {
      Map<String, Object> spec = props == null ? null : (Map<String, Object>) props.get(e.getKey());
      if (spec == null) {
        problems.add(path + "." + e.getKey() + ": unknown property " + of);
        continue;
      }
      checkValue(resourceType, spec, e.getValue(), path + "." + e.getKey(), problems);
    }
    if (props != null) {
      for (Map.Entry<String, Object> p : props.entrySet()) {
        Map<String, Object> spec = (Map<String, Object>) p.getValue();
        Object v = given.get(p.getKey());
        if (Boolean.TRUE.equals(spec.get("Required")) && (v == null || Intrinsics.isNoValue(v))) {
          problems.add(path + "." + p.getKey() + ": missing required property " + of);
        }
      }
    }
  }

  private static void checkPrimitive(String primitive, Object value, String path, List<String> problems) {
    boolean ok;
    switch (primitive) {
      case "String":
        ok = value instanceof String || value instanceof Number || value instanceof Boolean;
        break;
      case "Integer":
      case "Long":
        ok = value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger
            || (value instanceof String && ((String) value).matches("-?[0-9]+"));
        break;
      case "Double":
        ok = value instanceof Number || (value instanceof String && ((String) value).matches("-?[0-9]+(\\.[0-9]+)?"));
        break;
      case "Boolean":
        ok = value instanceof Boolean || "true".equals(value) || "false".equals(value);
        break;
      case "Json":
        ok = value instanceof Map || value instanceof String || value instanceof List;
        break;
      case "Timestamp":
        ok = value instanceof String || value instanceof java.util.Date;
        break;
      default:
        ok = true;
    }
    if (!ok) {
      problems.add(path + ": expected " + primitive + ", found " + describe(value));
    }
  }

  static String describe(Object v) {
    if (v == null) {
      return "nothing";
    }
    if (v instanceof Map) {
      return "an object";
    }
    if (v instanceof List) {
      return "a list";
    }
    return v.getClass().getSimpleName() + " '" + v + "'";
  }
}
