package dev.mailgate.aws;

import dev.mailgate.dmarc.Disposition;
import dev.mailgate.policy.SesVerdict;
import dev.mailgate.policy.SesVerdicts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The event of an SES receipt rule's Lambda action, modelled after the SES Developer Guide ("Invoke
 * Lambda function action", "Contents of notifications for Amazon SES email receiving"). The same
 * {@code mail} and {@code receipt} objects arrive wrapped in SNS when a receipt rule's SNS action is
 * subscribed to by the function; both shapes are read. Immutable.
 *
 * <pre>
 * {"Records": [{"eventSource": "aws:ses", "eventVersion": "1.0",
 *   "ses": {"mail": {...}, "receipt": {...}}}]}
 * {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": "{\"notificationType\":\"Received\",
 *   \"mail\": {...}, \"receipt\": {...}}"}}]}
 * </pre>
 */
public record SesEvent(List<Record> records) {

  public SesEvent {
    records = List.copyOf(records);
  }

  /** One message: SES sends one record per invocation. */
  public record Record(String eventSource, Mail mail, Receipt receipt) {}

  /**
   * The {@code mail} object.
   *
   * @param timestamp when SES received the message (ISO 8601)
   * @param source the envelope sender (MAIL FROM)
   * @param messageId SES's message ID, also the S3 object key after the S3 action's prefix
   * @param destination every recipient address in the To and Cc headers
   * @param headersTruncated whether {@code headers} was truncated (headers over 10 KB)
   * @param headers the header fields, name and value, in order
   * @param commonHeaders the parsed common header fields
   */
  public record Mail(String timestamp, String source, String messageId, List<String> destination,
      boolean headersTruncated, List<Header> headers, CommonHeaders commonHeaders) {}

  public record Header(String name, String value) {}

  /**
   * The {@code commonHeaders} object (fields present as in the message). {@code replyTo} is read from
   * {@code replyTo} or, as some tools write it, {@code reply-to}.
   */
  public record CommonHeaders(String returnPath, List<String> from, List<String> sender, List<String> replyTo,
      List<String> to, List<String> cc, List<String> bcc, String date, String messageId, String subject) {}

  /**
   * The {@code receipt} object.
   *
   * @param timestamp when the action ran
   * @param processingTimeMillis how long SES took, as given (a number, or a string per the docs)
   * @param recipients the envelope recipients the receipt rule matched (RCPT TO)
   * @param spamVerdict PASS, FAIL, GRAY, PROCESSING_FAILED or DISABLED
   * @param virusVerdict the same words
   * @param spfVerdict the same words
   * @param dkimVerdict the same words
   * @param dmarcVerdict the same words
   * @param dmarcPolicy the sending domain's DMARC policy when DMARC failed: none, quarantine or reject. The
   *     reference describes a string; SES's own example shows an object with {@code status}. Both are read.
   * @param action the action that produced this event
   */
  public record Receipt(String timestamp, String processingTimeMillis, List<String> recipients, SesVerdict spamVerdict,
      SesVerdict virusVerdict, SesVerdict spfVerdict, SesVerdict dkimVerdict, SesVerdict dmarcVerdict,
      Disposition dmarcPolicy, Action action) {

    /** The verdicts in the form the policy reads. */
    public SesVerdicts verdicts() {
      return new SesVerdicts(spamVerdict, virusVerdict, spfVerdict, dkimVerdict, dmarcVerdict, dmarcPolicy, "event");
    }
  }

  /**
   * The {@code receipt.action} object: fields present depend on {@code type}.
   *
   * @param type Lambda, S3, SNS, Bounce, Stop or WorkMail
   * @param functionArn the function (Lambda)
   * @param invocationType RequestResponse or Event (Lambda)
   * @param bucketName the bucket (S3)
   * @param objectKey the object key (S3)
   * @param topicArn the SNS topic notified, if any
   */
  public record Action(String type, String functionArn, String invocationType, String bucketName, String objectKey,
      String topicArn) {

    /** Whether SES waits for the function's answer (invocationType RequestResponse). */
    public boolean synchronous() {
      return "RequestResponse".equals(invocationType);
    }
  }

  /**
   * Reads an event as the Lambda runtime deserializes it into a Map (or as jackson-jr reads it).
   *
   * @throws MalformedEventException naming the JSON path of what is missing or wrong
   */
  public static SesEvent fromMap(Map<String, Object> event) {
    Object records = event.get("Records");
    if (records == null) {
      throw new MalformedEventException("$.Records: missing (not an SES or SNS event)");
    }
    List<Object> list = EventJson.array(records, "$.Records");
    if (list.isEmpty()) {
      throw new MalformedEventException("$.Records: empty");
    }
    List<Record> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      String path = "$.Records[" + i + "]";
      Map<String, Object> r = EventJson.object(list.get(i), path);
      String source = r.containsKey("eventSource") ? EventJson.string(r, "eventSource", path)
          : EventJson.string(r, "EventSource", path);
      Map<String, Object> body;
      String bodyPath;
      if ("aws:ses".equals(source)) {
        bodyPath = path + ".ses";
        body = EventJson.object(r.get("ses"), bodyPath);
      } else if ("aws:sns".equals(source)) {
        bodyPath = path + ".Sns.Message";
        Map<String, Object> sns = EventJson.object(r.get("Sns"), path + ".Sns");
        String message = EventJson.requiredString(sns, "Message", path + ".Sns");
        try {
          body = EventJson.object(com.fasterxml.jackson.jr.ob.JSON.std.anyFrom(message), bodyPath);
        } catch (java.io.IOException e) {
          throw new MalformedEventException(bodyPath + ": not JSON: " + e.getMessage());
        }
        String type = EventJson.string(body, "notificationType", bodyPath);
        if (!"Received".equals(type)) {
          throw new MalformedEventException(bodyPath + ".notificationType: expected Received, found " + type);
        }
      } else {
        throw new MalformedEventException(path + ".eventSource: expected aws:ses (or aws:sns), found " + source);
      }
      Mail mail = mail(EventJson.object(body.get("mail"), bodyPath + ".mail"), bodyPath + ".mail");
      Receipt receipt = receipt(EventJson.object(body.get("receipt"), bodyPath + ".receipt"), bodyPath + ".receipt");
      out.add(new Record(source, mail, receipt));
    }
    return new SesEvent(out);
  }

  private static Mail mail(Map<String, Object> m, String path) {
    List<Header> headers = new ArrayList<>();
    Object h = m.get("headers");
    if (h != null) {
      List<Object> list = EventJson.array(h, path + ".headers");
      for (int i = 0; i < list.size(); i++) {
        Map<String, Object> f = EventJson.object(list.get(i), path + ".headers[" + i + "]");
        headers.add(new Header(EventJson.string(f, "name", path + ".headers[" + i + "]"),
            EventJson.string(f, "value", path + ".headers[" + i + "]")));
      }
    }
    CommonHeaders common = null;
    Map<String, Object> c = EventJson.optionalObject(m, "commonHeaders", path);
    if (c != null) {
      String cp = path + ".commonHeaders";
      List<String> replyTo = c.containsKey("replyTo") ? EventJson.strings(c, "replyTo", cp)
          : EventJson.strings(c, "reply-to", cp);
      common = new CommonHeaders(EventJson.string(c, "returnPath", cp), EventJson.strings(c, "from", cp),
          EventJson.strings(c, "sender", cp), replyTo, EventJson.strings(c, "to", cp), EventJson.strings(c, "cc", cp),
          EventJson.strings(c, "bcc", cp), EventJson.string(c, "date", cp), EventJson.string(c, "messageId", cp),
          EventJson.string(c, "subject", cp));
    }
    String source = EventJson.string(m, "source", path);
    return new Mail(EventJson.string(m, "timestamp", path), source == null ? null : source,
        EventJson.requiredString(m, "messageId", path), EventJson.strings(m, "destination", path),
        EventJson.bool(m, "headersTruncated", path), headers, common);
  }

  private static Receipt receipt(Map<String, Object> m, String path) {
    Map<String, Object> a = EventJson.optionalObject(m, "action", path);
    Action action = null;
    if (a != null) {
      String ap = path + ".action";
      action = new Action(EventJson.string(a, "type", ap), EventJson.string(a, "functionArn", ap),
          EventJson.string(a, "invocationType", ap), EventJson.string(a, "bucketName", ap),
          EventJson.string(a, "objectKey", ap), EventJson.string(a, "topicArn", ap));
    }
    return new Receipt(EventJson.string(m, "timestamp", path), EventJson.string(m, "processingTimeMillis", path),
        EventJson.strings(m, "recipients", path), verdict(m, "spamVerdict", path), verdict(m, "virusVerdict", path),
        verdict(m, "spfVerdict", path), verdict(m, "dkimVerdict", path), verdict(m, "dmarcVerdict", path),
        dmarcPolicy(m.get("dmarcPolicy"), path + ".dmarcPolicy"), action);
  }

  /** A verdict object {@code {"status": "PASS"}}; absent is ABSENT; a bare string is accepted too. */
  private static SesVerdict verdict(Map<String, Object> m, String key, String path) {
    Object v = m.get(key);
    if (v == null) {
      return SesVerdict.ABSENT;
    }
    if (v instanceof String) {
      return SesVerdict.fromStatus((String) v);
    }
    Map<String, Object> o = EventJson.object(v, path + "." + key);
    return SesVerdict.fromStatus(EventJson.string(o, "status", path + "." + key));
  }

  /** {@code "reject"} or {@code {"status": "REJECT"}}, in any case; null when absent or unknown. */
  static Disposition dmarcPolicy(Object v, String path) {
    String word;
    if (v == null) {
      return null;
    } else if (v instanceof String) {
      word = (String) v;
    } else {
      word = EventJson.string(EventJson.object(v, path), "status", path);
    }
    if (word == null) {
      return null;
    }
    switch (word.strip().toLowerCase(Locale.ROOT)) {
      case "none":
        return Disposition.NONE;
      case "quarantine":
        return Disposition.QUARANTINE;
      case "reject":
        return Disposition.REJECT;
      default:
        return null;
    }
  }
}
