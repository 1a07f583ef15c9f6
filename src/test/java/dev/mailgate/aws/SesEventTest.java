package dev.mailgate.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailgate.dmarc.Disposition;
import dev.mailgate.policy.SesVerdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The SES receipt event model, read from the sample events and from variants of AWS's documented shapes. */
class SesEventTest {

  static Map<String, Object> json(String text) throws Exception {
    return JSON.std.mapFrom(text);
  }

  static SesEvent read(Path p) throws Exception {
    return SesEvent.fromMap(JSON.std.mapFrom(Files.readAllBytes(p)));
  }

  @Test
  void theSynchronousSampleEvent() throws Exception {
    SesEvent.Record r = read(Path.of("events/ses-sync.json")).records().get(0);
    assertThat(r.eventSource()).isEqualTo("aws:ses");
    assertThat(r.mail().messageId()).isEqualTo("7d1d4a7bq3f1gk0m0a4nl2qkfl3c3h5mc9r1hkg1");
    assertThat(r.mail().source()).isEqualTo("alice@sender.example");
    assertThat(r.mail().headersTruncated()).isFalse();
    assertThat(r.mail().headers()).first().isEqualTo(new SesEvent.Header("Return-Path", "<alice@sender.example>"));
    assertThat(r.mail().commonHeaders().subject()).isEqualTo("Quarterly figures");
    assertThat(r.receipt().recipients()).containsExactly("bob@mailgate.example");
    assertThat(r.receipt().spamVerdict()).isEqualTo(SesVerdict.PASS);
    assertThat(r.receipt().dmarcVerdict()).isEqualTo(SesVerdict.GRAY);
    assertThat(r.receipt().dmarcPolicy()).isNull();
    assertThat(r.receipt().action().type()).isEqualTo("Lambda");
    assertThat(r.receipt().action().synchronous()).isTrue();
  }

  @Test
  void theAsynchronousSampleEventWithADmarcPolicy() throws Exception {
    SesEvent.Record r = read(Path.of("events/ses-async.json")).records().get(0);
    assertThat(r.receipt().action().invocationType()).isEqualTo("Event");
    assertThat(r.receipt().action().synchronous()).isFalse();
    assertThat(r.receipt().dmarcVerdict()).isEqualTo(SesVerdict.FAIL);
    assertThat(r.receipt().dmarcPolicy()).isEqualTo(Disposition.REJECT);
    assertThat(r.receipt().verdicts().source()).isEqualTo("event");
  }

  static Stream<Arguments> dmarcPolicies() {
    return Stream.of(
        Arguments.of("a string, as the reference describes it", "\"reject\"", Disposition.REJECT),
        Arguments.of("an object with status, as SES's own example shows it", "{\"status\": \"QUARANTINE\"}",
            Disposition.QUARANTINE),
        Arguments.of("upper case string", "\"NONE\"", Disposition.NONE),
        Arguments.of("an unknown word is no policy", "\"maybe\"", null));
  }

  @ParameterizedTest(name = "dmarcPolicy as {0}")
  @MethodSource("dmarcPolicies")
  void dmarcPolicyIsReadInEitherShape(String name, String value, Disposition expected) throws Exception {
    String event = "{\"Records\":[{\"eventSource\":\"aws:ses\",\"ses\":{\"mail\":{\"messageId\":\"m\"},"
        + "\"receipt\":{\"dmarcVerdict\":{\"status\":\"FAIL\"},\"dmarcPolicy\":" + value + "}}}]}";
    assertThat(SesEvent.fromMap(json(event)).records().get(0).receipt().dmarcPolicy()).isEqualTo(expected);
  }

  @Test
  void headersTruncatedAndProcessingTimeAreReadAsStringsToo() throws Exception {
    String event = "{\"Records\":[{\"eventSource\":\"aws:ses\",\"ses\":{\"mail\":{\"messageId\":\"m\","
        + "\"headersTruncated\":\"true\",\"commonHeaders\":{\"reply-to\":[\"r@x.example\"]}},"
        + "\"receipt\":{\"processingTimeMillis\":\"1205\",\"recipients\":\"a@b.example\"}}}]}";
    SesEvent.Record r = SesEvent.fromMap(json(event)).records().get(0);
    assertThat(r.mail().headersTruncated()).isTrue();
    assertThat(r.mail().commonHeaders().replyTo()).containsExactly("r@x.example");
    assertThat(r.receipt().processingTimeMillis()).isEqualTo("1205");
    assertThat(r.receipt().recipients()).containsExactly("a@b.example");
    assertThat(r.receipt().spamVerdict()).isEqualTo(SesVerdict.ABSENT);
  }

  @Test
  void anSnsWrappedNotificationWithAnS3ActionIsRead() throws Exception {
    String message = "{\"notificationType\":\"Received\",\"mail\":{\"messageId\":\"abc\",\"source\":\"a@b.example\"},"
        + "\"receipt\":{\"recipients\":[\"x@y.example\"],\"action\":{\"type\":\"S3\",\"topicArn\":\"arn:t\","
        + "\"bucketName\":\"mail-bucket\",\"objectKey\":\"inbound/abc\"}}}";
    String event = "{\"Records\":[{\"EventSource\":\"aws:sns\",\"EventVersion\":\"1.0\",\"Sns\":{\"Type\":\"Notification\","
        + "\"Message\":" + JSON.std.asString(message) + "}}]}";
    SesEvent.Record r = SesEvent.fromMap(json(event)).records().get(0);
    assertThat(r.eventSource()).isEqualTo("aws:sns");
    assertThat(r.receipt().action().bucketName()).isEqualTo("mail-bucket");
    assertThat(r.receipt().action().objectKey()).isEqualTo("inbound/abc");
    assertThat(r.receipt().action().synchronous()).isFalse();
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("no Records", "{}", "$.Records: missing"),
        Arguments.of("empty Records", "{\"Records\":[]}", "$.Records: empty"),
        Arguments.of("another source", "{\"Records\":[{\"eventSource\":\"aws:s3\"}]}",
            "$.Records[0].eventSource: expected aws:ses (or aws:sns), found aws:s3"),
        Arguments.of("no mail", "{\"Records\":[{\"eventSource\":\"aws:ses\",\"ses\":{\"receipt\":{}}}]}",
            "$.Records[0].ses.mail: expected an object, found null"),
        Arguments.of("no messageId", "{\"Records\":[{\"eventSource\":\"aws:ses\",\"ses\":{\"mail\":{},\"receipt\":{}}}]}",
            "$.Records[0].ses.mail.messageId: missing"),
        Arguments.of("recipients not strings", "{\"Records\":[{\"eventSource\":\"aws:ses\",\"ses\":{\"mail\":"
            + "{\"messageId\":\"m\"},\"receipt\":{\"recipients\":[1]}}}]}",
            "$.Records[0].ses.receipt.recipients[0]: expected a string"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedEventsNameTheJsonPath(String name, String event, String message) {
    assertThatThrownBy(() -> SesEvent.fromMap(json(event))).isInstanceOf(MalformedEventException.class)
        .hasMessageStartingWith(message);
  }
}
