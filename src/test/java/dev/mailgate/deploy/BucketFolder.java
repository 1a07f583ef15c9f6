package dev.mailgate.deploy;

import dev.mailgate.gateway.LocalFolderStore;
import dev.mailgate.gateway.MessageRef;
import dev.mailgate.gateway.MessageStore;
import dev.mailgate.gateway.StoreException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One bucket, by name, mapped onto a local folder (read-only, with writes going to an overlay folder):
 * what {@code sam local invoke} would read from S3. A reference to any other bucket fails as S3 would.
 */
final class BucketFolder implements MessageStore {
  private final String bucket;
  private final LocalFolderStore folder;

  BucketFolder(String bucket, Path folder, Path overlay) {
    this.bucket = bucket;
    this.folder = LocalFolderStore.withOverlay(folder, overlay);
  }

  private void check(MessageRef ref) throws StoreException {
    if (!bucket.equals(ref.bucket())) {
      throw new StoreException(StoreException.Kind.PERMANENT, "NoSuchBucket: " + ref.bucket()
          + " (only " + bucket + " is mapped onto a folder)");
    }
  }

  @Override
  public byte[] fetch(MessageRef ref, long maxBytes, Instant deadline) throws StoreException {
    check(ref);
    return folder.fetch(ref, maxBytes, deadline);
  }

  @Override
  public Map<String, String> tags(MessageRef ref, Instant deadline) throws StoreException {
    check(ref);
    return folder.tags(ref, deadline);
  }

  @Override
  public void putTags(MessageRef ref, Map<String, String> tags, Instant deadline) throws StoreException {
    check(ref);
    folder.putTags(ref, tags, deadline);
  }

  @Override
  public Optional<byte[]> read(MessageRef ref, Instant deadline) throws StoreException {
    check(ref);
    return folder.read(ref, deadline);
  }

  @Override
  public boolean createIfAbsent(MessageRef ref, byte[] content, Instant deadline) throws StoreException {
    check(ref);
    return folder.createIfAbsent(ref, content, deadline);
  }

  @Override
  public void put(MessageRef ref, byte[] content, Instant deadline) throws StoreException {
    check(ref);
    folder.put(ref, content, deadline);
  }

  @Override
  public void copy(MessageRef from, String toKey, Map<String, String> tags, Instant deadline) throws StoreException {
    check(from);
    folder.copy(from, toKey, tags, deadline);
  }

  @Override
  public void delete(MessageRef ref, Instant deadline) throws StoreException {
    check(ref);
    folder.delete(ref, deadline);
  }
}
