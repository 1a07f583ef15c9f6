package dev.mailgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mailgate sweep} on a local bucket folder after {@code mailgate invoke} ran on part of it. */
class SweepCommandTest {
  static final String SYNC = "7d1d4a7bq3f1gk0m0a4nl2qkfl3c3h5mc9r1hkg1";
  static final String ASYNC = "k3n8qv1t0m5p2r7s9u4w6y8a0c2e4g6i8k0m2o4q";
  static final String S3 = "0s2u4w6y8a1c3e5g7i9k1m3o5q7s9u1w3y5a7c9e";

  @TempDir Path tmp;
  Path bucket;
  Path state;
  Path outbox;

  @BeforeEach
  void copyTheSampleBucketStoredAnHourAgo() throws IOException {
    bucket = tmp.resolve("bucket");
    state = tmp.resolve("state");
    outbox = tmp.resolve("outbox");
    Files.createDirectories(bucket);
    for (String id : List.of(SYNC, ASYNC, S3)) {
      Files.copy(Path.of("events/bucket", id), bucket.resolve(id));
      Files.setLastModifiedTime(bucket.resolve(id), FileTime.from(Instant.now().minusSeconds(3600)));
    }
  }

  private VerifyCommandTest.Run sweep(String... more) {
    String[] base = {"sweep", "--bucket-dir", bucket.toString(), "--state-dir", state.toString(), "--config",
        "events/config.json", "--dns-fixture", "events/dns-fixture.zone", "--outbox", outbox.toString(),
        "--unprocessed-grace-minutes", "0"};
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return VerifyCommandTest.run(args);
  }

  private long outboxMessages() throws IOException {
    if (!Files.isDirectory(outbox)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(outbox)) {
      return s.filter(p -> p.toString().endsWith(".eml")).count();
    }
  }

  @Test
  void theMessagesInvokeDidNotReachAreRedrivenAndARerunSendsNothing() throws IOException {
    VerifyCommandTest.Run invoked = VerifyCommandTest.run("invoke", "--bucket-dir", bucket.toString(), "--state-dir",
        state.toString(), "--config", "events/config.json", "--dns-fixture", "events/dns-fixture.zone", "--outbox",
        outbox.toString(), "events/ses-sync.json");
    assertThat(invoked.exit()).as(invoked.err()).isZero();
    assertThat(outboxMessages()).isEqualTo(1);

    VerifyCommandTest.Run r = sweep();
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    // The forward's delivery record and the message record invoke wrote are listed too (no prefix here):
    // not messages.
    assertThat(r.out()).contains("listed 5: 2 not messages, ", "1 finished")
        .contains(ASYNC + " (never processed, stored ").contains("re-driven: quarantined")
        .contains(S3 + " (never processed, stored ").contains("re-driven: tagged")
        .contains("summary: 2 re-driven (0 still not finished), 0 in doubt, 0 failed, 0 left for the next run; complete");
    assertThat(outboxMessages()).isEqualTo(2); // the sync one's forward and the tagged one's relay

    VerifyCommandTest.Run again = sweep("--json");
    assertThat(again.exit()).isZero();
    Map<String, Object> report = again.json().get(0);
    assertThat(report).containsEntry("redriven", 0).containsEntry("finished", 3).containsEntry("complete", true);
    assertThat(outboxMessages()).isEqualTo(2);
    assertThat(Path.of("events/bucket/.mailgate-local")).doesNotExist();
  }

  @Test
  void aMessageInDoubtIsListedNotResentAndSentOnceAPersonSaysResend() throws IOException {
    // What the gateway leaves when a forward got no answer: an expired claim and the state in-doubt.
    Files.createDirectories(state.resolve("mailgate-state/" + SYNC));
    Files.writeString(state.resolve("mailgate-state/" + SYNC + "/forward-e0a2f9852119c631"), "{\"state\":\"sending\","
        + "\"token\":\"t\",\"claimed\":\"2026-11-28T09:14:10Z\",\"expires\":\"2026-11-28T09:16:10Z\"}");
    Files.createDirectories(state.resolve(".mailgate-local/tags"));
    Files.writeString(state.resolve(".mailgate-local/tags/" + SYNC + ".json"),
        "{\"mailgate-state\":\"in-doubt\",\"mailgate-action\":\"deliver\",\"mailgate-attempts\":\"1\"}");

    VerifyCommandTest.Run r = sweep("--limit", "0");
    assertThat(r.exit()).isEqualTo(ExitCodes.INPUT_ERROR);
    assertThat(r.out()).contains(SYNC + " (in-doubt, stored ").contains("IN DOUBT: not re-sent")
        .contains("forward-e0a2f9852119c631: claimed 2026-11-28T09:14:10Z, never confirmed: may have been sent")
        .contains("--resolve " + SYNC + "=sent (it did) or --resolve " + SYNC + "=resend (it did not)")
        .contains(ASYNC + " (never processed, stored ").contains("left for the next run (--limit reached)");
    assertThat(outboxMessages()).isZero();

    VerifyCommandTest.Run resolved = sweep("--resolve", SYNC + "=resend");
    assertThat(resolved.exit()).as(resolved.out() + resolved.err()).isZero();
    assertThat(resolved.err()).contains(SYNC + ": resolved as resend (forward-e0a2f9852119c631)")
        .contains(SYNC + ": sent again: delivered");
    // The resent forward, and the relay of the tagged message now past the limit; the third is quarantined.
    assertThat(outboxMessages()).isEqualTo(2);
    try (Stream<Path> s = Files.list(outbox)) {
      assertThat(s.map(p -> p.getFileName().toString())).contains(SYNC + "-forward-e0a2f9852119c631.eml");
    }
  }

  @Test
  void aDryRunSaysWhatItWouldDoAndWritesNothing() throws IOException {
    VerifyCommandTest.Run r = sweep("--dry-run");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("(dry run: nothing written or sent)").contains("would be re-driven")
        .contains("3 would be re-driven");
    assertThat(state).doesNotExist();
    assertThat(outboxMessages()).isZero();
  }

  @Test
  void theGracePeriodLeavesNewMessagesAlone() throws IOException {
    Files.setLastModifiedTime(bucket.resolve(SYNC), FileTime.from(Instant.now()));
    VerifyCommandTest.Run r = sweep("--dry-run", "--grace-minutes", "30");
    assertThat(r.out()).contains("1 stored less than 30 min ago").contains("2 would be re-driven");
  }

  @Test
  void usageErrorsNameTheOption() {
    VerifyCommandTest.Run r = VerifyCommandTest.run("sweep", "--config", "events/config.json");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("a local sweep needs --bucket-dir and --config (or use --aws)");
    assertThat(sweep("--resolve", SYNC + "=maybe").err())
        .contains("--resolve: expected MESSAGE-ID=sent or MESSAGE-ID=resend, not '" + SYNC + "=maybe'");
    assertThat(sweep("--resolve", SYNC + "=sent", "--dry-run").err()).contains("--resolve changes state: not with --dry-run");
    assertThat(sweep("--max-age-hours", "0").err()).contains("the maximum age must be longer than the grace period");
    assertThat(VerifyCommandTest.run("sweep", "--aws", "--bucket-dir", "x").err())
        .contains("--bucket-dir, --state-dir, --dns and --dns-fixture are for local sweeps");
  }
}
