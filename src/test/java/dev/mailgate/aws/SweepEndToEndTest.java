package dev.mailgate.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgate.gateway.Harness;
import dev.mailgate.gateway.TestMessages;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The scheduled sweep end to end: SweepHandler, the real S3 client listing S3Mock (through the proxy that
 * gives conditional writes S3's 412), SES calls to the recording endpoint. Each test uses its own object
 * prefix, since the S3Mock bucket is shared and its objects cannot be made older.
 */
@ExtendWith(S3MockResolver.class)
class SweepEndToEndTest {
  private EndToEnd e2e;
  private GatewayRuntime rt;
  private String prefix;
  private final LocalContext ctx = new LocalContext(120_000, System.err);

  @BeforeEach
  void start(S3MockServer s3mock) throws Exception {
    e2e = new EndToEnd(s3mock, 9, Harness.sampleDns());
    prefix = "sweep" + UUID.randomUUID().toString().substring(0, 8) + "/";
    rt = new GatewayRuntime(e2e.runtime.gateway(), S3MockServer.BUCKET, prefix, Duration.ofSeconds(25),
        Duration.ofMillis(500), Clock.systemUTC(), e2e.runtime.log());
  }

  @AfterEach
  void stop() {
    e2e.close();
  }

  private String store(String id) {
    byte[] m = TestMessages.ses("alice@sender.example", "192.0.2.10", "mail.sender.example", "bob@mailgate.example",
        "PASS", "PASS", "From: Alice <alice@sender.example>\r\nTo: bob@mailgate.example\r\nSubject: Hello\r\n"
            + "Message-ID: <" + id + "@sender.example>", "Hello.\r\n");
    e2e.direct.putObject(b -> b.bucket(S3MockServer.BUCKET).key(prefix + id), RequestBody.fromBytes(m));
    return id;
  }

  private Map<String, Object> sesEvent(String id) throws Exception {
    return EndToEnd.sesEvent(id, "alice@sender.example", List.of("bob@mailgate.example"), false, "PASS", "GRAY",
        "GRAY", null, "PASS", "PASS");
  }

  /** Every object in the test's window: a grace of 0 minutes. */
  private static final Map<String, Object> NOW = Map.of("graceMinutes", 0, "unprocessedGraceMinutes", 0);

  @Test
  void theSweepRedrivesRetryAndUnprocessedMessagesReportsDoubtAndRerunsSendNothing() throws Exception {
    String never = store("never");
    String retry = store("retry");
    String doubt = store("doubt");
    String done = store("done");
    SesReceiptHandler ses = new SesReceiptHandler(rt);
    ses.handleRequest(sesEvent(done), ctx);
    e2e.ses.answerNext(500, 500, 500, 500); // every attempt of the SDK fails: state retry
    assertThatThrownBy(() -> ses.handleRequest(sesEvent(retry), ctx)).isInstanceOf(RetryLaterException.class);
    assertThat(e2e.tags(prefix + retry)).containsEntry("mailgate-state", "retry");
    // A send that got no answer, as the gateway leaves it: an expired "sending" claim and the state tag.
    e2e.direct.putObject(b -> b.bucket(S3MockServer.BUCKET).key("mailgate-state/" + doubt + "/forward-0123456789abcdef"),
        RequestBody.fromString("{\"state\":\"sending\",\"token\":\"t\",\"claimed\":\"2026-11-28T09:00:00Z\","
            + "\"expires\":\"2026-11-28T09:02:30Z\"}", StandardCharsets.UTF_8));
    e2e.direct.putObjectTagging(b -> b.bucket(S3MockServer.BUCKET).key(prefix + doubt)
        .tagging(t -> t.tagSet(Tag.builder().key("mailgate-state").value("in-doubt").build())));
    assertThat(e2e.ses.accepted()).hasSize(1);

    Map<String, Object> summary = new SweepHandler(rt).handleRequest(NOW, ctx);

    assertThat(summary).containsEntry("listed", 4).containsEntry("redriven", 2L).containsEntry("finished", 1)
        .containsEntry("inDoubt", 1L).containsEntry("stillPending", 0L).containsEntry("complete", true);
    assertThat(e2e.ses.accepted()).hasSize(3).extracting(c -> c.destinations().get(0)).containsOnly("bob@elsewhere.example");
    assertThat(e2e.tags(prefix + never)).containsEntry("mailgate-state", "delivered");
    assertThat(e2e.tags(prefix + retry)).containsEntry("mailgate-state", "delivered");
    assertThat(e2e.tags(prefix + doubt)).containsEntry("mailgate-state", "in-doubt");
    // The listing went through ListObjectsV2 under the test's prefix.
    assertThat(e2e.proxy.count(r -> r.method().equals("GET") && r.pathAndQuery().contains("list-type=2")
        && r.pathAndQuery().contains("prefix=" + prefix.replace("/", "%2F")))).isEqualTo(1);
    // The log line names the message in doubt and its unconfirmed delivery.
    Map<String, Object> line = e2e.logLines().stream().filter(l -> "sweep".equals(l.get("event"))).findFirst()
        .orElseThrow();
    assertThat(line).containsEntry("level", "ERROR").containsEntry("SweepInDoubt", 1);
    assertThat(line.get("messages").toString()).contains("doubt", "forward-0123456789abcdef", "never confirmed");

    // Run again: nothing is sent twice.
    Map<String, Object> again = new SweepHandler(rt).handleRequest(NOW, ctx);
    assertThat(again).containsEntry("redriven", 0L).containsEntry("finished", 3).containsEntry("inDoubt", 1L);
    assertThat(e2e.ses.accepted()).hasSize(3);
  }

  @Test
  void aDryRunListsWhatItWouldDoAndWritesNothing() throws Exception {
    String never = store("never");
    long writesBefore = e2e.proxy.count(r -> !r.method().equals("GET") && !r.method().equals("HEAD"));
    Map<String, Object> summary = new SweepHandler(rt).handleRequest(Map.of("graceMinutes", 0, "unprocessedGraceMinutes", 0, "dryRun", true), ctx);
    assertThat(summary).containsEntry("wouldRedrive", 1L).containsEntry("redriven", 0L);
    assertThat(e2e.proxy.count(r -> !r.method().equals("GET") && !r.method().equals("HEAD"))).isEqualTo(writesBefore);
    assertThat(e2e.tags(prefix + never)).isEmpty();
    assertThat(e2e.ses.calls).isEmpty();
  }

  @Test
  void theDefaultGraceLeavesNewMessagesToTheirInvocations() throws Exception {
    store("fresh");
    Map<String, Object> summary = new SweepHandler(rt).handleRequest(Map.of(), ctx);
    assertThat(summary).containsEntry("tooRecent", 1).containsEntry("redriven", 0L);
    assertThat(e2e.ses.calls).isEmpty();
  }

  @Test
  void aListingThatFailsFailsTheInvocation() throws Exception {
    store("m");
    e2e.proxy.fail(r -> r.pathAndQuery().contains("list-type=2"), 10, 500);
    assertThatThrownBy(() -> new SweepHandler(rt).handleRequest(NOW, ctx)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sweep: list");
  }

  @Test
  void malformedOptionsAreNamed() {
    assertThatThrownBy(() -> new SweepHandler(rt).handleRequest(Map.of("maxRedrives", "many"), ctx))
        .hasMessage("sweep event: maxRedrives must be a whole number, not many");
    assertThatThrownBy(() -> new SweepHandler(rt).handleRequest(Map.of("dryRun", "yes"), ctx))
        .hasMessage("sweep event: dryRun must be true or false, not yes");
    assertThatThrownBy(() -> new SweepHandler(rt).handleRequest(Map.of("graceMinutes", -1), ctx))
        .hasMessageContaining("graceMinutes must be between 0 and");
    // A plain scheduled event's own fields are not options.
    assertThat(SweepHandler.options(Map.of("detail-type", "Scheduled Event", "source", "aws.events"), "b", "p/"))
        .isEqualTo(dev.mailgate.gateway.Sweep.Options.defaults("b", "p/"));
  }
}
