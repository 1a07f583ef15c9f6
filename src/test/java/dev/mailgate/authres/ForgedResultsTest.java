package dev.mailgate.authres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.message.RawMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ForgedResultsTest {
  private static RawMessage msg(String s) {
    return RawMessage.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void rfc8601_5_fieldsClaimingOurAuthservIdAreRemovedAndEverythingElseKeptByteForByte() {
    String original = "Received: from x by y; Sat, 28 Nov 2026 10:00:00 +0000\r\n"
        + "Authentication-Results: MX.Example.ORG;\r\n spf=pass smtp.mailfrom=evil.example\r\n"
        + "Authentication-Results: amazonses.com; spf=pass\r\n"
        + "Authentication-Results: (forged) mx.example.org ; dkim=pass header.d=bank.example\r\n"
        + "Subject:  kept   as is\r\n"
        + "\r\n"
        + "body line\r\nAuthentication-Results: mx.example.org; in the body stays\r\n";
    byte[] cleaned = ForgedResults.remove(msg(original), "mx.example.org");
    assertThat(new String(cleaned, StandardCharsets.UTF_8)).isEqualTo(
        "Received: from x by y; Sat, 28 Nov 2026 10:00:00 +0000\r\n"
            + "Authentication-Results: amazonses.com; spf=pass\r\n"
            + "Subject:  kept   as is\r\n"
            + "\r\n"
            + "body line\r\nAuthentication-Results: mx.example.org; in the body stays\r\n");
  }

  @Test
  void rfc8601_5_unsupportedVersionsAreRemovedToo() {
    RawMessage m = msg("Authentication-Results: other.example 2; spf=pass\r\nFrom: a@b.example\r\n\r\nx");
    assertThat(ForgedResults.find(m, "mx.example.org")).hasSize(1);
  }

  @Test
  void rfc8601_5_eaiIdsCompareAsULabels() {
    RawMessage m = msg("Authentication-Results: xn--bcher-kva.example; spf=pass\r\n\r\nx");
    assertThat(ForgedResults.find(m, "bücher.example")).hasSize(1);
  }

  @Test
  void nothingToRemoveReturnsTheSameArrayAndHeaderOnlyMessagesWork() {
    RawMessage clean = msg("From: a@b.example\r\n\r\nbody\r\n");
    assertThat(ForgedResults.remove(clean, "mx.example.org")).isSameAs(clean.bytes());
    RawMessage headerOnly = msg("From: a@b.example\r\nAuthentication-Results: mx.example.org; none\r\n");
    assertThat(new String(ForgedResults.remove(headerOnly, "mx.example.org"), StandardCharsets.UTF_8))
        .isEqualTo("From: a@b.example\r\n");
  }
}
