package dev.mailgate.aws.deploy;

import java.net.URI;
import java.util.Map;

/**
 * A CloudFormation custom resource request, as Lambda hands it to the handler (the fields CloudFormation
 * sends, documented in "Custom resource request objects"). Immutable.
 *
 * @param requestType Create, Update or Delete
 * @param responseUrl the pre-signed S3 URL the answer must be PUT to
 * @param stackId the stack's ARN, echoed in the answer
 * @param requestId this request's ID, echoed in the answer
 * @param logicalResourceId the resource's logical ID in the template, echoed in the answer
 * @param physicalResourceId the ID the handler answered on Create; null on Create
 * @param properties the resource's properties (ServiceToken included), as strings
 * @param oldProperties on Update, the properties before the update; empty otherwise
 */
public record CustomResourceRequest(
    String requestType,
    URI responseUrl,
    String stackId,
    String requestId,
    String logicalResourceId,
    String physicalResourceId,
    Map<String, String> properties,
    Map<String, String> oldProperties) {

  public CustomResourceRequest {
    properties = Map.copyOf(properties);
    oldProperties = Map.copyOf(oldProperties);
  }

  /**
   * Reads a request from the event map.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed; without a usable
   *     ResponseURL nobody can be told, so the caller can only log it
   */
  public static CustomResourceRequest fromMap(Map<String, Object> event) {
    if (event == null) {
      throw new IllegalArgumentException("no event");
    }
    String url = text(event, "ResponseURL", true);
    URI responseUrl;
    try {
      responseUrl = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ResponseURL: not a URL: " + url, e);
    }
    if (responseUrl.getScheme() == null || responseUrl.getHost() == null) {
      throw new IllegalArgumentException("ResponseURL: not an absolute URL: " + url);
    }
    return new CustomResourceRequest(
        text(event, "RequestType", true),
        responseUrl,
        text(event, "StackId", true),
        text(event, "RequestId", true),
        text(event, "LogicalResourceId", true),
        text(event, "PhysicalResourceId", false),
        strings(event.get("ResourceProperties"), "ResourceProperties"),
        strings(event.get("OldResourceProperties"), "OldResourceProperties"));
  }

  private static String text(Map<String, Object> m, String key, boolean required) {
    Object v = m.get(key);
    if (v == null || (v instanceof String && ((String) v).isEmpty())) {
      if (required) {
        throw new IllegalArgumentException(key + ": missing");
      }
      return null;
    }
    if (!(v instanceof String)) {
      throw new IllegalArgumentException(key + ": expected a string, found " + v.getClass().getSimpleName());
    }
    return (String) v;
  }

  /** CloudFormation passes property values as strings (numbers and booleans too); nested values are refused. */
  private static Map<String, String> strings(Object v, String what) {
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException(what + ": expected an object");
    }
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
      Object value = e.getValue();
      if (value instanceof String || value instanceof Number || value instanceof Boolean) {
        out.put(String.valueOf(e.getKey()), value.toString());
      } else if (value != null) {
        throw new IllegalArgumentException(what + "." + e.getKey() + ": expected a string");
      }
    }
    return out;
  }
}
