package dev.mailgate.dkim;

import java.security.MessageDigest;

/**
 * Canonicalizes a body and hashes it in one pass (RFC 6376 section 3.7, hash step 1), optionally
 * limited to the first {@code limit} canonical octets (the l= tag). Memory stays constant whatever the
 * body size: the canonicalizer feeds the digest in blocks. Not thread-safe; one instance per body.
 */
public final class BodyHasher {
  /** No l= limit. */
  public static final long NO_LIMIT = Long.MAX_VALUE;

  private final MessageDigest digest;
  private final long limit;
  private final BodyCanonicalizer canonicalizer;
  private long canonicalLength;
  private long hashedLength;

  /**
   * @param canonicalization the body canonicalization (the second half of c=)
   * @param digest a fresh digest of the signature's hash algorithm; this hasher owns it from now on
   * @param limit how many canonical octets to hash (l=), or {@link #NO_LIMIT}
   */
  public BodyHasher(Canonicalization canonicalization, MessageDigest digest, long limit) {
    this.digest = digest;
    this.limit = limit;
    this.canonicalizer = canonicalization.newBodyCanonicalizer(this::take);
  }

  /** Hashes the canonical form of {@code b[off, off+len)} as a whole body. */
  public static BodyHash hash(
      Canonicalization canonicalization, MessageDigest digest, long limit, byte[] b, int off, int len) {
    BodyHasher h = new BodyHasher(canonicalization, digest, limit);
    h.update(b, off, len);
    return h.finish();
  }

  /** Feeds more body bytes, as received. */
  public void update(byte[] b, int off, int len) {
    canonicalizer.update(b, off, len);
  }

  /** Ends the body and returns its hash; the hasher is used up. */
  public BodyHash finish() {
    canonicalizer.finish();
    return new BodyHash(digest.digest(), canonicalLength, hashedLength);
  }

  private void take(byte[] b, int off, int len) {
    canonicalLength += len;
    if (hashedLength < limit) {
      int n = (int) Math.min(len, limit - hashedLength);
      digest.update(b, off, n);
      hashedLength += n;
    }
  }
}
