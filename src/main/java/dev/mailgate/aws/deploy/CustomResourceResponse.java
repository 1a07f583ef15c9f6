package dev.mailgate.aws.deploy;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer CloudFormation waits for ("Custom resource response objects"). Immutable.
 *
 * @param status SUCCESS or FAILED
 * @param reason why, shown in the stack's events (required for FAILED)
 * @param physicalResourceId the resource's ID; a different one on Update makes CloudFormation delete the old
 * @param request the request answered (its stack, request and logical IDs are echoed)
 */
public record CustomResourceResponse(Status status, String reason, String physicalResourceId,
    CustomResourceRequest request) {

  /** The two outcomes CloudFormation knows. */
  public enum Status { SUCCESS, FAILED }

  /** CloudFormation refuses a response body over 4096 bytes; a long reason is cut to stay well below. */
  static final int MAX_REASON = 1000;

  public static CustomResourceResponse success(CustomResourceRequest request, String physicalResourceId, String reason) {
    return new CustomResourceResponse(Status.SUCCESS, reason, physicalResourceId, request);
  }

  public static CustomResourceResponse failed(CustomResourceRequest request, String physicalResourceId, String reason) {
    return new CustomResourceResponse(Status.FAILED, reason, physicalResourceId, request);
  }

  /** The fields as CloudFormation reads them. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Status", status.name());
    String r = reason == null ? "" : reason;
    m.put("Reason", r.length() > MAX_REASON ? r.substring(0, MAX_REASON) + "..." : r);
    m.put("PhysicalResourceId", physicalResourceId);
    m.put("StackId", request.stackId());
    m.put("RequestId", request.requestId());
    m.put("LogicalResourceId", request.logicalResourceId());
    m.put("NoEcho", false);
    m.put("Data", Map.of());
    return m;
  }

  /** The JSON body of the PUT to the ResponseURL. */
  public byte[] toJson() {
    try {
      return JSON.std.asBytes(toMap());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
