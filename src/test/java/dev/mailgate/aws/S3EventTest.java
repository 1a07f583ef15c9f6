package dev.mailgate.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailgate.policy.PolicyConfig;
import dev.mailgate.policy.PolicyConfigParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** S3 event notifications: the sample, key decoding, and which objects are messages. */
class S3EventTest {

  @Test
  void theSampleEvent() throws Exception {
    S3Event.Record r = S3Event.fromMap(JSON.std.mapFrom(Files.readAllBytes(Path.of("events/s3-put.json"))))
        .records().get(0);
    assertThat(r.eventName()).isEqualTo("ObjectCreated:Put");
    assertThat(r.isObjectCreated()).isTrue();
    assertThat(r.bucket()).isEqualTo("mailgate-local");
    assertThat(r.key()).isEqualTo("0s2u4w6y8a1c3e5g7i9k1m3o5q7s9u1w3y5a7c9e");
    assertThat(r.size()).isEqualTo(1192);
  }

  static Stream<Arguments> keys() {
    return Stream.of(
        Arguments.of("a plain key", "inbound/abc", "inbound/abc"),
        Arguments.of("'+' is a space in S3 event keys", "inbound/a+b", "inbound/a b"),
        Arguments.of("a percent-encoded plus", "inbound/a%2Bb", "inbound/a+b"),
        Arguments.of("UTF-8 percent-encoded", "inbound/%C3%A9t%C3%A9", "inbound/été"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keys")
  void keysAreUrlDecoded(String name, String raw, String decoded) throws Exception {
    String event = "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{"
        + "\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"" + raw + "\"}}}]}";
    assertThat(S3Event.fromMap(JSON.std.mapFrom(event)).records().get(0).key()).isEqualTo(decoded);
  }

  @Test
  void aBadEventNamesTheJsonPath() {
    assertThatThrownBy(() -> S3Event.fromMap(JSON.std.mapFrom(
        "{\"Records\":[{\"eventSource\":\"aws:s3\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{}}}]}")))
        .isInstanceOf(MalformedEventException.class).hasMessage("$.Records[0].s3.object.key: missing");
  }

  static Stream<Arguments> objects() {
    return Stream.of(
        Arguments.of("a message under the prefix", "ObjectCreated:Put", "inbound/abc", null),
        Arguments.of("a quarantine copy", "ObjectCreated:Copy", "quarantine/abc", "a quarantine copy"),
        Arguments.of("a delivery marker", "ObjectCreated:Put", "mailgate-state/abc/forward-1", "a delivery marker"),
        Arguments.of("outside the prefix", "ObjectCreated:Put", "other/abc", "outside the message prefix"),
        Arguments.of("SES's setup test object", "ObjectCreated:Put", "inbound/AMAZON_SES_SETUP_NOTIFICATION",
            "SES's test object"),
        Arguments.of("a deletion", "ObjectRemoved:Delete", "inbound/abc", "not an ObjectCreated event"),
        // What the gateway writes itself, even when the message prefix is empty (no filter).
        Arguments.of("a message record", "ObjectCreated:Put", "records/dt=2026-11-28/abc.jsonl", "a message record"),
        Arguments.of("a stored DMARC report", "ObjectCreated:Put", "reports/dt=2026-11-28/org!1.json",
            "a stored DMARC report"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("objects")
  void onlyMessagesAreProcessedSoTheFunctionNeverTriggersItself(String name, String event, String key, String why)
      throws Exception {
    PolicyConfig pc = PolicyConfigParser.parse("{\"domains\": \"a.example\"}", "t");
    String reason = S3ObjectHandler.ignored(new S3Event.Record(event, "b", key, 1, null), "", pc, "records/");
    String withPrefix = S3ObjectHandler.ignored(new S3Event.Record(event, "b", key, 1, null), "inbound/", pc, "records/");
    if (!key.startsWith("inbound/") && why != null) {
      assertThat(withPrefix).isNotNull(); // outside the prefix or a file of ours: ignored either way
    }
    if (key.startsWith("other/")) {
      assertThat(withPrefix).startsWith(why);
      return; // without a message prefix everything is under it
    }
    if (why == null) {
      assertThat(reason).isNull();
    } else {
      assertThat(reason).startsWith(why);
    }
  }
}
