package dev.mailgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder standing in for the bucket, alone and with an overlay. */
class LocalFolderStoreTest {
  @TempDir Path base;
  @TempDir Path overlay;
  private final Instant deadline = Instant.now().plusSeconds(30);

  private MessageRef ref(String key) {
    return new MessageRef("b", key, key);
  }

  @Test
  void anOverlayReadsTheBucketFolderAndWritesOnlyToItself() throws Exception {
    Files.createDirectories(base.resolve("in"));
    Files.writeString(base.resolve("in/m1"), "From: a@b.example\r\n\r\nx");
    LocalFolderStore s = LocalFolderStore.withOverlay(base, overlay);
    assertThat(new String(s.fetch(ref("in/m1"), 1000, deadline), StandardCharsets.UTF_8)).startsWith("From:");
    s.putTags(ref("in/m1"), Map.of("mailgate-state", "delivered"), deadline);
    s.copy(ref("in/m1"), "quarantine/m1", Map.of("k", "v"), deadline);
    s.delete(ref("in/m1"), deadline);
    assertThat(s.read(ref("in/m1"), deadline)).isEmpty();
    assertThat(s.read(ref("quarantine/m1"), deadline)).isPresent();
    assertThat(s.tags(ref("quarantine/m1"), deadline)).containsEntry("k", "v");
    // The bucket folder is untouched.
    try (var files = Files.walk(base)) {
      assertThat(files.filter(Files::isRegularFile)).containsExactly(base.resolve("in/m1"));
    }
  }

  @Test
  void createIfAbsentCreatesOnce() throws Exception {
    LocalFolderStore s = LocalFolderStore.of(base);
    assertThat(s.createIfAbsent(ref("state/m/x"), new byte[] {1}, deadline)).isTrue();
    assertThat(s.createIfAbsent(ref("state/m/x"), new byte[] {2}, deadline)).isFalse();
    assertThat(s.read(ref("state/m/x"), deadline)).hasValueSatisfying(b -> assertThat(b).containsExactly(1));
  }

  @Test
  void anOverlayDoesNotCreateWhatTheBucketFolderHas() throws Exception {
    Files.writeString(base.resolve("m"), "x");
    assertThat(LocalFolderStore.withOverlay(base, overlay).createIfAbsent(ref("m"), new byte[0], deadline)).isFalse();
  }

  @Test
  void aTooLargeObjectIsRefusedUnread() throws Exception {
    Files.write(base.resolve("big"), new byte[2048]);
    assertThatThrownBy(() -> LocalFolderStore.of(base).fetch(ref("big"), 1024, deadline))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.TOO_LARGE));
  }

  @Test
  void aMissingObjectIsNotFound() {
    assertThatThrownBy(() -> LocalFolderStore.of(base).tags(ref("nope"), deadline))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND));
  }

  @Test
  void keysCannotLeaveTheFolder() {
    for (String key : new String[] {"../x", "a/../../x", "/etc/passwd", "a\\b", ".mailgate-local/tags/x"}) {
      assertThatThrownBy(() -> LocalFolderStore.of(base).fetch(ref(key), 10, deadline)).as(key)
          .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.PERMANENT));
    }
  }

  @Test
  void aListingIsInKeyOrderPagedAndShowsTheOverlaysView() throws Exception {
    Instant later = Instant.now().plusSeconds(10);
    Files.createDirectories(base.resolve("in"));
    for (String k : new String[] {"in/c", "in/a", "in/b", "other/x"}) {
      Files.createDirectories(base.resolve(k).getParent());
      Files.writeString(base.resolve(k), k);
    }
    LocalFolderStore store = LocalFolderStore.withOverlay(base, overlay);
    MessageRef b = new MessageRef("bucket", "in/b", "b");
    store.putTags(b, Map.of("k", "v"), later); // metadata, not an object
    store.delete(b, later); // a tombstone hides the bucket folder's file
    store.put(b.sibling("in/d"), "d".getBytes(StandardCharsets.US_ASCII), later); // written to the overlay
    Files.writeString(overlay.resolve("in/.tmp-1.part"), "half"); // a write in progress
    StoredObject.Page first = store.list("bucket", "in/", null, 2, later);
    assertThat(first.objects()).extracting(StoredObject::key).containsExactly("in/a", "in/c");
    assertThat(first.truncated()).isTrue();
    StoredObject.Page rest = store.list("bucket", "in/", "in/c", 2, later);
    assertThat(rest.objects()).extracting(StoredObject::key).containsExactly("in/d");
    assertThat(rest.truncated()).isFalse();
    assertThat(rest.objects().get(0).size()).isEqualTo(1);
    assertThat(store.list("bucket", "", null, 100, later).objects()).extracting(StoredObject::key)
        .containsExactly("in/a", "in/c", "in/d", "other/x");
    assertThat(store.list("bucket", "nothing/", null, 100, later).objects()).isEmpty();
  }

  @Test
  void keysAreOrderedAsS3OrdersThemByUtf8Bytes() {
    // U+FF21 (3 UTF-8 bytes, EF BC A1) sorts before U+1F600 (4 bytes, F0 9F 98 80) in S3, after it in UTF-16.
    assertThat(LocalFolderStore.compareKeys("\uFF21", "\uD83D\uDE00")).isNegative();
    assertThat("\uFF21".compareTo("\uD83D\uDE00")).isPositive();
  }
}
