package dev.mailgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.mailgate.dmarc.Disposition;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.dns.RecordType;
import dev.mailgate.message.RawMessage;
import dev.mailgate.policy.Action;
import dev.mailgate.policy.SesVerdict;
import dev.mailgate.policy.SesVerdicts;
import dev.mailgate.policy.SyncDisposition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline with a local folder, an in-memory outbox and fixture DNS: every verdict class and fault. */
class GatewayTest {
  @TempDir Path dir;

  private static SesVerdicts verdicts(SesVerdict spf, SesVerdict dkim, SesVerdict dmarc, Disposition policy) {
    return new SesVerdicts(SesVerdict.PASS, SesVerdict.PASS, spf, dkim, dmarc, policy, "event");
  }

  @Test
  void cleanMailIsForwardedWithOurResultsAndTheObjectSaysDelivered() throws Exception {
    Harness h = new Harness(dir);
    MessageRef ref = h.put("m1", TestMessages.fromAlice("bob@mailgate.example"));
    Outcome o = h.run(ref, Harness.receipt("m1", "alice@sender.example", List.of("bob@mailgate.example"),
        verdicts(SesVerdict.PASS, SesVerdict.GRAY, SesVerdict.GRAY, null), true), true);
    assertThat(o.state()).isEqualTo(ObjectState.DELIVERED);
    assertThat(o.disposition()).isEqualTo(SyncDisposition.CONTINUE);
    assertThat(o.retryLater()).isFalse();
    assertThat(h.outbox.sent()).hasSize(1);
    OutboxSender.Sent s = h.outbox.sent().get(0);
    assertThat(s.kind()).isEqualTo("forward");
    assertThat(s.from()).isEqualTo("forwarder@mailgate.example");
    assertThat(s.to()).containsExactly("bob@elsewhere.example");
    RawMessage sent = RawMessage.parse(s.raw());
    assertThat(sent.headers().get(0).raw()).isEqualTo("X-Mailgate-Loop: gw-test");
    assertThat(sent.headers().get(1).text()).startsWith("mx.mailgate.example;").contains("spf=pass");
    assertThat(h.local.tags(ref, o.ref() == null ? null : java.time.Instant.now().plusSeconds(5)))
        .containsEntry(ObjectTags.STATE, "delivered").containsEntry(ObjectTags.ACTION, "deliver")
        .containsEntry(ObjectTags.ATTEMPTS, "1").containsEntry(ObjectTags.AUTH, "spf=pass dkim=none dmarc=pass arc=none");
  }

  @Test
  void dmarcRejectIsQuarantinedAndNothingIsSent() throws Exception {
    Harness h = new Harness(dir);
    byte[] msg = TestMessages.ses("billing@sender.example", "203.0.113.66", "mail.forged.example",
        "bob@mailgate.example", "PASS", "PASS", "From: billing@sender.example\r\nSubject: pay", "x\r\n");
    MessageRef ref = h.put("m2", msg);
    Outcome o = h.run(ref, Harness.receipt("m2", "billing@sender.example", List.of("bob@mailgate.example"),
        verdicts(SesVerdict.FAIL, SesVerdict.GRAY, SesVerdict.FAIL, Disposition.REJECT), false), false);
    assertThat(o.verdict().rule()).isEqualTo("dmarc-reject");
    assertThat(o.state()).isEqualTo(ObjectState.QUARANTINED);
    assertThat(o.disposition()).isEqualTo(SyncDisposition.STOP_RULE_SET);
    assertThat(h.outbox.sent()).isEmpty();
    assertThat(Files.readAllBytes(dir.resolve("quarantine/m2"))).isEqualTo(msg);
    assertThat(h.local.tags(ref.sibling("quarantine/m2"), java.time.Instant.now().plusSeconds(5)))
        .containsEntry(ObjectTags.STATE, "quarantined").containsEntry(ObjectTags.RULE, "dmarc-reject");
    // One record, with what an aggregate report needs (docs/RECORDS.md); running again adds none.
    assertThat(h.records).singleElement().satisfies(r -> {
      assertThat(r.messageId()).isEqualTo("m2");
      assertThat(r.state()).isEqualTo("quarantined");
      assertThat(r.sourceIp()).isEqualTo("203.0.113.66");
      assertThat(r.headerFrom()).isEqualTo("sender.example");
      assertThat(r.dmarc().domain()).isEqualTo("sender.example");
      assertThat(r.dmarc().disposition()).isEqualTo("reject");
      assertThat(r.dmarc().rua()).containsExactly("mailto:dmarc-reports@sender.example");
      assertThat(r.actions()).extracting(a -> a.action()).containsExactly("quarantine");
    });
    Outcome again = h.run(ref, Harness.receipt("m2", "billing@sender.example", List.of("bob@mailgate.example"),
        verdicts(SesVerdict.FAIL, SesVerdict.GRAY, SesVerdict.FAIL, Disposition.REJECT), false), false);
    assertThat(again.skipped()).isTrue();
    assertThat(h.records).hasSize(1);
    assertThat(h.gateway.records().written()).isEqualTo(1);
  }

  @Test
  void aRecordThatCannotBeWrittenIsLoggedAndCountedAndTheMessageIsDeliveredAllTheSame() throws Exception {
    Harness h = new Harness(dir);
    h.recordSink = r -> {
      throw new java.io.IOException("S3 503 SlowDown");
    };
    MessageRef ref = h.put("m9", TestMessages.fromAlice("bob@mailgate.example"));
    Outcome o = h.run(ref, Harness.receipt("m9", "alice@sender.example", List.of("bob@mailgate.example"),
        verdicts(SesVerdict.PASS, SesVerdict.GRAY, SesVerdict.GRAY, null), false), false);
    assertThat(o.state()).isEqualTo(ObjectState.DELIVERED);
    assertThat(o.retryLater()).isFalse();
    assertThat(h.outbox.sent()).hasSize(1);
    assertThat(h.gateway.records().failures()).isEqualTo(1);
    assertThat(h.logs.toString(StandardCharsets.UTF_8)).contains("\"event\":\"record-write-failed\"")
        .contains("m9: java.io.IOException: S3 503 SlowDown");
  }

  @Test
  void dmarcQuarantineIsTaggedAndDeliveredWithTheVerdict() {
    Harness h = new Harness(dir);
    // lax.example publishes p=quarantine and does not authorize 203.0.113.9: our own DMARC check fails.
    MessageRef ref = h.put("m3", TestMessages.ses("news@lax.example", "203.0.113.9", "mail.lax.example",
        "bob@mailgate.example", "PASS", "PASS", "From: News <news@lax.example>\r\nTo: bob@mailgate.example\r\n"
            + "Subject: Hello\r\nMessage-ID: <m3@lax.example>", "Hello.\r\n"));
    Outcome o = h.run(ref, Harness.receipt("m3", "news@lax.example", List.of("bob@mailgate.example"),
        verdicts(SesVerdict.PASS, SesVerdict.FAIL, SesVerdict.FAIL, Disposition.QUARANTINE), false), false);
    assertThat(o.state()).isEqualTo(ObjectState.TAGGED);
    RawMessage sent = RawMessage.parse(h.outbox.sent().get(0).raw());
    assertThat(sent.header("Subject").orElseThrow().text()).isEqualTo("[SPAM] Hello");
    assertThat(sent.header("X-Mailgate-Verdict").orElseThrow().text())
        .startsWith("tag; rule=dmarc-quarantine;").contains("dmarc.disposition=quarantine").contains("by=gw-test");
  }

  @Test
  void aVirusFromTheStoredHeadersIsQuarantined() {
    Harness h = new Harness(dir);
    MessageRef ref = h.put("m4", TestMessages.ses("alice@sender.example", "192.0.2.10", "mail.sender.example",
        "bob@mailgate.example", "PASS", "FAIL", "From: alice@sender.example\r\nSubject: x", "x\r\n"));
    Outcome o = h.runS3(ref);
    assertThat(o.ses().source()).isEqualTo("headers");
    assertThat(o.verdict().rule()).isEqualTo("virus");
    assertThat(o.state()).isEqualTo(ObjectState.QUARANTINED);
    assertThat(h.outbox.sent()).isEmpty();
  }

  @Test
  void spamIsTaggedAndRelayedToItsRecipientAsTheStoredReceivedNamesIt() {
    Harness h = new Harness(dir);
    // bulk.example soft-fails 203.0.113.9 and publishes no DMARC record: SES's spam verdict decides (tag,
    // not bounce: the sender is not authenticated).
    MessageRef ref = h.put("m5", TestMessages.ses("promo@bulk.example", "203.0.113.9", "mail.bulk.example",
        "carol@mailgate.example", "FAIL", "PASS", "From: promo@bulk.example\r\nSubject: Offer", "x\r\n"));
    Outcome o = h.runS3(ref);
    assertThat(o.verdict().action()).isEqualTo(Action.TAG);
    assertThat(o.state()).isEqualTo(ObjectState.TAGGED);
    OutboxSender.Sent s = h.outbox.sent().get(0);
    assertThat(s.kind()).isEqualTo("relay");
    assertThat(s.from()).isEqualTo("promo@bulk.example");
    assertThat(s.to()).containsExactly("carol@mailgate.example");
  }

  @Test
  void anAuthenticatedSenderIsBouncedWhenARuleSaysSo() {
    Harness h = new Harness(dir);
    MessageRef ref = h.put("m6", TestMessages.ses("alice@sender.example", "192.0.2.10", "mail.sender.example",
        "bob@mailgate.example", "FAIL", "PASS", "From: alice@sender.example\r\nSubject: x", "x\r\n"));
    Outcome o = h.runS3(ref);
    assertThat(o.verdict().rule()).isEqualTo("refuse-bounces");
    assertThat(o.state()).isEqualTo(ObjectState.BOUNCED);
    OutboxSender.Sent s = h.outbox.sent().get(0);
    assertThat(s.kind()).isEqualTo("bounce");
    assertThat(s.to()).containsExactly("alice@sender.example");
  }

  @Test
  void aTemporaryDnsErrorIsRetriedByLambdaThenGetsTheSafeAction() {
    InMemoryResolver dns = InMemoryResolver.builder().timeout("sender.example", RecordType.TXT).build();
    Harness h = new Harness(dir, "", dns, Gateway.SES_MAX_MESSAGE_BYTES);
    MessageRef ref = h.put("m7", TestMessages.fromAlice("bob@mailgate.example"));
    SesReceipt r = Harness.receipt("m7", "alice@sender.example", List.of("bob@mailgate.example"),
        verdicts(SesVerdict.PASS, SesVerdict.GRAY, SesVerdict.GRAY, null), false);
    Outcome first = h.run(ref, r, false);
    assertThat(first.state()).isEqualTo(ObjectState.DEFERRED);
    assertThat(first.retryLater()).isTrue();
    assertThat(first.auth().spf().word()).isEqualTo("temperror");
    Outcome second = h.run(ref, r, false);
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.state()).isEqualTo(ObjectState.DEFERRED);
    Outcome last = h.run(ref, r, false);
    assertThat(last.attempt()).isEqualTo(3);
    assertThat(last.verdict().action()).isEqualTo(Action.TAG);
    assertThat(last.state()).isEqualTo(ObjectState.TAGGED);
    assertThat(last.retryLater()).isFalse();
    assertThat(h.outbox.sent()).hasSize(1);
  }

  @Test
  void aTemporaryDnsErrorInSyncModeIsRetriedOnceThenGetsTheSafeAction() {
    InMemoryResolver dns = InMemoryResolver.builder().timeout("sender.example", RecordType.TXT).logQueries(true).build();
    Harness h = new Harness(dir, "", dns, Gateway.SES_MAX_MESSAGE_BYTES);
    MessageRef ref = h.put("m8", TestMessages.fromAlice("bob@mailgate.example"));
    Outcome o = h.run(ref, Harness.receipt("m8", "alice@sender.example", List.of("bob@mailgate.example"),
        verdicts(SesVerdict.PASS, SesVerdict.GRAY, SesVerdict.GRAY, null), true), true);
    assertThat(o.verdict().rule()).isEqualTo("temperror");
    assertThat(o.state()).isEqualTo(ObjectState.TAGGED);
    assertThat(o.retryLater()).isFalse();
    assertThat(o.disposition()).isEqualTo(SyncDisposition.CONTINUE);
    assertThat(dns.queries()).filteredOn(q -> q.equals("TXT sender.example")).hasSize(2);
  }

  @Test
  void ourOwnLoopHeaderStopsTheMessage() {
    Harness h = new Harness(dir);
    MessageRef ref = h.put("m9", TestMessages.ses("alice@sender.example", "192.0.2.10", "mail.sender.example",
        "bob@mailgate.example", "PASS", "PASS", "X-Mailgate-Loop: gw-test\r\nFrom: alice@sender.example", "x\r\n"));
    Outcome o = h.runS3(ref);
    assertThat(o.verdict().rule()).isEqualTo("loop");
    assertThat(o.state()).isEqualTo(ObjectState.QUARANTINED);
    assertThat(h.outbox.sent()).isEmpty();
  }

  @Test
  void tooManyReceivedFieldsStopTheMessage() {
    Harness h = new Harness(dir);
    String received = "Received: from relay.example by relay2.example; Sat, 1 Jan 2026 00:00:00 +0000\r\n".repeat(51);
    MessageRef ref = h.put("m10", TestMessages.ses("alice@sender.example", "192.0.2.10", "mail.sender.example",
        "bob@mailgate.example", "PASS", "PASS", received + "From: alice@sender.example", "x\r\n"));
    Outcome o = h.runS3(ref);
    assertThat(o.verdict().reason()).contains("52 Received");
    assertThat(o.state()).isEqualTo(ObjectState.QUARANTINED);
  }

  @Test
  void aMessageOverTheLimitIsRejectedWithAClearState() throws Exception {
    Harness h = new Harness(dir, "", Harness.sampleDns(), 1024);
    MessageRef ref = h.put("m11", TestMessages.ses("alice@sender.example", "192.0.2.10", "mail.sender.example",
        "bob@mailgate.example", "PASS", "PASS", "From: alice@sender.example", "x".repeat(4096)));
    Outcome o = h.runS3(ref);
    assertThat(o.state()).isEqualTo(ObjectState.REJECTED);
    assertThat(o.detail()).contains("too large").contains("limit 1024");
    assertThat(o.retryLater()).isFalse();
    assertThat(h.local.tags(ref, java.time.Instant.now().plusSeconds(5))).containsEntry(ObjectTags.STATE, "rejected");
  }

  @Test
  void aMissingObjectFailsAnAsyncInvocationAndAnswersSyncMode() {
    Harness h = new Harness(dir);
    MessageRef ref = new MessageRef("bucket", "nope", "nope");
    Outcome async = h.runS3(ref);
    assertThat(async.state()).isEqualTo(ObjectState.MISSING);
    assertThat(async.retryLater()).isTrue();
    Outcome sync = h.run(ref, Harness.receipt("nope", "a@b.example", List.of("bob@mailgate.example"),
        SesVerdicts.NONE, true), true);
    assertThat(sync.retryLater()).isFalse();
    assertThat(sync.disposition()).isEqualTo(SyncDisposition.CONTINUE);
  }

  @Test
  void somethingThatIsNotAMessageIsRejected() {
    Harness h = new Harness(dir);
    MessageRef ref = h.put("m12", new byte[] {0, 1, 2, 3, '\n', 5});
    assertThat(h.runS3(ref).state()).isEqualTo(ObjectState.REJECTED);
  }

  @Test
  void aFinishedMessageIsNotProcessedAgain() {
    Harness h = new Harness(dir);
    MessageRef ref = h.put("m13", TestMessages.fromAlice("bob@mailgate.example"));
    h.runS3(ref);
    Outcome again = h.runS3(ref);
    assertThat(again.skipped()).isTrue();
    assertThat(again.state()).isEqualTo(ObjectState.DELIVERED);
    assertThat(h.outbox.sent()).hasSize(1);
  }

  @Test
  void aForwardToManyIsSentInGroupsOfFifty() {
    Harness h = new Harness(dir);
    MessageRef ref = h.put("m14", TestMessages.fromAlice("many@mailgate.example"));
    Outcome o = h.runS3(ref);
    assertThat(o.state()).isEqualTo(ObjectState.DELIVERED);
    assertThat(h.outbox.sent()).extracting(s -> s.to().size()).containsExactly(50, 50, 20);
  }

  @Test
  void aThrottledSendIsRetriedByTheNextInvocationAndSentOnce() {
    Harness h = new Harness(dir);
    h.sender.failNext(SendException.Kind.TRANSIENT);
    MessageRef ref = h.put("m15", TestMessages.fromAlice("bob@mailgate.example"));
    Outcome first = h.runS3(ref);
    assertThat(first.state()).isEqualTo(ObjectState.RETRY);
    assertThat(first.retryLater()).isTrue();
    assertThat(h.outbox.sent()).isEmpty();
    Outcome second = h.runS3(ref);
    assertThat(second.state()).isEqualTo(ObjectState.DELIVERED);
    assertThat(h.outbox.sent()).hasSize(1);
  }

  @Test
  void whenRecordingTheStateFailsTheRetryDoesNotDeliverAgain() {
    Harness h = new Harness(dir);
    h.store.fail("putTags", 2); // the final state and the best-effort retry state both fail
    MessageRef ref = h.put("m16", TestMessages.fromAlice("bob@mailgate.example"));
    Outcome first = h.runS3(ref);
    assertThat(first.retryLater()).isTrue();
    assertThat(h.outbox.sent()).hasSize(1);
    Outcome second = h.runS3(ref);
    assertThat(second.state()).isEqualTo(ObjectState.DELIVERED);
    assertThat(second.actions()).extracting(ActionResult::status).containsExactly(ActionResult.Status.ALREADY_DONE);
    assertThat(h.outbox.sent()).hasSize(1);
  }

  @Test
  void aPermanentRefusalIsRecordedAndNotRetried() {
    Harness h = new Harness(dir);
    h.sender.failNext(SendException.Kind.PERMANENT);
    MessageRef ref = h.put("m17", TestMessages.fromAlice("bob@mailgate.example"));
    Outcome o = h.runS3(ref);
    assertThat(o.state()).isEqualTo(ObjectState.FAILED);
    assertThat(o.retryLater()).isFalse();
    assertThat(h.runS3(ref).skipped()).isTrue();
  }

  @Test
  void anAnswerThatNeverCameLeavesTheMessageInDoubtAndUnsentAgain() {
    Harness h = new Harness(dir);
    h.sender.failNext(SendException.Kind.IN_DOUBT);
    MessageRef ref = h.put("m18", TestMessages.fromAlice("bob@mailgate.example"));
    Outcome o = h.runS3(ref);
    assertThat(o.state()).isEqualTo(ObjectState.IN_DOUBT);
    assertThat(o.retryLater()).isFalse();
    assertThat(h.sender.calls).hasValue(1);
  }

  @Test
  void inSyncModeAFailureStillAnswersSes() {
    Harness h = new Harness(dir);
    h.sender.failNext(SendException.Kind.TRANSIENT);
    MessageRef ref = h.put("m19", TestMessages.fromAlice("bob@mailgate.example"));
    Outcome o = h.run(ref, Harness.receipt("m19", "alice@sender.example", List.of("bob@mailgate.example"),
        SesVerdicts.NONE, true), true);
    assertThat(o.state()).isEqualTo(ObjectState.RETRY);
    assertThat(o.retryLater()).isFalse();
    assertThat(o.disposition()).isEqualTo(SyncDisposition.CONTINUE);
  }

  @Test
  void discardCanDeleteTheObject() {
    Harness h = new Harness(dir, "\"discard\": {\"deleteObject\": true}", Harness.sampleDns(),
        Gateway.SES_MAX_MESSAGE_BYTES);
    MessageRef ref = h.put("m20", TestMessages.fromAlice("noreply@mailgate.example"));
    Outcome o = h.runS3(ref);
    assertThat(o.state()).isEqualTo(ObjectState.DISCARDED);
    assertThat(Files.exists(dir.resolve("m20"))).isFalse();
  }

  @Test
  void aRecipientWithoutRouteIsDiscardedBesideTheOthers() {
    Harness h = new Harness(dir);
    MessageRef ref = h.put("m21", TestMessages.fromAlice("bob@mailgate.example"));
    Outcome o = h.run(ref, Harness.receipt("m21", "alice@sender.example",
        List.of("bob@mailgate.example", "x@elsewhere.example"), SesVerdicts.NONE, false), false);
    assertThat(o.actions()).extracting(ActionResult::action).containsExactly("forward", "discard");
    assertThat(o.state()).isEqualTo(ObjectState.DELIVERED);
  }

  @Test
  void eachMessageLogsOneJsonLineWithItsVerdictAndActions() throws Exception {
    Harness h = new Harness(dir);
    h.runS3(h.put("m22", TestMessages.fromAlice("bob@mailgate.example")));
    h.runS3(new MessageRef("bucket", "missing", "missing"));
    List<String> lines = h.logLines();
    assertThat(lines).hasSize(2);
    Map<String, Object> first = JSON.std.mapFrom(lines.get(0));
    assertThat(first).containsEntry("level", "INFO").containsEntry("event", "message").containsEntry("messageId", "m22")
        .containsEntry("state", "delivered").containsEntry("action", "deliver").containsKey("_aws");
    assertThat(first.get("verdict").toString()).contains("rule=clean");
    assertThat(first.get("actions").toString()).contains("status=done");
    assertThat(JSON.std.mapFrom(lines.get(1))).containsEntry("level", "ERROR").containsEntry("state", "missing");
    assertThat(new String(h.logs.toByteArray(), StandardCharsets.UTF_8)).endsWith("\n");
  }
}
