package dev.mailgate.gateway;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A folder standing in for the S3 bucket in local runs: object {@code KEY} is the file {@code DIR/KEY}
 * (the bucket name is ignored), its tags are kept in {@code DIR/.mailgate-local/tags/KEY.json}.
 *
 * <p>With an overlay, the bucket folder is only read: everything written (tags, markers, quarantine
 * copies, deletions as tombstones) goes to the overlay folder, so sample data stays untouched and a run
 * can be repeated from the same start. Creating an object if absent is atomic (the file is created with
 * CREATE_NEW), like S3's conditional PutObject. Safe for concurrent use.
 */
public final class LocalFolderStore implements MessageStore {
  static final String META = ".mailgate-local";

  private final Path base;
  private final Path writable;

  private LocalFolderStore(Path base, Path writable) {
    this.base = base.toAbsolutePath().normalize();
    this.writable = writable.toAbsolutePath().normalize();
  }

  /** A store reading and writing {@code dir}. */
  public static LocalFolderStore of(Path dir) {
    return new LocalFolderStore(dir, dir);
  }

  /** A store reading {@code bucketDir} and writing only to {@code overlayDir}. */
  public static LocalFolderStore withOverlay(Path bucketDir, Path overlayDir) {
    return new LocalFolderStore(bucketDir, overlayDir);
  }

  /** The folder written to. */
  public Path writableRoot() {
    return writable;
  }

  @Override
  public byte[] fetch(MessageRef ref, long maxBytes, Instant deadline) throws StoreException {
    Path p = existing(ref.key()).orElseThrow(() -> new StoreException(StoreException.Kind.NOT_FOUND,
        "no object " + ref.key()));
    try {
      long size = Files.size(p);
      if (size > maxBytes) {
        throw new StoreException(StoreException.Kind.TOO_LARGE, "message too large: " + size + " bytes (limit "
            + maxBytes + ")");
      }
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new StoreException(StoreException.Kind.NOT_FOUND, "no object " + ref.key());
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.TRANSIENT, "cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, String> tags(MessageRef ref, Instant deadline) throws StoreException {
    if (existing(ref.key()).isEmpty()) {
      throw new StoreException(StoreException.Kind.NOT_FOUND, "no object " + ref.key());
    }
    Path t = tagFile(writable, ref.key());
    if (!Files.exists(t)) {
      t = tagFile(base, ref.key());
    }
    if (!Files.exists(t)) {
      return Map.of();
    }
    try {
      Map<String, Object> m = JSON.std.mapFrom(Files.readAllBytes(t));
      Map<String, String> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, String.valueOf(v)));
      return out;
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.TRANSIENT, "cannot read tags " + t + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void putTags(MessageRef ref, Map<String, String> tags, Instant deadline) throws StoreException {
    if (existing(ref.key()).isEmpty()) {
      throw new StoreException(StoreException.Kind.NOT_FOUND, "no object " + ref.key());
    }
    try {
      writeAtomically(tagFile(writable, ref.key()), JSON.std.asBytes(tags));
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.TRANSIENT, "cannot write tags: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<byte[]> read(MessageRef ref, Instant deadline) throws StoreException {
    Optional<Path> p = existing(ref.key());
    if (p.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readAllBytes(p.get()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.TRANSIENT, "cannot read " + p.get() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean createIfAbsent(MessageRef ref, byte[] content, Instant deadline) throws StoreException {
    if (existing(ref.key()).isPresent()) {
      return false;
    }
    Path p = path(writable, ref.key());
    try {
      mkdirs(p.getParent());
      dropTombstone(ref.key());
      // Written whole to a temporary file, then hard-linked into place: link(2) fails if the name exists,
      // so the create is atomic and no reader ever sees a half-written object (as with S3's If-None-Match).
      Path tmp = Files.createTempFile(p.getParent(), ".create-", ".tmp");
      try {
        Files.write(tmp, content);
        Files.createLink(p, tmp);
        return true;
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.TRANSIENT, "cannot create " + p + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void put(MessageRef ref, byte[] content, Instant deadline) throws StoreException {
    try {
      dropTombstone(ref.key());
      writeAtomically(path(writable, ref.key()), content);
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.TRANSIENT, "cannot write " + ref.key() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void copy(MessageRef from, String toKey, Map<String, String> tags, Instant deadline) throws StoreException {
    byte[] content = read(from, deadline).orElseThrow(() -> new StoreException(StoreException.Kind.NOT_FOUND,
        "no object " + from.key()));
    MessageRef to = from.sibling(toKey);
    put(to, content, deadline);
    putTags(to, tags, deadline);
  }

  @Override
  public void delete(MessageRef ref, Instant deadline) throws StoreException {
    try {
      Files.deleteIfExists(path(writable, ref.key()));
      Files.deleteIfExists(tagFile(writable, ref.key()));
      if (!base.equals(writable) && Files.exists(path(base, ref.key()))) {
        Path t = tombstone(ref.key());
        Files.createDirectories(t.getParent());
        Files.write(t, new byte[0]);
      }
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.TRANSIENT, "cannot delete " + ref.key() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Lists the folder like S3's ListObjectsV2: the files under the bucket folder and the overlay (an
   * overlay's file wins; a tombstone hides the bucket folder's), without mailgate's own metadata folder
   * and the temporary files of writes in progress. The modification time stands in for LastModified.
   */
  @Override
  public StoredObject.Page list(String bucket, String prefix, String startAfter, int maxKeys, Instant deadline)
      throws StoreException {
    java.util.TreeMap<String, StoredObject> found = new java.util.TreeMap<>(LocalFolderStore::compareKeys);
    String dirPart = prefix.substring(0, prefix.lastIndexOf('/') + 1);
    for (Path root : base.equals(writable) ? java.util.List.of(writable) : java.util.List.of(writable, base)) {
      Path start = dirPart.isEmpty() ? root : path(root, dirPart.substring(0, dirPart.length() - 1));
      if (!Files.isDirectory(start)) {
        continue;
      }
      try (java.util.stream.Stream<Path> files = Files.walk(start)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          String key = root.relativize(f).toString().replace(java.io.File.separatorChar, '/');
          String name = f.getFileName().toString();
          if (key.startsWith(META + "/") || key.equals(META) || !key.startsWith(prefix)
              || (name.startsWith(".tmp-") && name.endsWith(".part"))
              || (name.startsWith(".create-") && name.endsWith(".tmp"))
              || !Files.isRegularFile(f) || found.containsKey(key)
              || (root.equals(base) && !base.equals(writable) && Files.exists(tombstone(key)))
              || (startAfter != null && compareKeys(key, startAfter) <= 0)) {
            continue;
          }
          found.put(key, new StoredObject(key, Files.getLastModifiedTime(f).toInstant(), Files.size(f)));
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        throw new StoreException(StoreException.Kind.TRANSIENT, "cannot list " + start + ": " + e.getMessage(), e);
      }
    }
    java.util.List<StoredObject> page = new java.util.ArrayList<>();
    for (StoredObject o : found.values()) {
      if (page.size() == maxKeys) {
        return new StoredObject.Page(page, true);
      }
      page.add(o);
    }
    return new StoredObject.Page(page, false);
  }

  /** S3's key order: the keys' UTF-8 bytes compared unsigned. */
  static int compareKeys(String a, String b) {
    return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The file holding the object now, honouring the overlay and its tombstones. */
  private Optional<Path> existing(String key) throws StoreException {
    Path w = path(writable, key);
    if (Files.isRegularFile(w)) {
      return Optional.of(w);
    }
    if (base.equals(writable) || Files.exists(tombstone(key))) {
      return Optional.empty();
    }
    Path b = path(base, key);
    return Files.isRegularFile(b) ? Optional.of(b) : Optional.empty();
  }

  private Path tombstone(String key) throws StoreException {
    return path(writable.resolve(META).resolve("deleted"), key);
  }

  private Path tagFile(Path root, String key) throws StoreException {
    return path(root.resolve(META).resolve("tags"), key + ".json");
  }

  /** {@code root/key}, refusing keys that would leave the folder or reach our own metadata. */
  static Path path(Path root, String key) throws StoreException {
    if (key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.startsWith(META)) {
      throw new StoreException(StoreException.Kind.PERMANENT, "object key not usable in a local folder: '" + key + "'");
    }
    for (String seg : key.split("/", -1)) {
      if (seg.equals("..") || seg.equals(".")) {
        throw new StoreException(StoreException.Kind.PERMANENT, "object key not usable in a local folder: '" + key + "'");
      }
    }
    Path p = root.resolve(key).normalize();
    if (!p.startsWith(root)) {
      throw new StoreException(StoreException.Kind.PERMANENT, "object key leaves the folder: '" + key + "'");
    }
    return p;
  }

  /** Deletes a deletion mark (overlay only: without one nothing is ever marked). */
  private void dropTombstone(String key) throws IOException, StoreException {
    if (!base.equals(writable)) {
      Files.deleteIfExists(tombstone(key));
    }
  }

  /** Creates a folder and its parents unless it exists (createDirectories alone throws and catches when it does). */
  private static void mkdirs(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
    }
  }

  private static void writeAtomically(Path p, byte[] content) throws IOException {
    mkdirs(p.getParent());
    Path tmp = Files.createTempFile(p.getParent(), ".tmp-", ".part");
    try {
      Files.write(tmp, content);
      try {
        Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
