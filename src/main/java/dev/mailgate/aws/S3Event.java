package dev.mailgate.aws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An S3 event notification (ObjectCreated and others), modelled after the S3 User Guide's "Event message
 * structure": only what the gateway needs. Object keys arrive URL-encoded (a space as {@code +}); they are
 * decoded here. Immutable.
 */
public record S3Event(List<Record> records) {

  public S3Event {
    records = List.copyOf(records);
  }

  /**
   * One object event.
   *
   * @param eventName e.g. {@code ObjectCreated:Put}
   * @param bucket the bucket name
   * @param key the object key, decoded
   * @param size the object size when given, else -1
   * @param eventTime when it happened, as written
   */
  public record Record(String eventName, String bucket, String key, long size, String eventTime) {

    public boolean isObjectCreated() {
      return eventName != null && eventName.startsWith("ObjectCreated:");
    }
  }

  /**
   * Reads an event as the Lambda runtime deserializes it into a Map.
   *
   * @throws MalformedEventException naming the JSON path of what is missing or wrong
   */
  public static S3Event fromMap(Map<String, Object> event) {
    Object records = event.get("Records");
    if (records == null) {
      throw new MalformedEventException("$.Records: missing (not an S3 event)");
    }
    List<Object> list = EventJson.array(records, "$.Records");
    List<Record> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      String path = "$.Records[" + i + "]";
      Map<String, Object> r = EventJson.object(list.get(i), path);
      String source = EventJson.string(r, "eventSource", path);
      if (!"aws:s3".equals(source)) {
        throw new MalformedEventException(path + ".eventSource: expected aws:s3, found " + source);
      }
      Map<String, Object> s3 = EventJson.object(r.get("s3"), path + ".s3");
      Map<String, Object> bucket = EventJson.object(s3.get("bucket"), path + ".s3.bucket");
      Map<String, Object> object = EventJson.object(s3.get("object"), path + ".s3.object");
      String rawKey = EventJson.requiredString(object, "key", path + ".s3.object");
      String key;
      try {
        key = URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new MalformedEventException(path + ".s3.object.key: bad URL encoding: " + rawKey);
      }
      long size = -1;
      String sz = EventJson.string(object, "size", path + ".s3.object");
      if (sz != null) {
        try {
          size = Long.parseLong(sz);
        } catch (NumberFormatException e) {
          throw new MalformedEventException(path + ".s3.object.size: not a number: " + sz);
        }
      }
      out.add(new Record(EventJson.string(r, "eventName", path),
          EventJson.requiredString(bucket, "name", path + ".s3.bucket"), key, size,
          EventJson.string(r, "eventTime", path)));
    }
    return new S3Event(out);
  }
}
