package dev.mailgate.gateway;

import java.time.Instant;

/**
 * How the gateway was invoked for a message. Immutable.
 *
 * @param synchronous whether SES waits for a disposition (RequestResponse)
 * @param receipt the SES event's data, or null (S3 event, local run on a bare object)
 * @param requestId the invocation's ID for logs (Lambda's request ID), or null
 * @param hardEnd when the invocation is killed at the latest (Lambda's timeout); a delivery claimed by
 *     this invocation and not confirmed is in doubt after it
 * @param trigger what started it, for logs: "ses", "s3" or "local"
 */
public record Invocation(boolean synchronous, SesReceipt receipt, String requestId, Instant hardEnd, String trigger) {

  /** An asynchronous invocation without event data (an S3 event, or a direct call). */
  public static Invocation async(Instant hardEnd) {
    return new Invocation(false, null, null, hardEnd, "s3");
  }
}
