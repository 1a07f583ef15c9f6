package dev.mailgate.report;

import java.io.IOException;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where message records go (docs/RECORDS.md): one object per message at
 * {@code <prefix>dt=YYYY-MM-DD/<message ID>.jsonl}, written whole, so concurrent writers never lose a
 * record and a message processed again replaces its own. Implementations must be safe for concurrent use.
 */
public interface RecordSink {

  /** Writes the record (replacing the message's earlier one). Throws when it could not be stored. */
  void write(MessageRecord record) throws IOException;

  /**
   * Writes the record if it can be done by {@code until} (the invocation's hard end): a sink that waits
   * on the network bounds its wait by it. The default ignores the bound (local files).
   */
  default void write(MessageRecord record, java.time.Instant until) throws IOException {
    write(record);
  }

  /**
   * The key prefix the records go under in the bucket the messages are in, or null when they are not
   * stored there: the S3 handler and the sweep must not take a record for a message.
   */
  default String prefix() {
    return null;
  }

  /** The records prefix unless configured otherwise (MAILGATE_RECORDS_PREFIX). */
  String DEFAULT_PREFIX = "records/";

  /** Writes nothing (tests and benchmarks that do not look at records). */
  RecordSink NONE = r -> {};

  /** The key of a message's record under {@code prefix} (which is "" or ends with "/"). */
  static String key(String prefix, LocalDate date, String messageId) {
    return prefix + "dt=" + date + "/" + safeName(messageId) + ".jsonl";
  }

  /** The key of a day's partition under {@code prefix}. */
  static String partition(String prefix, LocalDate date) {
    return prefix + "dt=" + date + "/";
  }

  /**
   * A message ID as one path segment: SES IDs are [a-z0-9]; anything else (a hand-made local run) is
   * replaced by "_" so that no ID can escape the partition.
   */
  static String safeName(String id) {
    StringBuilder sb = new StringBuilder(id.length());
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      sb.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || (c == '.' && i > 0) ? c : '_');
    }
    return sb.length() == 0 ? "_" : sb.toString();
  }

  /**
   * A sink that never throws: a failed write is reported to {@code onFailure} and counted, and the
   * message's outcome stands (docs/RECORDS.md, "When"). Thread-safe.
   */
  final class Guarded {
    private final RecordSink sink;
    private final java.util.function.BiConsumer<MessageRecord, Exception> onFailure;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    public Guarded(RecordSink sink, java.util.function.BiConsumer<MessageRecord, Exception> onFailure) {
      this.sink = sink;
      this.onFailure = onFailure;
    }

    /** The sink's {@link RecordSink#prefix()}. */
    public String prefix() {
      return sink.prefix();
    }

    /** Writes the record; returns whether it was stored. */
    public boolean write(MessageRecord r) {
      return write(r, null);
    }

    /** Writes the record by {@code until} (null: no bound); returns whether it was stored. */
    public boolean write(MessageRecord r, java.time.Instant until) {
      try {
        if (until == null) {
          sink.write(r);
        } else {
          sink.write(r, until);
        }
        written.incrementAndGet();
        return true;
      } catch (IOException | RuntimeException e) {
        failures.incrementAndGet();
        try {
          onFailure.accept(r, e);
        } catch (RuntimeException ignored) {
          // Reporting the failure must not fail the message either.
        }
        return false;
      }
    }

    public long written() {
      return written.get();
    }

    public long failures() {
      return failures.get();
    }
  }
}
