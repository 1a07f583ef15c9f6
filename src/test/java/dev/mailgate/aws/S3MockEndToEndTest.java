package dev.mailgate.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.dns.RecordType;
import dev.mailgate.gateway.Harness;
import dev.mailgate.gateway.TestMessages;
import dev.mailgate.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End to end: the handlers, the real S3 client against S3Mock, SES calls by the real SDK to a recording
 * loopback endpoint, SMTP relays to GreenMail. A message of every verdict class reaches its action.
 */
@ExtendWith(S3MockResolver.class)
class S3MockEndToEndTest {
  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(
      new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort()).withPerMethodLifecycle(true);

  private EndToEnd e2e;
  private LocalContext ctx;

  @BeforeEach
  void start(S3MockServer s3mock) throws Exception {
    e2e = new EndToEnd(s3mock, SMTP.getSmtp().getPort(), Harness.sampleDns());
    ctx = new LocalContext(30_000, System.err);
  }

  @AfterEach
  void stop() {
    e2e.close();
  }

  private static byte[] fromAlice(String rcpt, String spam, String virus, String extraHeader) {
    return TestMessages.ses("alice@sender.example", "192.0.2.10", "mail.sender.example", rcpt, spam, virus,
        extraHeader + "From: Alice <alice@sender.example>\r\nTo: " + rcpt + "\r\nSubject: Hello\r\n"
            + "Message-ID: <m@sender.example>", "Hello.\r\n");
  }

  private Map<String, Object> event(String id, String rcpt, boolean sync, String dmarc, String policy, String spam,
      String virus) throws Exception {
    return EndToEnd.sesEvent(id, "alice@sender.example", List.of(rcpt), sync, "PASS", "GRAY", dmarc, policy, spam,
        virus);
  }

  @Test
  void cleanMailIsForwardedThroughSesV2AndTheAnswerIsContinue() throws Exception {
    String id = e2e.store(fromAlice("bob@mailgate.example", "PASS", "PASS", ""));
    Map<String, String> answer = e2e.sesHandler().handleRequest(
        event(id, "bob@mailgate.example", true, "GRAY", null, "PASS", "PASS"), ctx);
    assertThat(answer).containsExactly(Map.entry("disposition", "CONTINUE"));
    assertThat(e2e.ses.calls).singleElement().satisfies(c -> {
      assertThat(c.action()).isEqualTo("SendEmail");
      assertThat(c.from()).isEqualTo("forwarder@mailgate.example");
      assertThat(c.destinations()).containsExactly("bob@elsewhere.example");
      RawMessage sent = RawMessage.parse(c.raw());
      assertThat(sent.header("From").orElseThrow().text()).isEqualTo("\"Alice via mailgate.example\" <forwarder@mailgate.example>");
      assertThat(sent.headers().get(1).text()).startsWith("mx.mailgate.example;");
      assertThat(sent.headers("Return-Path")).isEmpty();
      assertThat(c.raw().length).isGreaterThan(300);
    });
    assertThat(e2e.tags("inbound/" + id)).containsEntry("mailgate-state", "delivered")
        .containsEntry("mailgate-action", "deliver");
    // The delivery marker sits next to the message.
    assertThat(e2e.proxy.count(r -> r.method().equals("PUT") && r.pathAndQuery().contains("/mailgate-state/" + id + "/forward-")
        && r.headers().containsKey("if-none-match"))).isEqualTo(1);
  }

  @Test
  void mailForTheServerBehindTheGatewayIsRelayedOverSmtp() throws Exception {
    String id = e2e.store(fromAlice("carol@mailgate.example", "PASS", "PASS", ""));
    e2e.sesHandler().handleRequest(event(id, "carol@mailgate.example", false, "GRAY", null, "PASS", "PASS"), ctx);
    assertThat(SMTP.getReceivedMessages()).hasSize(1);
    assertThat(SMTP.getReceivedMessages()[0].getHeader("X-Mailgate-Loop")).containsExactly("gw-e2e");
    // GreenMail's Return-Path (our MAIL FROM) on top, then the one SES wrote: relayed unchanged.
    assertThat(SMTP.getReceivedMessages()[0].getHeader("Return-Path")).containsExactly("<alice@sender.example>",
        "<alice@sender.example>");
    assertThat(e2e.ses.calls).isEmpty();
    assertThat(e2e.tags("inbound/" + id)).containsEntry("mailgate-state", "delivered");
  }

  @Test
  void dmarcRejectIsQuarantinedAndSesToldToStop() throws Exception {
    // From alice@sender.example (p=reject) but through 203.0.113.9, which its SPF record does not list.
    String id = e2e.store(TestMessages.ses("alice@sender.example", "203.0.113.9", "mail.forged.example",
        "bob@mailgate.example", "PASS", "PASS", "From: Alice <alice@sender.example>\r\nTo: bob@mailgate.example\r\n"
            + "Subject: Hello\r\nMessage-ID: <m@forged.example>", "Hello.\r\n"));
    Map<String, String> answer = e2e.sesHandler().handleRequest(
        event(id, "bob@mailgate.example", true, "FAIL", "reject", "PASS", "PASS"), ctx);
    assertThat(answer).containsExactly(Map.entry("disposition", "STOP_RULE_SET"));
    assertThat(e2e.ses.calls).isEmpty();
    assertThat(e2e.exists("quarantine/" + id)).isTrue();
    assertThat(e2e.tags("quarantine/" + id)).containsEntry("mailgate-state", "quarantined")
        .containsEntry("mailgate-rule", "dmarc-reject");
    assertThat(e2e.tags("inbound/" + id)).containsEntry("mailgate-state", "quarantined");
  }

  @Test
  void dmarcQuarantineIsTaggedAndForwarded() throws Exception {
    // lax.example publishes p=quarantine and does not authorize 203.0.113.9.
    String id = e2e.store(TestMessages.ses("news@lax.example", "203.0.113.9", "mail.lax.example",
        "bob@mailgate.example", "PASS", "PASS", "From: News <news@lax.example>\r\nTo: bob@mailgate.example\r\n"
            + "Subject: Hello\r\nMessage-ID: <m@lax.example>", "Hello.\r\n"));
    e2e.sesHandler().handleRequest(event(id, "bob@mailgate.example", false, "FAIL", "quarantine", "PASS", "PASS"), ctx);
    RawMessage sent = RawMessage.parse(e2e.ses.accepted().get(0).raw());
    assertThat(sent.header("Subject").orElseThrow().text()).isEqualTo("[SPAM] Hello");
    assertThat(sent.header("X-Mailgate-Verdict").orElseThrow().text()).startsWith("tag; rule=dmarc-quarantine;");
    assertThat(e2e.tags("inbound/" + id)).containsEntry("mailgate-state", "tagged");
  }

  @Test
  void aVirusIsQuarantined() throws Exception {
    String id = e2e.store(fromAlice("bob@mailgate.example", "PASS", "FAIL", ""));
    e2e.sesHandler().handleRequest(event(id, "bob@mailgate.example", false, "GRAY", null, "PASS", "FAIL"), ctx);
    assertThat(e2e.ses.calls).isEmpty();
    assertThat(e2e.tags("inbound/" + id)).containsEntry("mailgate-state", "quarantined").containsEntry("mailgate-rule", "virus");
  }

  @Test
  void spamFromAnUnauthenticatedSenderIsTaggedAndRelayed() throws Exception {
    byte[] msg = TestMessages.ses("promo@deals.example", "203.0.113.5", "mx.deals.example", "carol@mailgate.example",
        "FAIL", "PASS", "From: promo@deals.example\r\nSubject: Offer", "x\r\n");
    String id = e2e.store(msg);
    e2e.s3Handler().handleRequest(EndToEnd.s3Event("inbound/" + id), ctx);
    assertThat(SMTP.getReceivedMessages()).hasSize(1);
    assertThat(SMTP.getReceivedMessages()[0].getSubject()).isEqualTo("[SPAM] Offer");
    assertThat(e2e.tags("inbound/" + id)).containsEntry("mailgate-state", "tagged");
  }

  @Test
  void spamFromAnAuthenticatedSenderIsBouncedThroughSesV1() throws Exception {
    String id = e2e.store(fromAlice("bob@mailgate.example", "FAIL", "PASS", ""));
    e2e.sesHandler().handleRequest(event(id, "bob@mailgate.example", false, "GRAY", null, "FAIL", "PASS"), ctx);
    assertThat(e2e.ses.calls).singleElement().satisfies(c -> {
      assertThat(c.action()).isEqualTo("SendBounce");
      assertThat(c.params()).containsEntry("OriginalMessageId", id).containsEntry("BounceSender", "mailer-daemon@mailgate.example")
          .containsEntry("BouncedRecipientInfoList.member.1.BounceType", "ContentRejected");
      assertThat(c.destinations()).containsExactly("bob@mailgate.example");
    });
    assertThat(e2e.tags("inbound/" + id)).containsEntry("mailgate-state", "bounced");
  }

  @Test
  void ourOwnMailComingBackIsStopped() throws Exception {
    String id = e2e.store(fromAlice("bob@mailgate.example", "PASS", "PASS", "X-Mailgate-Loop: gw-e2e\r\n"));
    e2e.sesHandler().handleRequest(event(id, "bob@mailgate.example", false, "GRAY", null, "PASS", "PASS"), ctx);
    assertThat(e2e.ses.calls).isEmpty();
    assertThat(e2e.tags("inbound/" + id)).containsEntry("mailgate-rule", "loop");
  }

  @Test
  void theSameEventDeliveredThreeTimesIsForwardedOnce() throws Exception {
    String id = e2e.store(fromAlice("bob@mailgate.example", "PASS", "PASS", ""));
    for (int i = 0; i < 3; i++) {
      e2e.sesHandler().handleRequest(event(id, "bob@mailgate.example", false, "GRAY", null, "PASS", "PASS"), ctx);
    }
    assertThat(e2e.ses.calls).hasSize(1);
    assertThat(e2e.logLines()).extracting(l -> l.get("skipped")).containsExactly(null, true, true);
  }

  @Test
  void theSameEventRunningThreeTimesAtOnceIsForwardedOnce() throws Exception {
    String id = e2e.store(fromAlice("bob@mailgate.example", "PASS", "PASS", ""));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<Object>> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Map<String, Object> ev = event(id, "bob@mailgate.example", false, "GRAY", null, "PASS", "PASS");
      runs.add(pool.submit(() -> e2e.sesHandler().handleRequest(ev, new LocalContext(30_000, System.err))));
    }
    int failed = 0;
    for (Future<Object> f : runs) {
      try {
        f.get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(RetryLaterException.class); // found another invocation sending
        failed++;
      }
    }
    pool.shutdownNow();
    // Lambda retries the failed ones; they find the message done.
    for (int i = 0; i < failed; i++) {
      // A new invocation gets a new time budget (the shared ctx's began when the test did).
      e2e.sesHandler().handleRequest(event(id, "bob@mailgate.example", false, "GRAY", null, "PASS", "PASS"),
          new LocalContext(30_000, System.err));
    }
    assertThat(e2e.ses.accepted()).hasSize(1);
    assertThat(e2e.tags("inbound/" + id)).containsEntry("mailgate-state", "delivered");
  }

  @Test
  void aDnsTimeoutDefersTwiceThenTagsAndDelivers(S3MockServer s3mock) throws Exception {
    InMemoryResolver dns = InMemoryResolver.builder().timeout("sender.example", RecordType.TXT).build();
    try (EndToEnd slow = new EndToEnd(s3mock, SMTP.getSmtp().getPort(), dns)) {
      String id = slow.store(fromAlice("bob@mailgate.example", "PASS", "PASS", ""));
      Map<String, Object> ev = event(id, "bob@mailgate.example", false, "GRAY", null, "PASS", "PASS");
      for (int attempt = 1; attempt <= 2; attempt++) {
        assertThatThrownBy(() -> slow.sesHandler().handleRequest(ev, ctx)).isInstanceOf(RetryLaterException.class)
            .hasMessageContaining("deferred");
        assertThat(slow.tags("inbound/" + id)).containsEntry("mailgate-state", "deferred")
            .containsEntry("mailgate-attempts", Integer.toString(attempt));
      }
      slow.sesHandler().handleRequest(ev, ctx);
      assertThat(slow.ses.accepted()).singleElement().satisfies(c -> assertThat(
          RawMessage.parse(c.raw()).header("X-Mailgate-Verdict").orElseThrow().text()).startsWith("tag; rule=temperror;"));
      assertThat(slow.tags("inbound/" + id)).containsEntry("mailgate-state", "tagged").containsEntry("mailgate-attempts", "3");
    }
  }

  @Test
  void aFortyMegabyteMessageIsForwardedAndALargerOneRejectedUnread() throws Exception {
    StringBuilder body = new StringBuilder(40 * 1024 * 1024);
    String line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n";
    byte[] head = fromAlice("bob@mailgate.example", "PASS", "PASS", "");
    while (head.length + body.length() + line.length() < Gateway40MB.LIMIT - 4096) {
      body.append(line);
    }
    byte[] big = new byte[head.length + body.length()];
    System.arraycopy(head, 0, big, 0, head.length);
    System.arraycopy(body.toString().getBytes(StandardCharsets.US_ASCII), 0, big, head.length, body.length());
    String id = e2e.store(big);
    e2e.sesHandler().handleRequest(event(id, "bob@mailgate.example", false, "GRAY", null, "PASS", "PASS"), ctx);
    assertThat(e2e.ses.accepted()).singleElement().satisfies(c -> {
      assertThat(c.raw().length).isGreaterThan(big.length).isLessThanOrEqualTo(Gateway40MB.LIMIT);
      RawMessage sent = RawMessage.parse(c.raw());
      assertThat(sent.bodyLength()).isEqualTo(RawMessage.parse(big).bodyLength());
    });

    byte[] tooBig = new byte[Gateway40MB.LIMIT + 1];
    System.arraycopy(head, 0, tooBig, 0, head.length);
    java.util.Arrays.fill(tooBig, head.length, tooBig.length, (byte) 'x');
    String id2 = e2e.store(tooBig);
    e2e.sesHandler().handleRequest(event(id2, "bob@mailgate.example", false, "GRAY", null, "PASS", "PASS"), ctx);
    assertThat(e2e.ses.accepted()).hasSize(1);
    assertThat(e2e.tags("inbound/" + id2)).containsEntry("mailgate-state", "rejected");
    assertThat(e2e.tags("inbound/" + id2).get("mailgate-detail")).contains("too large");
  }

  @Test
  void truncatedEventHeadersDoNotMatterTheObjectIsRead() throws Exception {
    String id = e2e.store(fromAlice("bob@mailgate.example", "PASS", "PASS", ""));
    Map<String, Object> ev = event(id, "bob@mailgate.example", false, "GRAY", null, "PASS", "PASS");
    @SuppressWarnings("unchecked")
    Map<String, Object> mail = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
        ((List<Object>) ev.get("Records")).get(0)).get("ses")).get("mail");
    mail.put("headersTruncated", true);
    mail.put("headers", List.of());
    e2e.sesHandler().handleRequest(ev, ctx);
    assertThat(e2e.ses.accepted()).hasSize(1);
  }

  @Test
  void aMissingObjectFailsAnAsyncInvocationAndIsAnsweredInSyncMode() throws Exception {
    assertThatThrownBy(() -> e2e.sesHandler().handleRequest(
        event("not-there", "bob@mailgate.example", false, "GRAY", null, "PASS", "PASS"), ctx))
        .isInstanceOf(RetryLaterException.class).hasMessageContaining("not-there (missing");
    assertThat(e2e.sesHandler().handleRequest(
        event("not-there", "bob@mailgate.example", true, "GRAY", null, "PASS", "PASS"), ctx))
        .containsExactly(Map.entry("disposition", "CONTINUE"));
    assertThat(e2e.logLines()).extracting(l -> l.get("state")).containsExactly("missing", "missing");
  }

  @Test
  void aMalformedEventFailsTheInvocationAndIsLogged() throws Exception {
    Map<String, Object> ev = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom("{\"Records\":[{\"eventSource\":\"aws:ses\"}]}");
    assertThatThrownBy(() -> e2e.sesHandler().handleRequest(ev, ctx)).isInstanceOf(RetryLaterException.class)
        .hasMessageContaining("$.Records[0].ses");
    assertThat(e2e.logLines()).singleElement().satisfies(l -> assertThat(l).containsEntry("level", "ERROR")
        .containsEntry("event", "malformed-ses-event"));
  }

  @Test
  void everyMessageLogsOneJsonLine() throws Exception {
    String a = e2e.store(fromAlice("bob@mailgate.example", "PASS", "PASS", ""));
    String b = e2e.store(fromAlice("bob@mailgate.example", "PASS", "FAIL", ""));
    e2e.sesHandler().handleRequest(event(a, "bob@mailgate.example", false, "GRAY", null, "PASS", "PASS"), ctx);
    e2e.sesHandler().handleRequest(event(b, "bob@mailgate.example", false, "GRAY", null, "PASS", "FAIL"), ctx);
    List<Map<String, Object>> lines = e2e.logLines();
    assertThat(lines).hasSize(2);
    assertThat(lines).extracting(l -> l.get("messageId")).containsExactly(a, b);
    assertThat(lines).extracting(l -> l.get("state")).containsExactly("delivered", "quarantined");
    assertThat(lines.get(0).get("actions").toString()).contains("forward", "bob@elsewhere.example", "done");
  }

  /** SES's receiving limit, which is also SendEmail's. */
  static final class Gateway40MB {
    static final int LIMIT = (int) dev.mailgate.gateway.Gateway.SES_MAX_MESSAGE_BYTES;
  }
}
