package io.threadwire.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The flusher: one drain at a time, fair to the I/O executor's other tasks")
class FlusherTest {

  /** An executor run by hand, one task at a time, like one I/O thread. */
  private static final class ManualExecutor implements Executor {
    final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    boolean rejecting;

    @Override
    public void execute(Runnable task) {
      if (rejecting) {
        throw new RejectedExecutionException("shut down");
      }
      tasks.add(task);
    }

    void runAll() {
      for (Runnable task; (task = tasks.poll()) != null; ) {
        task.run();
      }
    }
  }

  /** A connection that always has more to write: each flush hands the next one over. */
  private static Runnable busyConnection(Flusher flusher, AtomicInteger flushes, int total) {
    return new Runnable() {
      @Override
      public void run() {
        if (flushes.incrementAndGet() < total) {
          flusher.execute(this);
        }
      }
    };
  }

  @Test
  @DisplayName("a drain kept busy by steady sends yields to the sweep and the closes queued behind")
  void yieldsUnderSustainedLoad() {
    ManualExecutor io = new ManualExecutor();
    Flusher flusher = new Flusher(io);
    AtomicInteger flushes = new AtomicInteger();
    int total = 100_000;
    flusher.execute(busyConnection(flusher, flushes, total));
    AtomicInteger sweptAfter = new AtomicInteger(-1);
    io.execute(() -> sweptAfter.set(flushes.get())); // the sweep, or a slow consumer's close
    io.runAll();
    assertThat(flushes).hasValue(total);
    assertThat(sweptAfter.get()).isBetween(1, Flusher.MAX_FLUSHES_PER_RUN);
  }

  @Test
  @DisplayName("one drain task at a time, and a flush handed over while it ends is not lost")
  void oneDrainNoLostFlush() {
    ManualExecutor io = new ManualExecutor();
    Flusher flusher = new Flusher(io);
    AtomicInteger ran = new AtomicInteger();
    for (int i = 0; i < 1_000; i++) {
      flusher.execute(ran::incrementAndGet);
    }
    assertThat(io.tasks).hasSize(1);
    io.runAll();
    assertThat(ran).hasValue(1_000);
    flusher.execute(ran::incrementAndGet);
    assertThat(io.tasks).hasSize(1);
    io.runAll();
    assertThat(ran).hasValue(1_001);
  }

  @Test
  @DisplayName("when the executor stops taking tasks, the running drain finishes the work itself")
  void finishesWhenTheExecutorStops() {
    ManualExecutor io = new ManualExecutor();
    Flusher flusher = new Flusher(io);
    AtomicInteger flushes = new AtomicInteger();
    int total = 10 * Flusher.MAX_FLUSHES_PER_RUN;
    flusher.execute(busyConnection(flusher, flushes, total));
    Runnable drain = io.tasks.poll();
    io.rejecting = true;
    drain.run();
    assertThat(flushes).hasValue(total);
    AtomicBoolean rejected = new AtomicBoolean();
    try {
      flusher.execute(() -> {});
    } catch (RejectedExecutionException e) {
      rejected.set(true);
    }
    assertThat(rejected).isTrue(); // the drain is over, so the next hand-over tries the executor
  }
}
