package dev.mailgate.gateway;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Where received messages and their state are kept: an S3 bucket in AWS, a folder on a laptop.
 * Implementations must be safe for concurrent use. Every operation finishes or fails by {@code deadline}
 * (a failure then is {@link StoreException.Kind#TRANSIENT}).
 */
public interface MessageStore {

  /**
   * Reads a whole object, refusing one larger than {@code maxBytes} without reading it
   * ({@link StoreException.Kind#TOO_LARGE}).
   */
  byte[] fetch(MessageRef ref, long maxBytes, Instant deadline) throws StoreException;

  /** The object's tags (S3 object tags: at most 10, keys and values in a restricted character set). */
  Map<String, String> tags(MessageRef ref, Instant deadline) throws StoreException;

  /** Replaces the object's tags with {@code tags}. */
  void putTags(MessageRef ref, Map<String, String> tags, Instant deadline) throws StoreException;

  /** A small object's content (a state marker), or empty when it does not exist. */
  Optional<byte[]> read(MessageRef ref, Instant deadline) throws StoreException;

  /**
   * Creates an object only if none exists at that key (S3: PutObject with {@code If-None-Match: *}).
   *
   * @return false when an object already existed (S3 answered 412 Precondition Failed)
   */
  boolean createIfAbsent(MessageRef ref, byte[] content, Instant deadline) throws StoreException;

  /** Writes an object, replacing any. */
  void put(MessageRef ref, byte[] content, Instant deadline) throws StoreException;

  /** Copies an object within the bucket, giving the copy these tags. */
  void copy(MessageRef from, String toKey, Map<String, String> tags, Instant deadline) throws StoreException;

  /** Deletes an object; deleting one that does not exist is no error. */
  void delete(MessageRef ref, Instant deadline) throws StoreException;

  /**
   * Lists the objects whose key starts with {@code prefix}, in key order (UTF-8 binary order, as S3's
   * ListObjectsV2), at most {@code maxKeys} of them, beginning after {@code startAfter} (null: from the
   * first). The sweep (docs/GATEWAY.md, "Sweep") is its only user; a store that cannot list keeps this
   * default, which fails with {@link StoreException.Kind#PERMANENT}.
   *
   * @param bucket the bucket (a local store ignores it)
   */
  default StoredObject.Page list(String bucket, String prefix, String startAfter, int maxKeys, Instant deadline)
      throws StoreException {
    throw new StoreException(StoreException.Kind.PERMANENT, getClass().getSimpleName() + " cannot list objects");
  }
}
