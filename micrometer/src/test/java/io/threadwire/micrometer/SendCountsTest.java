package io.threadwire.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SendCounts: per-thread cells summed when read")
class SendCountsTest {

  @Test
  @DisplayName("the sum over threads equals every add, and a dead thread's counts are kept")
  void sumsEveryThreadAndKeepsTheDead() throws Exception {
    SendCounts counts = new SendCounts(2);
    int threads = 8;
    int adds = 10_000;
    List<Thread> started = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int i = 0; i < adds; i++) {
                  counts.increment(0);
                  counts.add(1, 3);
                }
              });
      th.start();
      started.add(th);
    }
    go.countDown();
    for (Thread th : started) {
      th.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(th.isAlive()).isFalse();
    }
    counts.increment(0); // this thread's own cell, still live
    assertThat(counts.sum(0)).isEqualTo((long) threads * adds + 1);
    assertThat(counts.sum(1)).isEqualTo(3L * threads * adds);
    // Read again after the dead threads' cells were folded into the retired totals.
    assertThat(counts.sum(0)).isEqualTo((long) threads * adds + 1);
    assertThat(counts.sum(1)).isEqualTo(3L * threads * adds);
  }
}
