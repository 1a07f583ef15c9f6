package dev.mailgate.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads values out of an event as the Lambda runtime (Jackson) or jackson-jr hands it over: maps, lists,
 * strings, numbers and booleans. Every failure is a {@link MalformedEventException} naming the JSON path.
 */
final class EventJson {
  private EventJson() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object v, String path) {
    if (v instanceof Map) {
      return (Map<String, Object>) v;
    }
    throw new MalformedEventException(path + ": expected an object, found " + describe(v));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> optionalObject(Map<String, Object> m, String key, String path) {
    Object v = m.get(key);
    return v == null ? null : object(v, path + "." + key);
  }

  static List<Object> array(Object v, String path) {
    if (v instanceof List) {
      return new ArrayList<>((List<?>) v);
    }
    throw new MalformedEventException(path + ": expected an array, found " + describe(v));
  }

  /** A string member; null when absent. Numbers and booleans are accepted as their text. */
  static String string(Map<String, Object> m, String key, String path) {
    Object v = m.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    throw new MalformedEventException(path + "." + key + ": expected a string, found " + describe(v));
  }

  static String requiredString(Map<String, Object> m, String key, String path) {
    String s = string(m, key, path);
    if (s == null || s.isEmpty()) {
      throw new MalformedEventException(path + "." + key + ": missing");
    }
    return s;
  }

  /** A list of strings; a single string stands for a one-element list; absent is empty. */
  static List<String> strings(Map<String, Object> m, String key, String path) {
    Object v = m.get(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof String) {
      return List.of((String) v);
    }
    List<Object> list = array(v, path + "." + key);
    List<String> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (!(item instanceof String)) {
        throw new MalformedEventException(path + "." + key + "[" + i + "]: expected a string, found " + describe(item));
      }
      out.add((String) item);
    }
    return out;
  }

  /** A boolean member given as true/false or as the strings "true"/"false" (SES's docs call it a string). */
  static boolean bool(Map<String, Object> m, String key, String path) {
    Object v = m.get(key);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    if (v instanceof String && (((String) v).equalsIgnoreCase("true") || ((String) v).equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean((String) v);
    }
    throw new MalformedEventException(path + "." + key + ": expected true or false, found " + describe(v));
  }

  static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Map) {
      return "an object";
    }
    if (v instanceof List) {
      return "an array";
    }
    if (v instanceof String) {
      return "a string";
    }
    return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
