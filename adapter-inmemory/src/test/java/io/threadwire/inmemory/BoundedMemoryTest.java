package io.threadwire.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.HistoryPolicy;
import io.threadwire.Message;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.hub.HubSettings;
import io.threadwire.hub.HubStats;
import io.threadwire.testkit.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Many thousands of threads nobody listens to: history and thread count stay bounded. */
class BoundedMemoryTest {

  @Test
  void historyAndThreadsStayWithinBoundsThenExpire() {
    ManualClock clock = ManualClock.create();
    HistoryPolicy policy = HistoryPolicy.defaults().withMaxMessages(5).withMaxBytes(200);
    HubSettings settings =
        HubSettings.defaults().withHistoryPolicy(policy).withIdleThreadTtl(Duration.ofMinutes(10));
    int threads = 20_000;
    try (InMemoryThreadMessaging messaging =
        InMemoryThreadMessaging.builder().settings(settings).clock(clock).build()) {
      messaging.start();
      for (int round = 0; round < 8; round++) {
        for (int i = 0; i < threads; i++) {
          SendOutcome o =
              messaging
                  .send(ThreadId.of("conv-" + i), Message.builder("{\"r\":" + round + "}").build())
                  .toCompletableFuture()
                  .join();
          assertThat(o.status()).isEqualTo(SendOutcome.Status.QUEUED);
        }
      }
      HubStats full = messaging.hub().stats();
      assertThat(full.threads()).isEqualTo(threads);
      // Each message is 43 bytes (7 of payload, 36 of UUID id): of the 8 sent to each thread, the
      // 200-byte bound keeps the newest 4 (172 bytes), tighter than the count bound of 5.
      assertThat(full.historyMessages()).isEqualTo(4L * threads);
      assertThat(full.historyBytes()).isEqualTo(172L * threads).isLessThanOrEqualTo(200L * threads);

      clock.advance(Duration.ofMinutes(11));
      messaging.hub().runMaintenance();
      HubStats expired = messaging.hub().stats();
      assertThat(expired.threads()).isZero();
      assertThat(expired.historyMessages()).isZero();
      assertThat(expired.historyBytes()).isZero();
    }
  }
}
