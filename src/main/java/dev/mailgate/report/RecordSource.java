package dev.mailgate.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads back the record lines of one day's partition (docs/RECORDS.md), one JSON line at a time, so that
 * a day of any size is streamed rather than held.
 */
public interface RecordSource {

  /**
   * Hands every line of every record object of {@code date} to {@code line}, in no particular order.
   * Blank lines are skipped. Throws on I/O failure (the caller cannot report a day it cannot read).
   */
  void forEachLine(LocalDate date, Consumer<String> line) throws IOException;

  /** The records under {@code root/<prefix>dt=DATE/}: every {@code .jsonl} file there. */
  static RecordSource folder(Path root, String prefix) {
    return (date, consumer) -> {
      Path dir = root.resolve(RecordSink.partition(prefix, date));
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
      } catch (NoSuchFileException e) {
        return; // no records that day
      }
      for (Path f : files) {
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
          String l;
          while ((l = r.readLine()) != null) {
            if (!l.isBlank()) {
              consumer.accept(l);
            }
          }
        } catch (NoSuchFileException e) {
          // Replaced or removed while listing: a retried message's record moves into place atomically.
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
      }
    };
  }
}
