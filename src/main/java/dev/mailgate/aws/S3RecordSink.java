package dev.mailgate.aws;

import dev.mailgate.report.MessageRecord;
import dev.mailgate.report.RecordSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Message records as S3 objects, one PutObject per message at
 * {@code <prefix>dt=YYYY-MM-DD/<message ID>.jsonl} (docs/RECORDS.md): no object is shared, so concurrent
 * containers never lose a record, and a retried message replaces its own. Each call is bounded by a short
 * API call timeout, since it runs after the message's actions. Thread-safe.
 */
public final class S3RecordSink implements RecordSink {
  /** The time one record write may take, retries included: the message is done, this is bookkeeping. */
  static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  public S3RecordSink(S3Client s3, String bucket, String prefix) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  @Override
  public String prefix() {
    return prefix;
  }

  @Override
  public void write(MessageRecord r) throws IOException {
    write(r, TIMEOUT);
  }

  @Override
  public void write(MessageRecord r, java.time.Instant until) throws IOException {
    Duration left = Duration.between(java.time.Instant.now(), until);
    if (left.toMillis() < 100) {
      throw new IOException("no time left before the invocation ends: record of " + r.messageId() + " not written");
    }
    write(r, left.compareTo(TIMEOUT) < 0 ? left : TIMEOUT);
  }

  private void write(MessageRecord r, Duration timeout) throws IOException {
    String key = RecordSink.key(prefix, r.date(), r.messageId());
    byte[] line = (r.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/x-ndjson")
          .overrideConfiguration(AwsRequestOverrideConfiguration.builder().apiCallTimeout(timeout).build()),
          RequestBody.fromBytes(line));
    } catch (SdkException e) {
      throw new IOException("put " + key + ": " + S3MessageStore.map(e, "put " + key).getMessage(), e);
    }
  }
}
