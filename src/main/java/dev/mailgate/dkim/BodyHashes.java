package dev.mailgate.dkim;

import dev.mailgate.message.RawMessage;
import java.util.HashMap;
import java.util.Map;

/**
 * The body hashes of one message, computed once per (canonicalization, hash algorithm, l= limit) and
 * shared by every signature that agrees on them: the DKIM-Signatures and the ARC-Message-Signatures of a
 * message usually all hash the relaxed body with SHA-256, and hashing the body is most of the cost of a
 * check (RFC 6376 section 3.7). Not thread-safe: one instance per message, used by one thread.
 */
public final class BodyHashes {
  private final RawMessage message;
  private final Map<Key, BodyHash> hashes = new HashMap<>(4);

  public BodyHashes(RawMessage message) {
    this.message = message;
  }

  /** The message these hashes are of. */
  public RawMessage message() {
    return message;
  }

  /**
   * The hash of the body in {@code canonicalization} with {@code algorithm}'s hash, of the first {@code
   * length} canonical octets (l=), or of all of them when {@code length} is negative.
   */
  public BodyHash get(Canonicalization canonicalization, SignatureAlgorithm algorithm, long length) {
    long limit = length < 0 ? BodyHasher.NO_LIMIT : length;
    Key k = new Key(canonicalization, algorithm.hashTag(), limit);
    BodyHash h = hashes.get(k);
    if (h == null) {
      h = BodyHasher.hash(canonicalization, algorithm.newDigest(), limit, message.bytes(), message.bodyOffset(),
          message.bodyLength());
      hashes.put(k, h);
    }
    return h;
  }

  private record Key(Canonicalization canonicalization, String hash, long limit) {}
}
