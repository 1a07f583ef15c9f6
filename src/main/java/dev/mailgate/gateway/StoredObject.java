package dev.mailgate.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One object as a listing shows it (S3 ListObjectsV2: key, LastModified, Size). Immutable.
 *
 * @param key the object key
 * @param lastModified when it was written (for a message: when SES stored it; tags do not change it)
 * @param size its size in bytes
 */
public record StoredObject(String key, Instant lastModified, long size) {
  public StoredObject {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(lastModified, "lastModified");
  }

  /**
   * One page of a listing, in key order.
   *
   * @param objects the objects of this page
   * @param truncated whether more objects follow (ask again with {@code startAfter} = the last key)
   */
  public record Page(List<StoredObject> objects, boolean truncated) {
    public Page {
      objects = List.copyOf(objects);
    }
  }
}
