package io.threadwire.testkit.log;

import static io.threadwire.testkit.log.LogKit.appended;
import static io.threadwire.testkit.log.LogKit.await;
import static io.threadwire.testkit.log.LogKit.msg;
import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.HistoryPolicy;
import io.threadwire.Message;
import io.threadwire.ThreadId;
import io.threadwire.spi.AppendResult;
import io.threadwire.spi.AppendResult.Status;
import io.threadwire.spi.LogPolicy;
import io.threadwire.spi.LogReplay;
import io.threadwire.spi.Since;
import io.threadwire.spi.ThreadLog;
import io.threadwire.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The log kit's part on appending: offsets, epochs, history bounds and transient publishing. */
public interface AppendingAndBoundsKit extends LogKit {

  /** Appends get offsets 1, 2, 3 in one epoch. */
  @Test
  @DisplayName("appends get offsets 1, 2, 3 in one epoch")
  default void offsetsStartAtOneAndIncreaseByOne() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      AppendResult a = appended(log, t, policy(), msg(1));
      AppendResult b = appended(log, t, policy(), msg(2));
      AppendResult c = appended(log, t, policy(), msg(3));
      assertThat(List.of(a.offset(), b.offset(), c.offset())).containsExactly(1L, 2L, 3L);
      assertThat(b.epoch()).isEqualTo(a.epoch());
      assertThat(c.epoch()).isEqualTo(a.epoch());
    }
  }

  /** Threads have independent offsets. */
  @Test
  @DisplayName("threads have independent offsets")
  default void threadsAreIndependent() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      ThreadId u = freshThread();
      appended(log, t, policy(), msg(1));
      appended(log, t, policy(), msg(2));
      assertThat(appended(log, u, policy(), msg(3)).offset()).isEqualTo(1);
    }
  }

  /** Concurrent appenders never share an offset and leave no hole. */
  @Test
  @DisplayName("concurrent appenders never share an offset and leave no hole")
  default void concurrentAppendsGetDistinctConsecutiveOffsets() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      List<CompletableFuture<AppendResult>> all = new ArrayList<>();
      List<Thread> senders = new ArrayList<>();
      for (int s = 0; s < 4; s++) {
        int base = s * 100;
        List<CompletableFuture<AppendResult>> mine = new ArrayList<>();
        all.addAll(
            java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> new CompletableFuture<AppendResult>())
                .peek(mine::add)
                .toList());
        senders.add(
            new Thread(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    CompletableFuture<AppendResult> slot = mine.get(i);
                    log.append(t, policy(), msg(base + i), 1)
                        .whenComplete(
                            (r, e) -> {
                              if (e != null) {
                                slot.completeExceptionally(e);
                              } else {
                                slot.complete(r);
                              }
                            });
                  }
                }));
      }
      senders.forEach(Thread::start);
      List<Long> offsets = all.stream().map(f -> await(f).offset()).sorted().toList();
      assertThat(offsets).hasSize(200).doesNotHaveDuplicates();
      assertThat(offsets.get(0)).isEqualTo(1);
      assertThat(offsets.get(199)).isEqualTo(200);
    }
  }

  /** DROP_OLDEST keeps the newest messages within the count bound. */
  @Test
  @DisplayName("DROP_OLDEST keeps the newest messages within the count bound")
  default void dropOldestByCount() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      LogPolicy p = policy(HistoryPolicy.defaults().withMaxMessages(3));
      for (int i = 1; i <= 5; i++) {
        appended(log, t, p, msg(i));
      }
      LogReplay r = await(log.replay(t, p, Since.offset(0)));
      assertThat(r.entries()).extracting(e -> e.offset()).containsExactly(3L, 4L, 5L);
      assertThat(r.missed()).isEqualTo(2);
    }
  }

  /** The byte bound evicts oldest messages to fit. */
  @Test
  @DisplayName("the byte bound evicts oldest messages to fit")
  default void dropOldestByBytes() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      Message big = Message.builder("x".repeat(40)).id("big").build();
      LogPolicy p = policy(HistoryPolicy.defaults().withMaxBytes(big.sizeEstimate() * 2L));
      appended(log, t, p, big);
      appended(log, t, p, big);
      appended(log, t, p, big);
      LogReplay r = await(log.replay(t, p, Since.offset(0)));
      assertThat(r.entries()).extracting(e -> e.offset()).containsExactly(2L, 3L);
    }
  }

  /** REJECT refuses an append to a full history and stores nothing. */
  @Test
  @DisplayName("REJECT refuses an append to a full history and stores nothing")
  default void rejectWhenFull() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      LogPolicy p =
          policy(
              HistoryPolicy.defaults()
                  .withMaxMessages(2)
                  .withOverflow(HistoryPolicy.Overflow.REJECT));
      appended(log, t, p, msg(1));
      appended(log, t, p, msg(2));
      AppendResult r = await(log.append(t, p, msg(3), 1));
      assertThat(r.status()).isEqualTo(Status.REJECTED);
      assertThat(r.detail()).isNotBlank();
      assertThat(await(log.replay(t, p, Since.offset(0))).entries()).hasSize(2);
      assertThat(await(log.replay(t, p, Since.none())).position().offset()).isEqualTo(2);
    }
  }

  /** A message larger than the byte bound is TOO_LARGE under every policy. */
  @Test
  @DisplayName("a message larger than the byte bound is TOO_LARGE under every policy")
  default void tooLarge() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      LogPolicy p = policy(HistoryPolicy.defaults().withMaxBytes(10));
      AppendResult r = await(log.append(t, p, Message.of("x".repeat(50)), 1));
      assertThat(r.status()).isEqualTo(Status.TOO_LARGE);
      assertThat(await(log.replay(t, p, Since.offset(0))).entries()).isEmpty();
    }
  }

  /** History older than its maximum age is not replayed, and counted missed. */
  @Test
  @DisplayName("history older than its maximum age is not replayed, and counted missed")
  default void boundedByAge() {
    ManualClock clock = ManualClock.create();
    try (ThreadLog log = openLog(clock)) {
      ThreadId t = freshThread();
      LogPolicy p = policy(HistoryPolicy.defaults().withMaxAge(Duration.ofMinutes(1)));
      appended(log, t, p, msg(1));
      appended(log, t, p, msg(2));
      clock.advance(Duration.ofMinutes(2));
      appended(log, t, p, msg(3));
      LogReplay r = await(log.replay(t, p, Since.offset(0)));
      assertThat(r.entries()).extracting(e -> e.offset()).containsExactly(3L);
      assertThat(r.missed()).isEqualTo(2);
      assertThat(r.recovered()).isFalse();
    }
  }

  /** A disabled history stores nothing. */
  @Test
  @DisplayName("a disabled history stores nothing")
  default void disabledStoresNothing() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      AppendResult r = await(log.append(t, policy(HistoryPolicy.disabled()), msg(1), 1));
      assertThat(r.status()).isEqualTo(Status.NOT_STORED);
    }
  }

  /** A transient publish is never stored and follows the newest stored offset. */
  @Test
  @DisplayName("a transient publish is never stored and follows the newest stored offset")
  default void transientIsNotStored() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      appended(log, t, policy(), msg(1));
      CompletionStage<AppendResult> s = log.publish(t, msg(2), 1);
      AppendResult r = await(s);
      assertThat(r.status()).isEqualTo(Status.PUBLISHED);
      assertThat(r.offset()).isEqualTo(1);
      assertThat(await(log.replay(t, policy(), Since.offset(0))).entries()).hasSize(1);
      assertThat(appended(log, t, policy(), msg(3)).offset()).isEqualTo(2);
    }
  }
}
