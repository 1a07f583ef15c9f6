package dev.mailgate.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.gateway.GatewayLog;
import dev.mailgate.gateway.Harness;
import dev.mailgate.gateway.LocalFolderStore;
import dev.mailgate.gateway.MessageRef;
import dev.mailgate.gateway.OutboxSender;
import dev.mailgate.policy.PolicyConfigParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deadlines from the Lambda context, where SES events find their message, and the SnapStart warm-up. */
class RuntimeAndPrimingTest {
  @TempDir Path dir;

  private GatewayRuntime runtime() throws Exception {
    return LocalRuntime.of(LocalFolderStore.of(dir), OutboxSender.inMemory(), Harness.sampleDns(),
        Files.readString(Path.of("events/config.json")), GatewayLog.NONE);
  }

  @Test
  void theDeadlineKeepsTheSafetyMarginAndSyncModeStaysWithinSesThirtySeconds() throws Exception {
    GatewayRuntime rt = runtime(); // 25 s sync budget, 1.5 s margin
    Instant now = Instant.parse("2026-11-28T09:00:00Z");
    assertThat(rt.deadline(now, 60_000, false)).isEqualTo(now.plusMillis(58_500));
    assertThat(rt.deadline(now, 60_000, true)).isEqualTo(now.plusSeconds(25));
    assertThat(rt.deadline(now, 10_000, true)).isEqualTo(now.plusMillis(8_500));
    assertThat(rt.deadline(now, 1_000, false)).isEqualTo(now);
  }

  @Test
  void anSesEventFindsItsMessageByPrefixAndIdUnlessItNamesTheObject() throws Exception {
    GatewayRuntime rt = runtime();
    SesEvent.Mail mail = new SesEvent.Mail(null, "a@b.example", "abc", List.of(), false, List.of(), null);
    SesEvent.Receipt lambda = new SesEvent.Receipt(null, null, List.of(), null, null, null, null, null, null,
        new SesEvent.Action("Lambda", "arn", "Event", null, null, null));
    SesEvent.Receipt s3 = new SesEvent.Receipt(null, null, List.of(), null, null, null, null, null, null,
        new SesEvent.Action("S3", null, null, "other-bucket", "in/abc", "arn:t"));
    assertThat(SesReceiptHandler.ref(rt, new SesEvent.Record("aws:ses", mail, lambda)))
        .isEqualTo(new MessageRef("mailgate-local", "abc", "abc"));
    assertThat(SesReceiptHandler.ref(rt, new SesEvent.Record("aws:sns", mail, s3)))
        .isEqualTo(new MessageRef("other-bucket", "in/abc", "abc"));
  }

  @Test
  void primingRunsThePipelineWithoutTouchingAnything() throws Exception {
    int rounds = Priming.warmUp(PolicyConfigParser.parse(Files.readString(Path.of("events/config.json")), "t"), 3);
    assertThat(rounds).isEqualTo(3);
  }

  /**
   * Priming must exercise the paths that pass (a sample that fails would leave DKIM's and ARC's fast
   * paths cold): every signed sample verifies, the ARC-sealed one passes. Short budget: this checks what
   * priming does, not how long it takes.
   */
  @Test
  void authenticationPrimingVerifiesSignedSamples() {
    Priming.Primed p = Priming.primeAuthentication(java.time.Duration.ofMillis(300));
    assertThat(p.messages()).isGreaterThanOrEqualTo(5);
    // 5 samples per round: 4 rsa-signed (one also ed25519) and 1 whose rsa signature the list broke.
    int rounds = p.messages() / 5;
    assertThat(p.dkimPasses()).isEqualTo(rounds * 5);
    assertThat(p.arcPasses()).isEqualTo(rounds);
  }
}
