package dev.mailgate.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailgate.gateway.ObjectState;
import dev.mailgate.gateway.OutboxSender;
import dev.mailgate.message.RawMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handlers fed the sample events as the Lambda runtime deserializes them (aws-lambda-java-tests'
 * EventLoader uses the runtime's serialization library), on the sample bucket folder and DNS fixture.
 */
class HandlerEventLoaderTest {
  @TempDir Path state;
  private final OutboxSender outbox = OutboxSender.inMemory();

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(String file) {
    return EventLoader.loadEvent(file, Map.class);
  }

  @Test
  void theRuntimeAndTheLocalCommandReadTheEventsAlike() throws Exception {
    for (String file : List.of("events/ses-sync.json", "events/ses-async.json")) {
      SesEvent viaRuntime = SesEvent.fromMap(load(file));
      SesEvent viaJacksonJr = SesEvent.fromMap(JSON.std.mapFrom(Files.readAllBytes(Path.of(file))));
      assertThat(viaRuntime).as(file).isEqualTo(viaJacksonJr);
    }
    assertThat(S3Event.fromMap(load("events/s3-put.json")))
        .isEqualTo(S3Event.fromMap(JSON.std.mapFrom(Files.readAllBytes(Path.of("events/s3-put.json")))));
  }

  @Test
  void aSynchronousSesEventIsAnsweredWithADisposition() throws Exception {
    SesReceiptHandler handler = new SesReceiptHandler(LocalRuntime.sample(state, outbox));
    Map<String, String> answer = handler.handleRequest(load("events/ses-sync.json"), new LocalContext(30_000, System.err));
    assertThat(answer).containsExactly(Map.entry("disposition", "CONTINUE"));
    assertThat(outbox.sent()).hasSize(1);
    OutboxSender.Sent s = outbox.sent().get(0);
    assertThat(s.kind()).isEqualTo("forward");
    assertThat(s.to()).containsExactly("bob@elsewhere.example");
    assertThat(RawMessage.parse(s.raw()).header("From").orElseThrow().text())
        .isEqualTo("\"Alice via mailgate.example\" <forwarder@mailgate.example>");
  }

  @Test
  void anAsynchronousSesEventWithDmarcRejectIsQuarantined() throws Exception {
    SesReceiptHandler handler = new SesReceiptHandler(LocalRuntime.sample(state, outbox));
    HandlerResult r = handler.handle(load("events/ses-async.json"), new LocalContext(30_000, System.err));
    assertThat(r.synchronous()).isFalse();
    assertThat(r.failure()).isNull();
    assertThat(r.outcomes()).singleElement().satisfies(o -> {
      assertThat(o.state()).isEqualTo(ObjectState.QUARANTINED);
      assertThat(o.verdict().rule()).isEqualTo("dmarc-reject");
    });
    assertThat(outbox.sent()).isEmpty();
    assertThat(state.resolve("quarantine/k3n8qv1t0m5p2r7s9u4w6y8a0c2e4g6i8k0m2o4q")).exists();
    assertThat(Path.of("events/bucket/quarantine")).doesNotExist();
  }

  @Test
  void anS3EventIsProcessedFromTheStoredMessageAlone() throws Exception {
    S3ObjectHandler handler = new S3ObjectHandler(LocalRuntime.sample(state, outbox));
    Map<String, Object> answer = handler.handleRequest(load("events/s3-put.json"), new LocalContext(30_000, System.err));
    assertThat(answer).containsEntry("processed", 1).containsEntry("ignored", 0);
    OutboxSender.Sent s = outbox.sent().get(0);
    assertThat(s.kind()).isEqualTo("relay");
    RawMessage relayed = RawMessage.parse(s.raw());
    assertThat(relayed.header("Subject").orElseThrow().text()).isEqualTo("[SPAM?] Last chance: 90% off everything");
    assertThat(relayed.headers("X-Mailgate-Untrusted-Authentication-Results")).hasSize(1);
  }

  @Test
  void truncatedHeadersInTheEventDoNotMatter() throws Exception {
    Map<String, Object> event = load("events/ses-sync.json");
    Map<String, Object> mail = mail(event);
    mail.put("headersTruncated", true);
    mail.put("headers", new ArrayList<>(((List<?>) mail.get("headers")).subList(0, 2)));
    HandlerResult r = new SesReceiptHandler(LocalRuntime.sample(state, outbox)).handle(event,
        new LocalContext(30_000, System.err));
    assertThat(r.outcomes()).singleElement().satisfies(o -> {
      assertThat(o.state()).isEqualTo(ObjectState.DELIVERED);
      assertThat(o.envelope().clientIp().getHostAddress()).isEqualTo("192.0.2.10");
    });
  }

  @Test
  void aMalformedAsyncEventFailsTheInvocationSoItReachesTheDeadLetterQueue() throws Exception {
    SesReceiptHandler handler = new SesReceiptHandler(LocalRuntime.sample(state, outbox));
    Map<String, Object> event = load("events/ses-async.json");
    mail(event).remove("messageId");
    assertThatThrownBy(() -> handler.handleRequest(event, new LocalContext(30_000, System.err)))
        .isInstanceOf(RetryLaterException.class).hasMessageContaining("$.Records[0].ses.mail.messageId: missing");
  }

  @Test
  void aMalformedSyncEventIsStillAnswered() throws Exception {
    SesReceiptHandler handler = new SesReceiptHandler(LocalRuntime.sample(state, outbox));
    Map<String, Object> event = load("events/ses-sync.json");
    mail(event).remove("messageId");
    assertThat(handler.handleRequest(event, new LocalContext(30_000, System.err)))
        .containsExactly(Map.entry("disposition", "CONTINUE"));
  }

  @Test
  void aMissingObjectFailsAnAsyncInvocation() throws Exception {
    SesReceiptHandler handler = new SesReceiptHandler(LocalRuntime.sample(state, outbox));
    Map<String, Object> event = load("events/ses-async.json");
    mail(event).put("messageId", "does-not-exist");
    assertThatThrownBy(() -> handler.handleRequest(event, new LocalContext(30_000, System.err)))
        .isInstanceOf(RetryLaterException.class).hasMessageContaining("does-not-exist (missing");
  }

  @Test
  void theSampleBucketHoldsTheSampleMessages() throws Exception {
    assertThat(Files.readAllBytes(Path.of("events/bucket/7d1d4a7bq3f1gk0m0a4nl2qkfl3c3h5mc9r1hkg1")))
        .isEqualTo(Files.readAllBytes(Path.of("events/messages/ses-inbound.eml")));
    assertThat(Files.readAllBytes(Path.of("events/bucket/k3n8qv1t0m5p2r7s9u4w6y8a0c2e4g6i8k0m2o4q")))
        .isEqualTo(Files.readAllBytes(Path.of("events/messages/ses-forged-billing.eml")));
    assertThat(Files.readAllBytes(Path.of("events/bucket/0s2u4w6y8a1c3e5g7i9k1m3o5q7s9u1w3y5a7c9e")))
        .isEqualTo(Files.readAllBytes(Path.of("events/messages/ses-spam-newsletter.eml")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mail(Map<String, Object> event) {
    Map<String, Object> rec = (Map<String, Object>) ((List<Object>) event.get("Records")).get(0);
    return (Map<String, Object>) ((Map<String, Object>) rec.get("ses")).get("mail");
  }
}
