package dev.mailgate.arc;

import static dev.mailgate.arc.ArcFixtures.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgate.authres.AuthStatus;
import dev.mailgate.dns.InMemoryResolver;
import dev.mailgate.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hostile or damaged ARC headers give a result, never an exception; the validator is thread-safe. */
class ArcHostileInputTest {
  private static final InMemoryResolver DNS = ArcFixtures.dns().logQueries(false).build();
  private static RawMessage threeSets;

  @BeforeAll
  static void seal() throws Exception {
    RawMessage m = ArcFixtures.message(ArcFixtures.MESSAGE);
    m = ArcFixtures.seal(m, ArcFixtures.listSealer(), DNS, "mx.list.example");
    m = ArcFixtures.seal(m, ArcFixtures.forwardSealer(), DNS, "mx.forward.example");
    threeSets = ArcFixtures.seal(m, ArcFixtures.thirdSealer(), DNS, "mx.third.example");
  }

  /**
   * 1000 seeded mutations of the ARC header section (bytes replaced with ones that matter to the
   * grammar, bytes deleted, lines duplicated): every one is validated (and every tenth sealed) without an exception,
   * and nearly all make the chain fail.
   */
  @Test
  void mutatedChainsNeverThrow() throws Exception {
    byte[] original = threeSets.bytes();
    int arcEnd = new String(original, StandardCharsets.ISO_8859_1).indexOf("\r\nFrom: ");
    byte[] alphabet = "=;: \t\r\n()\"\\iabcvdst0159-+/A\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
    Random random = new Random(8617);
    ArcValidator validator = new ArcValidator(DNS, CLOCK);
    ArcSealer sealer = ArcFixtures.thirdSealer();
    int fails = 0;
    for (int n = 0; n < 1000; n++) {
      byte[] b = original.clone();
      int pos = random.nextInt(arcEnd);
      byte[] mutated;
      switch (n % 3) {
        case 0 -> {
          b[pos] = alphabet[random.nextInt(alphabet.length)];
          mutated = b;
        }
        case 1 -> {
          mutated = new byte[b.length - 1];
          System.arraycopy(b, 0, mutated, 0, pos);
          System.arraycopy(b, pos + 1, mutated, pos, b.length - pos - 1);
        }
        default -> {
          int lineStart = pos;
          while (lineStart > 0 && b[lineStart - 1] != '\n') {
            lineStart--;
          }
          int lineEnd = pos;
          while (lineEnd < b.length && b[lineEnd] != '\n') {
            lineEnd++;
          }
          int len = Math.min(lineEnd + 1, b.length) - lineStart;
          mutated = new byte[b.length + len];
          System.arraycopy(b, 0, mutated, 0, lineStart + len);
          System.arraycopy(b, lineStart, mutated, lineStart + len, b.length - lineStart);
        }
      }
      RawMessage m = RawMessage.parse(mutated);
      ArcResult r = validator.validate(m);
      assertThat(r.status()).isIn(AuthStatus.NONE, AuthStatus.PASS, AuthStatus.FAIL);
      assertThat(r.reason()).isNotBlank();
      if (r.status() == AuthStatus.FAIL) {
        fails++;
      }
      if (n % 10 == 0) {
        sealer.seal(m, r, "mx.example", "arc=" + r.status().word()); // must not throw either
      }
    }
    // Most mutations hit signed bytes; a few only touch whitespace that relaxed canonicalization ignores.
    assertThat(fails).isGreaterThan(950); // 987 with this seed
  }

  @Test
  void concurrentValidationsAgree() throws Exception {
    ArcValidator validator = new ArcValidator(DNS, CLOCK);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<ArcResult>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        results.add(pool.submit(() -> validator.validate(threeSets)));
      }
      for (Future<ArcResult> f : results) {
        assertThat(f.get().status()).isEqualTo(AuthStatus.PASS);
        assertThat(f.get().instances()).isEqualTo(3);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
