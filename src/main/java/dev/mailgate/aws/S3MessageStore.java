package dev.mailgate.aws;

import dev.mailgate.gateway.MessageRef;
import dev.mailgate.gateway.MessageStore;
import dev.mailgate.gateway.StoreException;
import dev.mailgate.gateway.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * The S3 bucket SES stores messages in, through the SDK v2. Messages are read whole after checking their
 * Content-Length against the limit (a larger object is refused without reading its body). Delivery
 * markers are created with a conditional PutObject ({@code If-None-Match: *}): S3 answers 412 when the
 * key exists, so of two invocations creating the same marker exactly one succeeds. Every call carries
 * an API call timeout ending at the deadline. Thread-safe.
 */
public final class S3MessageStore implements MessageStore {
  private final S3Client s3;
  private final Clock clock;

  public S3MessageStore(S3Client s3, Clock clock) {
    this.s3 = s3;
    this.clock = clock;
  }

  @Override
  public byte[] fetch(MessageRef ref, long maxBytes, Instant deadline) throws StoreException {
    var timeout = timeout(deadline);
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(ref.bucket()).key(ref.key())
        .overrideConfiguration(timeout))) {
      Long length = in.response().contentLength();
      if (length != null && length > maxBytes) {
        in.abort(); // do not download what will not be processed
        throw new StoreException(StoreException.Kind.TOO_LARGE, "message too large: " + length + " bytes (limit "
            + maxBytes + ")");
      }
      byte[] bytes = length != null ? in.readNBytes((int) (long) length) : readAtMost(in, maxBytes);
      if (length != null && bytes.length != length) {
        throw new StoreException(StoreException.Kind.TRANSIENT, "object " + ref.key() + " shorter than announced ("
            + bytes.length + " of " + length + " bytes)");
      }
      return bytes;
    } catch (SdkException e) {
      throw map(e, "get " + ref.key());
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.TRANSIENT, "reading " + ref.key() + ": " + e.getMessage(), e);
    }
  }

  private static byte[] readAtMost(InputStream in, long maxBytes) throws IOException, StoreException {
    byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxBytes + 1));
    if (b.length > maxBytes) {
      throw new StoreException(StoreException.Kind.TOO_LARGE, "message too large: more than " + maxBytes + " bytes");
    }
    return b;
  }

  @Override
  public Map<String, String> tags(MessageRef ref, Instant deadline) throws StoreException {
    var timeout = timeout(deadline);
    try {
      var r = s3.getObjectTagging(b -> b.bucket(ref.bucket()).key(ref.key()).overrideConfiguration(timeout));
      Map<String, String> out = new LinkedHashMap<>();
      for (Tag t : r.tagSet()) {
        out.put(t.key(), t.value());
      }
      return out;
    } catch (SdkException e) {
      throw map(e, "get tags of " + ref.key());
    }
  }

  @Override
  public void putTags(MessageRef ref, Map<String, String> tags, Instant deadline) throws StoreException {
    var timeout = timeout(deadline);
    List<Tag> set = new ArrayList<>();
    tags.forEach((k, v) -> set.add(Tag.builder().key(k).value(v).build()));
    try {
      s3.putObjectTagging(b -> b.bucket(ref.bucket()).key(ref.key()).tagging(t -> t.tagSet(set))
          .overrideConfiguration(timeout));
    } catch (SdkException e) {
      throw map(e, "put tags of " + ref.key());
    }
  }

  @Override
  public Optional<byte[]> read(MessageRef ref, Instant deadline) throws StoreException {
    var timeout = timeout(deadline);
    try {
      return Optional.of(s3.getObjectAsBytes(b -> b.bucket(ref.bucket()).key(ref.key())
          .overrideConfiguration(timeout)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      StoreException se = map(e, "get " + ref.key());
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
      s3.putObject(b -> b.bucket(ref.bucket()).key(ref.key()).ifNoneMatch("*").contentType("application/json")
          .overrideConfiguration(timeout), RequestBody.fromBytes(content));
      return true;
    } catch (S3Exception e) {
      // 412: the key exists. 409: a concurrent conditional write to it is in flight; the other writer wins.
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        return false;
      }
      throw map(e, "create " + ref.key());
    } catch (SdkException e) {
      throw map(e, "create " + ref.key());
    }
  }

  @Override
  public void put(MessageRef ref, byte[] content, Instant deadline) throws StoreException {
    var timeout = timeout(deadline);
    try {
      s3.putObject(b -> b.bucket(ref.bucket()).key(ref.key()).contentType("application/json")
          .overrideConfiguration(timeout), RequestBody.fromBytes(content));
    } catch (SdkException e) {
      throw map(e, "put " + ref.key());
    }
  }

  @Override
  public void copy(MessageRef from, String toKey, Map<String, String> tags, Instant deadline) throws StoreException {
    var timeout = timeout(deadline);
    try {
      s3.copyObject(b -> b.sourceBucket(from.bucket()).sourceKey(from.key()).destinationBucket(from.bucket())
          .destinationKey(toKey).taggingDirective(TaggingDirective.REPLACE).tagging(taggingHeader(tags))
          .overrideConfiguration(timeout));
    } catch (SdkException e) {
      throw map(e, "copy " + from.key() + " to " + toKey);
    }
    // S3 applies the tags with the copy; S3Mock 4.0.0 (and some S3-compatible stores) ignore them on
    // CopyObject. Setting them again costs one call per quarantined message and holds on every store.
    putTags(from.sibling(toKey), tags, deadline);
  }

  @Override
  public void delete(MessageRef ref, Instant deadline) throws StoreException {
    var timeout = timeout(deadline);
    try {
      s3.deleteObject(b -> b.bucket(ref.bucket()).key(ref.key()).overrideConfiguration(timeout));
    } catch (SdkException e) {
      StoreException se = map(e, "delete " + ref.key());
      if (se.kind() != StoreException.Kind.NOT_FOUND) {
        throw se;
      }
    }
  }

  @Override
  public StoredObject.Page list(String bucket, String prefix, String startAfter, int maxKeys, Instant deadline)
      throws StoreException {
    var timeout = timeout(deadline);
    try {
      ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).startAfter(startAfter)
          .maxKeys(Math.min(maxKeys, 1000)).overrideConfiguration(timeout));
      List<StoredObject> out = new ArrayList<>(r.contents().size());
      for (S3Object o : r.contents()) {
        out.add(new StoredObject(o.key(), o.lastModified(), o.size() == null ? 0 : o.size()));
      }
      // A page cut to 1,000 by S3 is truncated as well when more were asked for.
      return new StoredObject.Page(out, Boolean.TRUE.equals(r.isTruncated()));
    } catch (SdkException e) {
      throw map(e, "list " + bucket + "/" + prefix);
    }
  }

  /** The x-amz-tagging form: URL-encoded {@code k=v&k=v}. */
  static String taggingHeader(Map<String, String> tags) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : tags.entrySet()) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8).replace("+", "%20")).append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return sb.toString();
  }

  private AwsRequestOverrideConfiguration timeout(Instant deadline) throws StoreException {
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative() || left.isZero()) {
      throw new StoreException(StoreException.Kind.TRANSIENT, "deadline reached");
    }
    return AwsRequestOverrideConfiguration.builder().apiCallTimeout(left).build();
  }

  /** What an SDK failure means for the gateway. */
  static StoreException map(SdkException e, String what) {
    if (e instanceof NoSuchKeyException) {
      return new StoreException(StoreException.Kind.NOT_FOUND, what + ": no such key", e);
    }
    if (e instanceof S3Exception) {
      S3Exception s = (S3Exception) e;
      int code = s.statusCode();
      String err = s.awsErrorDetails() == null ? "" : s.awsErrorDetails().errorCode();
      String msg = what + ": S3 " + code + (err == null || err.isEmpty() ? "" : " " + err);
      if (code == 404) {
        return new StoreException(StoreException.Kind.NOT_FOUND, msg, e);
      }
      if (code == 429 || code >= 500 || s.isThrottlingException()) {
        return new StoreException(StoreException.Kind.TRANSIENT, msg + " (after retries)", e);
      }
      return new StoreException(StoreException.Kind.PERMANENT, msg, e);
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return new StoreException(StoreException.Kind.TRANSIENT, what + ": timed out at the deadline", e);
    }
    if (e instanceof SdkClientException) {
      return new StoreException(StoreException.Kind.TRANSIENT, what + ": " + e.getMessage(), e);
    }
    return new StoreException(StoreException.Kind.PERMANENT, what + ": " + e.getMessage(), e);
  }
}
