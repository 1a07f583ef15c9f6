package dev.mailgate.gateway;

import java.util.Objects;

/**
 * Where a received message is stored: a bucket, an object key, and SES's message ID (the key without the
 * receipt rule's prefix). Immutable.
 *
 * @param bucket the bucket name (a local store ignores it)
 * @param key the object key, e.g. {@code inbound/o3vrnil0e2ic28trm7dfhrc2v0cnbeccl4nbp0g1}
 * @param messageId SES's message ID
 */
public record MessageRef(String bucket, String key, String messageId) {
  public MessageRef {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(messageId, "messageId");
  }

  /** Another object in the same bucket. */
  public MessageRef sibling(String otherKey) {
    return new MessageRef(bucket, otherKey, messageId);
  }
}
