package dev.mailgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** At most once per delivery, whatever runs again, fails or races. */
class DeliveryLedgerTest {
  @TempDir Path dir;
  private final MessageRef ref = new MessageRef("b", "in/m1", "m1");
  private final Instant t0 = Instant.parse("2026-11-28T09:00:00Z");
  private final Instant deadline = t0.plusSeconds(30);

  private DeliveryLedger ledger(Instant now) {
    return new DeliveryLedger(LocalFolderStore.of(dir), "state/", Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void aDeliveryDoneOnceIsNotDoneAgain() throws Exception {
    AtomicInteger sends = new AtomicInteger();
    DeliveryLedger.Result first = ledger(t0).run(ref, "forward-x", deadline, deadline, () -> "id-" + sends.incrementAndGet());
    DeliveryLedger.Result again = ledger(t0.plusSeconds(120)).run(ref, "forward-x", deadline, deadline,
        () -> "id-" + sends.incrementAndGet());
    assertThat(first).isEqualTo(new DeliveryLedger.Result(ActionResult.Status.DONE, "id-1"));
    assertThat(again.status()).isEqualTo(ActionResult.Status.ALREADY_DONE);
    assertThat(again.detail()).contains("id-1");
    assertThat(sends).hasValue(1);
  }

  @Test
  void aTransientFailureFreesTheDeliveryForTheRetry() throws Exception {
    DeliveryLedger.Result failed = ledger(t0).run(ref, "forward-x", deadline, deadline, () -> {
      throw new SendException(SendException.Kind.TRANSIENT, "throttled");
    });
    assertThat(failed.status()).isEqualTo(ActionResult.Status.RETRY);
    DeliveryLedger.Result retried = ledger(t0.plusSeconds(60)).run(ref, "forward-x", deadline, deadline, () -> "ok");
    assertThat(retried.status()).isEqualTo(ActionResult.Status.DONE);
  }

  @Test
  void aPermanentFailureIsNotRetried() throws Exception {
    ledger(t0).run(ref, "forward-x", deadline, deadline, () -> {
      throw new SendException(SendException.Kind.PERMANENT, "MessageRejected");
    });
    AtomicInteger sends = new AtomicInteger();
    DeliveryLedger.Result again = ledger(t0.plusSeconds(60)).run(ref, "forward-x", deadline, deadline,
        () -> "id-" + sends.incrementAndGet());
    assertThat(again.status()).isEqualTo(ActionResult.Status.FAILED);
    assertThat(again.detail()).contains("MessageRejected");
    assertThat(sends).hasValue(0);
  }

  @Test
  void anUnconfirmedClaimIsInProgressUntilItExpiresThenInDoubt() throws Exception {
    DeliveryLedger.Result doubt = ledger(t0).run(ref, "forward-x", deadline, t0.plusSeconds(90), () -> {
      throw new SendException(SendException.Kind.IN_DOUBT, "no answer");
    });
    assertThat(doubt.status()).isEqualTo(ActionResult.Status.IN_DOUBT);
    AtomicInteger sends = new AtomicInteger();
    assertThat(ledger(t0.plusSeconds(60)).run(ref, "forward-x", deadline, deadline, () -> "x" + sends.incrementAndGet())
        .status()).isEqualTo(ActionResult.Status.IN_PROGRESS);
    assertThat(ledger(t0.plusSeconds(91)).run(ref, "forward-x", deadline, deadline, () -> "x" + sends.incrementAndGet())
        .status()).isEqualTo(ActionResult.Status.IN_DOUBT);
    assertThat(sends).hasValue(0);
  }

  @Test
  void ofInvocationsRacingForOneDeliveryExactlyOneSends() throws Exception {
    AtomicInteger sends = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<DeliveryLedger.Result>> results = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      results.add(pool.submit(() -> {
        start.await();
        return new DeliveryLedger(LocalFolderStore.of(dir), "state/", Clock.systemUTC())
            .run(ref, "forward-race", Instant.now().plusSeconds(30), Instant.now().plusSeconds(30), () -> {
              sends.incrementAndGet();
              try {
                Thread.sleep(20); // hold the claim while the others look
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return "sent";
            });
      }));
    }
    start.countDown();
    int done = 0;
    for (Future<DeliveryLedger.Result> f : results) {
      ActionResult.Status s = f.get(10, TimeUnit.SECONDS).status();
      assertThat(s).isIn(ActionResult.Status.DONE, ActionResult.Status.IN_PROGRESS, ActionResult.Status.ALREADY_DONE);
      done += s == ActionResult.Status.DONE ? 1 : 0;
    }
    pool.shutdownNow();
    assertThat(sends).hasValue(1);
    assertThat(done).isEqualTo(1);
  }

  @Test
  void aStoreFailureAfterSendingStillReportsTheDeliveryDone() throws Exception {
    FaultyStore store = new FaultyStore(LocalFolderStore.of(dir)).fail("put", 1);
    DeliveryLedger l = new DeliveryLedger(store, "state/", Clock.fixed(t0, ZoneOffset.UTC));
    DeliveryLedger.Result r = l.run(ref, "forward-x", deadline, deadline, () -> "id-1");
    assertThat(r.status()).isEqualTo(ActionResult.Status.DONE);
    assertThat(r.detail()).contains("not confirmed");
    // The claim still says "sending": later it is in doubt, never sent again.
    assertThat(ledger(deadline.plus(Duration.ofSeconds(1))).run(ref, "forward-x", deadline, deadline, () -> "id-2")
        .status()).isEqualTo(ActionResult.Status.IN_DOUBT);
  }

  @Test
  void deliveryIdsDependOnTheTargetsNotTheirOrderOrCase() {
    assertThat(DeliveryLedger.deliveryId("forward", List.of("a@x.example", "B@x.example")))
        .isEqualTo(DeliveryLedger.deliveryId("forward", List.of("b@x.example", "A@X.example")))
        .isNotEqualTo(DeliveryLedger.deliveryId("forward", List.of("a@x.example")))
        .startsWith("forward-");
  }
}
