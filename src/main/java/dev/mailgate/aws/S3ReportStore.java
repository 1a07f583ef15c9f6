package dev.mailgate.aws;

import dev.mailgate.gateway.MessageRef;
import dev.mailgate.gateway.MessageStore;
import dev.mailgate.gateway.StoreException;
import dev.mailgate.report.RecordSink;
import dev.mailgate.report.RecordSource;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What the aggregate report function reads and writes in the bucket, and nothing else (so its IAM policy
 * stays small): the records of a day (ListObjectsV2 and GetObject under the records prefix, fetched a
 * page at a time with several GETs in flight) and its sent-markers (GetObject, conditional PutObject,
 * PutObject, DeleteObject under the state prefix). The gateway-only operations are not supported.
 * Thread-safe.
 */
public final class S3ReportStore implements MessageStore, RecordSource {
  /** GETs in flight while reading records: one object per message makes the fetch latency-bound. */
  static final int PARALLEL_GETS = 16;
  /** The time one call may take (the run's own deadline bounds the markers' calls). */
  static final Duration GET_TIMEOUT = Duration.ofSeconds(20);

  private final S3Client s3;
  private final String bucket;
  private final String recordsPrefix;
  private final Clock clock;
  private final int pageSize;

  public S3ReportStore(S3Client s3, String bucket, String recordsPrefix, Clock clock) {
    this(s3, bucket, recordsPrefix, clock, 1000);
  }

  /** With a smaller ListObjectsV2 page (tests: several pages without thousands of objects). */
  S3ReportStore(S3Client s3, String bucket, String recordsPrefix, Clock clock, int pageSize) {
    this.s3 = s3;
    this.bucket = bucket;
    this.recordsPrefix = recordsPrefix;
    this.clock = clock;
    this.pageSize = pageSize;
  }

  // ---- RecordSource ---------------------------------------------------------------------------------

  @Override
  public void forEachLine(LocalDate date, Consumer<String> line) throws IOException {
    String prefix = RecordSink.partition(recordsPrefix, date);
    AwsRequestOverrideConfiguration timeout = AwsRequestOverrideConfiguration.builder().apiCallTimeout(GET_TIMEOUT).build();
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_GETS, r -> {
      Thread t = new Thread(r, "mailgate-records");
      t.setDaemon(true);
      return t;
    });
    try {
      String token = null;
      do {
        String t = token;
        ListObjectsV2Response page;
        try {
          page = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).continuationToken(t).maxKeys(pageSize)
              .overrideConfiguration(timeout));
        } catch (SdkException e) {
          throw new IOException("list " + prefix + ": " + S3MessageStore.map(e, "list " + prefix).getMessage(), e);
        }
        List<Future<byte[]>> bodies = new ArrayList<>();
        for (S3Object o : page.contents()) {
          if (!o.key().endsWith(".jsonl")) {
            continue;
          }
          bodies.add(pool.submit(() -> {
            try {
              return s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key()).overrideConfiguration(timeout)).asByteArray();
            } catch (NoSuchKeyException e) {
              return new byte[0]; // replaced or expired since the listing
            }
          }));
        }
        for (Future<byte[]> f : bodies) {
          byte[] body;
          try {
            body = f.get();
          } catch (ExecutionException e) {
            throw new IOException("get a record under " + prefix + ": " + e.getCause().getMessage(), e.getCause());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
          }
          try (BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body),
              StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
              if (!l.isBlank()) {
                line.accept(l);
              }
            }
          }
        }
        token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
      } while (token != null);
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- MessageStore: the markers. The same requests as S3MessageStore's, written out here rather than
  // delegated: TemplateIamTest reads each function's SDK calls from its own classes' bytecode to check that
  // the report function is granted exactly Get/Put/Delete/List, and a call through the gateway's store
  // would hide them from it (or bring the gateway's tagging calls along). --------------------------------------------------------------------

  @Override
  public Optional<byte[]> read(MessageRef ref, Instant deadline) throws StoreException {
    var timeout = timeout(deadline);
    try {
      return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(ref.key()).overrideConfiguration(timeout))
          .asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      StoreException se = S3MessageStore.map(e, "get " + ref.key());
      if (se.kind() == StoreException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw se;
    }
  }

  @Override
  public boolean createIfAbsent(MessageRef ref, byte[] content, Instant deadline) throws StoreException {
    var timeout = timeout(deadline);
    try {
      s3.putObject(b -> b.bucket(bucket).key(ref.key()).ifNoneMatch("*").contentType("application/json")
          .overrideConfiguration(timeout), RequestBody.fromBytes(content));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        return false; // exists, or a concurrent conditional write to it is in flight
      }
      throw S3MessageStore.map(e, "create " + ref.key());
    } catch (SdkException e) {
      throw S3MessageStore.map(e, "create " + ref.key());
    }
  }

  @Override
  public void put(MessageRef ref, byte[] content, Instant deadline) throws StoreException {
    var timeout = timeout(deadline);
    try {
      s3.putObject(b -> b.bucket(bucket).key(ref.key()).contentType("application/json").overrideConfiguration(timeout),
          RequestBody.fromBytes(content));
    } catch (SdkException e) {
      throw S3MessageStore.map(e, "put " + ref.key());
    }
  }

  @Override
  public void delete(MessageRef ref, Instant deadline) throws StoreException {
    var timeout = timeout(deadline);
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(ref.key()).overrideConfiguration(timeout));
    } catch (SdkException e) {
      StoreException se = S3MessageStore.map(e, "delete " + ref.key());
      if (se.kind() != StoreException.Kind.NOT_FOUND) {
        throw se;
      }
    }
  }

  @Override
  public byte[] fetch(MessageRef ref, long maxBytes, Instant deadline) {
    throw new UnsupportedOperationException("the report function reads no messages");
  }

  @Override
  public Map<String, String> tags(MessageRef ref, Instant deadline) {
    throw new UnsupportedOperationException("the report function reads no tags");
  }

  @Override
  public void putTags(MessageRef ref, Map<String, String> tags, Instant deadline) {
    throw new UnsupportedOperationException("the report function writes no tags");
  }

  @Override
  public void copy(MessageRef from, String toKey, Map<String, String> tags, Instant deadline) {
    throw new UnsupportedOperationException("the report function copies nothing");
  }

  private AwsRequestOverrideConfiguration timeout(Instant deadline) throws StoreException {
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative() || left.isZero()) {
      throw new StoreException(StoreException.Kind.TRANSIENT, "deadline reached");
    }
    return AwsRequestOverrideConfiguration.builder().apiCallTimeout(left).build();
  }
}
