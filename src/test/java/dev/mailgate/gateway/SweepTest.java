package dev.mailgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgate.policy.SesVerdict;
import dev.mailgate.policy.SesVerdicts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep on a local folder: messages in every state, limits, dry run, reruns, in-doubt resolution. */
class SweepTest {
  @TempDir Path dir;

  private static final Instant FAR = Instant.now().plusSeconds(120);

  private static Invocation sweepInvocation() {
    return new Invocation(false, null, "sweep-1", FAR, "sweep");
  }

  /** Stores a message as if SES had written it {@code age} ago. */
  private static MessageRef put(Harness h, String id, Duration age) throws Exception {
    MessageRef ref = h.put(id, TestMessages.fromAlice("bob@mailgate.example"));
    Files.setLastModifiedTime(h.dir.resolve(id), FileTime.from(Instant.now().minus(age)));
    return ref;
  }

  private static SesReceipt receipt(String id, List<String> rcpt) {
    return Harness.receipt(id, "alice@sender.example", rcpt,
        new SesVerdicts(SesVerdict.PASS, SesVerdict.PASS, SesVerdict.PASS, SesVerdict.GRAY, SesVerdict.GRAY, null,
            "event"), false);
  }

  private static Sweep.Report sweep(Harness h, Sweep.Options o) throws StoreException {
    return new Sweep(h.gateway, Clock.systemUTC()).run(o, FAR, sweepInvocation());
  }

  private static Sweep.Options defaults() {
    return Sweep.Options.defaults("bucket", "");
  }

  private static Sweep.Item item(Sweep.Report r, String id) {
    return r.items().stream().filter(i -> i.messageId().equals(id)).findFirst().orElseThrow();
  }

  private static String state(Harness h, MessageRef ref) throws StoreException {
    return h.local.tags(ref, FAR).get(ObjectTags.STATE);
  }

  @Test
  void messagesInEveryStateGetWhatTheirStateCallsFor() throws Exception {
    Harness h = new Harness(dir);
    Duration hour = Duration.ofHours(1);
    // No state at all: re-driven only once its event can no longer come (6 h 15 min by default).
    MessageRef never = put(h, "never", Duration.ofHours(7));
    put(h, "waiting", hour);
    // Not stored by SES (no trace fields): someone's file in the bucket, never taken for mail.
    h.put("notes.txt", "Subject: my notes\r\n\r\nnot mail\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    Files.setLastModifiedTime(h.dir.resolve("notes.txt"), FileTime.from(Instant.now().minus(Duration.ofHours(8))));
    MessageRef retry = put(h, "retry", hour);
    MessageRef doubt = put(h, "doubt", hour);
    MessageRef failed = put(h, "failed", hour);
    MessageRef done = put(h, "done", hour);
    put(h, "fresh", Duration.ofMinutes(2));
    put(h, "old", Duration.ofDays(10));
    h.sender.failNext(SendException.Kind.TRANSIENT);
    assertThat(h.runS3(retry).state()).isEqualTo(ObjectState.RETRY);
    h.sender.failNext(SendException.Kind.IN_DOUBT);
    assertThat(h.runS3(doubt).state()).isEqualTo(ObjectState.IN_DOUBT);
    h.sender.failNext(SendException.Kind.PERMANENT);
    assertThat(h.runS3(failed).state()).isEqualTo(ObjectState.FAILED);
    assertThat(h.runS3(done).state()).isEqualTo(ObjectState.DELIVERED);
    int sendsBefore = h.sender.calls.get();
    h.outbox.clear();

    Sweep.Report r = sweep(h, defaults());

    // The delivery markers the runs wrote sit in the same folder: they are no messages. Three: sent (done),
    // failed (failed), sending (doubt); the transient failure's marker was deleted for the retry.
    assertThat(r.ignored()).isEqualTo(4); // and notes.txt
    assertThat(r.items()).noneMatch(i -> i.messageId().equals("notes.txt"));
    assertThat(h.local.tags(new MessageRef("bucket", "notes.txt", "notes.txt"), FAR)).isEmpty();
    assertThat(r.tooRecent()).isEqualTo(2); // "fresh", and "waiting", which may still get its event
    assertThat(r.tooOld()).isEqualTo(1);
    assertThat(r.finished()).isEqualTo(1);
    assertThat(r.items()).noneMatch(i -> i.messageId().equals("waiting"));
    assertThat(r.complete()).isTrue();
    assertThat(item(r, "never").kind()).isEqualTo(Sweep.Kind.REDRIVEN);
    assertThat(item(r, "never").before()).isNull();
    assertThat(item(r, "never").outcome().state()).isEqualTo(ObjectState.DELIVERED);
    assertThat(item(r, "retry").kind()).isEqualTo(Sweep.Kind.REDRIVEN);
    assertThat(item(r, "retry").before()).isEqualTo(ObjectState.RETRY);
    assertThat(item(r, "retry").outcome().state()).isEqualTo(ObjectState.DELIVERED);
    assertThat(item(r, "doubt").kind()).isEqualTo(Sweep.Kind.IN_DOUBT);
    assertThat(item(r, "doubt").details()).singleElement().asString().startsWith("forward-")
        .contains("never confirmed");
    assertThat(item(r, "failed").kind()).isEqualTo(Sweep.Kind.FAILED);
    assertThat(r.inDoubt()).isEqualTo(1);
    assertThat(r.stillPending()).isZero();
    // Exactly the two re-driven messages were sent: the in-doubt one was not.
    assertThat(h.outbox.sent()).extracting(OutboxSender.Sent::messageId).containsExactlyInAnyOrder("never", "retry");
    assertThat(h.sender.calls.get()).isEqualTo(sendsBefore + 2);
    assertThat(state(h, never)).isEqualTo("delivered");
    assertThat(state(h, retry)).isEqualTo("delivered");
    assertThat(state(h, doubt)).isEqualTo("in-doubt");
    assertThat(state(h, failed)).isEqualTo("failed");

    // A second run delivers nothing: everything re-driven is finished now.
    Sweep.Report again = sweep(h, defaults());
    assertThat(again.count(Sweep.Kind.REDRIVEN)).isZero();
    assertThat(again.finished()).isEqualTo(3);
    assertThat(again.inDoubt()).isEqualTo(1);
    assertThat(h.outbox.sent()).hasSize(2);
    assertThat(h.sender.calls.get()).isEqualTo(sendsBefore + 2);
  }

  @Test
  void aRetriedMessageWhoseFirstDeliveryWentOutSendsOnlyTheOtherOne() throws Exception {
    Harness h = new Harness(dir);
    MessageRef ref2 = put(h, "two-b", Duration.ofHours(1));
    // bob is forwarded, carol relayed: the first send goes out, the second fails for now.
    FailSecond failSecond = new FailSecond(h);
    Outcome partly = failSecond.run(ref2, receipt("two-b", List.of("bob@mailgate.example", "carol@mailgate.example")));
    assertThat(partly.state()).isEqualTo(ObjectState.RETRY);
    assertThat(h.outbox.sent()).hasSize(1);
    String sentFirst = h.outbox.sent().get(0).kind();

    Sweep.Report r = sweep(h, defaults());
    assertThat(item(r, "two-b").outcome().state()).isEqualTo(ObjectState.DELIVERED);
    // The delivery made before is not made again; the one that failed is made once. The envelope kept from
    // the SES event gave the sweep both recipients (the stored message names only bob).
    assertThat(h.outbox.sent()).extracting(OutboxSender.Sent::kind).containsExactlyInAnyOrder("forward", "relay");
    assertThat(h.outbox.sent().get(0).kind()).isEqualTo(sentFirst);
    sweep(h, defaults());
    assertThat(h.outbox.sent()).hasSize(2);
  }

  /** Runs a message with a sender that fails the second send of the run transiently. */
  private static final class FailSecond {
    final Harness h;

    FailSecond(Harness h) {
      this.h = h;
    }

    Outcome run(MessageRef ref, SesReceipt r) {
      int[] n = {0};
      MailSender failing = new MailSender() {
        private void count() throws SendException {
          if (++n[0] == 2) {
            throw new SendException(SendException.Kind.TRANSIENT, "scripted: second send fails");
          }
        }

        @Override
        public String forward(Forward mail, Instant deadline) throws SendException {
          count();
          return h.outbox.forward(mail, deadline);
        }

        @Override
        public String relay(Relay mail, Instant deadline) throws SendException {
          count();
          return h.outbox.relay(mail, deadline);
        }

        @Override
        public String bounce(Bounce mail, Instant deadline) throws SendException {
          count();
          return h.outbox.bounce(mail, deadline);
        }
      };
      Gateway g = Gateway.builder().policy(dev.mailgate.policy.Policy.of(h.gateway.config()))
          .authenticator(new dev.mailgate.authres.Authenticator(Harness.sampleDns(), Clock.systemUTC()), null)
          .store(h.store).sender(failing).build();
      return g.process(ref, FAR, new Invocation(false, r, "req", FAR, "ses"));
    }
  }

  @Test
  void aDryRunReportsAndChangesNothing() throws Exception {
    Harness h = new Harness(dir);
    MessageRef never = put(h, "never", Duration.ofHours(1));
    Sweep.Report r = sweep(h, new Sweep.Options("bucket", "", Duration.ofMinutes(15), Duration.ofDays(3), 50, 100,
        Duration.ofSeconds(30), true));
    assertThat(item(r, "never").kind()).isEqualTo(Sweep.Kind.WOULD_REDRIVE);
    assertThat(item(r, "never").outcome()).isNull();
    assertThat(h.outbox.sent()).isEmpty();
    assertThat(h.local.tags(never, FAR)).isEmpty();
    assertThat(Files.exists(dir.resolve("mailgate-state"))).isFalse();
  }

  @Test
  void theLimitsBoundARunAndTheRestIsLeftForTheNext() throws Exception {
    Harness h = new Harness(dir);
    for (int i = 0; i < 4; i++) {
      put(h, "m" + i, Duration.ofHours(5 - i)); // m0 oldest
    }
    Sweep.Report r = sweep(h, new Sweep.Options("bucket", "", Duration.ofMinutes(15), Duration.ofDays(3), 1, 3,
        Duration.ofSeconds(30), false));
    assertThat(r.items()).extracting(Sweep.Item::messageId).containsExactly("m0", "m1", "m2");
    assertThat(r.items()).extracting(Sweep.Item::kind).containsExactly(Sweep.Kind.REDRIVEN,
        Sweep.Kind.LEFT_FOR_NEXT_RUN, Sweep.Kind.LEFT_FOR_NEXT_RUN);
    assertThat(r.notExamined()).isEqualTo(1);
    assertThat(r.complete()).isFalse();
    assertThat(r.stoppedBy()).contains("examined 3 objects");
    assertThat(h.outbox.sent()).hasSize(1);
  }

  @Test
  void aDeadlineAlreadyPassedStopsBeforeListing() throws Exception {
    Harness h = new Harness(dir);
    put(h, "m", Duration.ofHours(1));
    Sweep.Report r = new Sweep(h.gateway, Clock.systemUTC()).run(defaults(), Instant.now().minusSeconds(1),
        sweepInvocation());
    assertThat(r.listed()).isZero();
    assertThat(r.complete()).isFalse();
    assertThat(r.stoppedBy()).contains("deadline");
    assertThat(h.outbox.sent()).isEmpty();
  }

  @Test
  void aListingFailureIsAStoreException() throws Exception {
    Harness h = new Harness(dir);
    h.store.fail("list", 1);
    assertThatThrownBy(() -> sweep(h, defaults())).isInstanceOf(StoreException.class)
        .hasMessageContaining("scripted failure of list");
  }

  @Test
  void aPersonResolvesADoubtEitherWay() throws Exception {
    Harness h = new Harness(dir);
    MessageRef resend = put(h, "resend", Duration.ofHours(1));
    MessageRef sent = put(h, "sent", Duration.ofHours(1));
    h.sender.failNext(SendException.Kind.IN_DOUBT, SendException.Kind.IN_DOUBT);
    h.runS3(resend);
    h.runS3(sent);
    h.outbox.clear();
    // Claims expire a minute after the invocation's end: a clock an hour ahead sees them expired.
    Sweep later = new Sweep(h.gateway, Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
    assertThat(later.resolve(resend, Sweep.Resolution.RESEND, FAR.plus(Duration.ofHours(1))))
        .singleElement().asString().startsWith("forward-");
    assertThat(later.resolve(sent, Sweep.Resolution.SENT, FAR.plus(Duration.ofHours(1)))).hasSize(1);
    assertThat(state(h, resend)).isEqualTo("retry");
    assertThat(state(h, sent)).isEqualTo("delivered");
    assertThatThrownBy(() -> later.resolve(sent, Sweep.Resolution.RESEND, FAR.plus(Duration.ofHours(1))))
        .hasMessageContaining("not in doubt");

    Sweep.Report r = sweep(h, defaults());
    assertThat(item(r, "resend").outcome().state()).isEqualTo(ObjectState.DELIVERED);
    assertThat(r.finished()).isEqualTo(1);
    assertThat(h.outbox.sent()).extracting(OutboxSender.Sent::messageId).containsExactly("resend");
  }

  /**
   * A message resolved as resend may be older than the sweep's window, which no run looks at: redrive
   * sends it right away (what `mailgate sweep --resolve ID=resend` does), and only once.
   */
  @Test
  void aResendOlderThanTheWindowIsSentByRedriveNotLeftInRetry() throws Exception {
    Harness h = new Harness(dir);
    MessageRef old = put(h, "old", Sweep.Options.DEFAULT_MAX_AGE.plus(Duration.ofHours(2)));
    h.sender.failNext(SendException.Kind.IN_DOUBT);
    h.runS3(old);
    h.outbox.clear();
    Sweep later = new Sweep(h.gateway, Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
    later.resolve(old, Sweep.Resolution.RESEND, FAR.plus(Duration.ofHours(1)));
    Sweep.Report r = sweep(h, defaults());
    assertThat(r.tooOld()).isEqualTo(1); // the window's edge: a plain run would leave it in retry
    assertThat(state(h, old)).isEqualTo("retry");
    assertThat(later.redrive(old, FAR, sweepInvocation()).state()).isEqualTo(ObjectState.DELIVERED);
    assertThat(later.redrive(old, FAR, sweepInvocation()).skipped()).isTrue();
    assertThat(h.outbox.sent()).extracting(OutboxSender.Sent::messageId).containsExactly("old");
  }

  /**
   * Markers expire with the state prefix (StateRetentionDays) while the message and its in-doubt tag
   * stay: a resend then could not tell confirmed deliveries from the doubtful one, so it is refused.
   */
  @Test
  void aResendWhoseMarkersExpiredIsRefused() throws Exception {
    Harness h = new Harness(dir);
    MessageRef ref = put(h, "expired", Duration.ofHours(1));
    h.sender.failNext(SendException.Kind.IN_DOUBT);
    h.runS3(ref);
    Path markers = dir.resolve("mailgate-state/expired");
    try (var files = Files.list(markers)) {
      for (Path f : files.filter(f -> !f.getFileName().toString().equals(EnvelopeRecord.NAME)).toList()) {
        Files.delete(f); // what the lifecycle rule does after StateRetentionDays
      }
    }
    Sweep later = new Sweep(h.gateway, Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
    assertThatThrownBy(() -> later.resolve(ref, Sweep.Resolution.RESEND, FAR.plus(Duration.ofHours(1))))
        .isInstanceOf(StoreException.class).hasMessageContaining("no unconfirmed delivery marker");
    assertThat(state(h, ref)).isEqualTo("in-doubt");
    assertThat(later.resolve(ref, Sweep.Resolution.SENT, FAR.plus(Duration.ofHours(1)))).isEmpty();
    assertThat(state(h, ref)).isEqualTo("delivered");
  }

  @Test
  void aClaimNotExpiredYetIsNotResolved() throws Exception {
    Harness h = new Harness(dir);
    MessageRef ref = put(h, "m", Duration.ofHours(1));
    h.sender.failNext(SendException.Kind.IN_DOUBT);
    h.runS3(ref);
    // With the real clock the claim still runs (a live invocation might yet confirm it): nothing changes.
    assertThatThrownBy(() -> new Sweep(h.gateway, Clock.systemUTC()).resolve(ref, Sweep.Resolution.RESEND,
        FAR)).isInstanceOf(StoreException.class).hasMessageContaining("has not expired");
    assertThat(state(h, ref)).isEqualTo("in-doubt");
  }
}
