package io.threadwire.testkit.log;

import static io.threadwire.testkit.log.LogKit.appended;
import static io.threadwire.testkit.log.LogKit.await;
import static io.threadwire.testkit.log.LogKit.keyed;
import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.HistoryPolicy;
import io.threadwire.ThreadId;
import io.threadwire.spi.AppendResult;
import io.threadwire.spi.AppendResult.Status;
import io.threadwire.spi.LogPolicy;
import io.threadwire.spi.Since;
import io.threadwire.spi.ThreadLog;
import io.threadwire.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The log kit's part on idempotency keys: checked atomically with the append, per window. */
public interface IdempotencyKit extends LogKit {

  /** A key seen within the window is a DUPLICATE of the first append, stored once. */
  @Test
  @DisplayName("a key seen within the window is a DUPLICATE of the first append, stored once")
  default void duplicateWithinWindow() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      AppendResult first = appended(log, t, policy(), keyed(1, "k"));
      AppendResult again = await(log.append(t, policy(), keyed(2, "k"), 1));
      assertThat(again.status()).isEqualTo(Status.DUPLICATE);
      assertThat(again.offset()).isEqualTo(first.offset());
      assertThat(again.epoch()).isEqualTo(first.epoch());
      assertThat(await(log.replay(t, policy(), Since.offset(0))).entries()).hasSize(1);
    }
  }

  /** A key older than the window is appended again. */
  @Test
  @DisplayName("a key older than the window is appended again")
  default void newAfterWindow() {
    ManualClock clock = ManualClock.create();
    try (ThreadLog log = openLog(clock)) {
      ThreadId t = freshThread();
      appended(log, t, policy(), keyed(1, "k"));
      clock.advance(WINDOW.plus(Duration.ofSeconds(1)));
      assertThat(appended(log, t, policy(), keyed(2, "k")).offset()).isEqualTo(2);
    }
  }

  /** Keys belong to their thread. */
  @Test
  @DisplayName("keys belong to their thread")
  default void keysArePerThread() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      appended(log, freshThread(), policy(), keyed(1, "k"));
      assertThat(appended(log, freshThread(), policy(), keyed(2, "k")).offset()).isEqualTo(1);
    }
  }

  /** Concurrent appends with one key store it exactly once. */
  @Test
  @DisplayName("concurrent appends with one key store it exactly once")
  default void concurrentDuplicatesStoreOnce() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      List<CompletionStage<AppendResult>> stages =
          IntStream.range(0, 20).mapToObj(i -> log.append(t, policy(), keyed(i, "k"), 1)).toList();
      List<Status> statuses = stages.stream().map(s -> await(s).status()).toList();
      assertThat(statuses).filteredOn(s -> s == Status.APPENDED).hasSize(1);
      assertThat(statuses).filteredOn(s -> s == Status.DUPLICATE).hasSize(19);
      assertThat(await(log.replay(t, policy(), Since.offset(0))).entries()).hasSize(1);
    }
  }

  /** Beyond the most keys remembered, the oldest key is forgotten first. */
  @Test
  @DisplayName("beyond the most keys remembered, the oldest key is forgotten first")
  default void oldestKeyForgottenFirst() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      LogPolicy p = new LogPolicy(HistoryPolicy.defaults(), WINDOW, 2);
      appended(log, t, p, keyed(1, "a"));
      appended(log, t, p, keyed(2, "b"));
      appended(log, t, p, keyed(3, "c"));
      assertThat(await(log.append(t, p, keyed(4, "c"), 1)).status()).isEqualTo(Status.DUPLICATE);
      assertThat(await(log.append(t, p, keyed(5, "a"), 1)).status()).isEqualTo(Status.APPENDED);
    }
  }

  /** A refused append leaves its key free for a retry. */
  @Test
  @DisplayName("a refused append leaves its key free for a retry")
  default void refusedAppendDoesNotTakeTheKey() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      LogPolicy reject =
          policy(
              HistoryPolicy.defaults()
                  .withMaxMessages(1)
                  .withOverflow(HistoryPolicy.Overflow.REJECT));
      appended(log, t, reject, keyed(1, "a"));
      assertThat(await(log.append(t, reject, keyed(2, "b"), 1)).status())
          .isEqualTo(Status.REJECTED);
      assertThat(await(log.append(t, policy(), keyed(3, "b"), 1)).status())
          .isEqualTo(Status.APPENDED);
    }
  }
}
