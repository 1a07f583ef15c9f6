package dev.mailgate.gateway;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The object tags mailgate writes on a stored message. S3 allows 10 tags per object, keys up to 128 and
 * values up to 256 characters from letters, digits, white space and {@code + - = . _ : / @}; values are
 * cleaned to fit. Tags mailgate did not write are kept.
 */
public final class ObjectTags {
  public static final String STATE = "mailgate-state";
  public static final String ACTION = "mailgate-action";
  public static final String RULE = "mailgate-rule";
  public static final String AUTH = "mailgate-auth";
  public static final String ATTEMPTS = "mailgate-attempts";
  public static final String DETAIL = "mailgate-detail";

  static final int MAX_TAGS = 10;
  static final int MAX_VALUE = 256;

  private ObjectTags() {}

  /**
   * {@code existing} with ours set: ours first replace their old values; other tags are kept as long as
   * the total stays within S3's limit of 10 (ours take precedence: they are the message's state).
   */
  public static Map<String, String> merge(Map<String, String> existing, Map<String, String> ours) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : ours.entrySet()) {
      if (e.getValue() != null) {
        out.put(e.getKey(), clean(e.getValue()));
      }
    }
    for (Map.Entry<String, String> e : existing.entrySet()) {
      if (out.size() >= MAX_TAGS) {
        break;
      }
      if (!e.getKey().startsWith("mailgate-")) {
        out.putIfAbsent(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** A value S3 accepts: characters outside its set become spaces, at most 256 characters. */
  public static String clean(String v) {
    StringBuilder sb = new StringBuilder(Math.min(v.length(), MAX_VALUE));
    for (int i = 0; i < v.length() && sb.length() < MAX_VALUE; i++) {
      char c = v.charAt(i);
      boolean ok = Character.isLetterOrDigit(c) || c == ' ' || "+-=._:/@".indexOf(c) >= 0;
      sb.append(ok ? c : ' ');
    }
    return sb.toString().strip();
  }
}
