package dev.mailgate.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Records as files in a folder standing in for the bucket (the embedded default): the record of a
 * message is {@code ROOT/<prefix>dt=YYYY-MM-DD/<id>.jsonl}, written to a temporary file and moved into
 * place, so a reader never sees half a record. Thread-safe.
 */
public final class LocalRecordSink implements RecordSink {
  private final Path root;
  private final String prefix;

  /**
   * @param root the bucket folder (its writable root)
   * @param prefix the records prefix, "" or ending with "/", e.g. {@code records/}
   */
  public LocalRecordSink(Path root, String prefix) {
    this.root = root;
    this.prefix = prefix;
  }

  @Override
  public String prefix() {
    return prefix;
  }

  @Override
  public void write(MessageRecord r) throws IOException {
    Path file = root.resolve(RecordSink.key(prefix, r.date(), r.messageId()));
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".record-", ".tmp");
    try {
      byte[] line = (r.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
      Files.write(tmp, line);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
