package io.threadwire.redis;

import static io.threadwire.testkit.log.LogKit.await;
import static io.threadwire.testkit.log.LogKit.msg;
import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.HistoryPolicy;
import io.threadwire.ThreadId;
import io.threadwire.spi.LogPolicy;
import io.threadwire.testkit.ManualClock;
import io.threadwire.testkit.log.LogKit;
import io.threadwire.testkit.log.Recorder;
import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Lost pub/sub messages are repaired from the stream, or reported as a gap when it cannot. */
class SubscriptionRepairTest {

  private static final LogPolicy POLICY =
      new LogPolicy(HistoryPolicy.defaults(), LogKit.WINDOW, 100);
  private static int next;

  @BeforeAll
  static void redis() {
    RedisTestSupport.requireRedis();
  }

  @AfterAll
  static void cleanUp() {
    RedisTestSupport.deleteOwnKeys();
  }

  private static ThreadId thread() {
    return ThreadId.of("repair-" + ++next);
  }

  private static RedisThreadLog open() {
    RedisThreadLog log = RedisThreadLog.create(RedisTestSupport.settings(), ManualClock.create());
    log.start();
    return log;
  }

  @Test
  @DisplayName(
      "messages lost in the middle are read back from the stream: every offset once, in order, no gap")
  void lostInTheMiddleRepaired() {
    try (RedisThreadLog log = open()) {
      ThreadId t = thread();
      Recorder rec = Recorder.after(0);
      await(log.subscribe(t, POLICY, rec));
      await(log.append(t, POLICY, msg(1), 1));
      rec.awaitEntries(1);
      log.loseNotifications(3);
      for (int i = 2; i <= 10; i++) {
        await(log.append(t, POLICY, msg(i), 1));
      }
      rec.awaitEntries(10);
      assertThat(rec.offsets())
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
      assertThat(rec.gaps()).isEmpty();
      rec.assertContractKept();
    }
  }

  @Test
  @DisplayName("a lost last message is repaired by the position check, with no later message")
  void lostTailRepairedByPositionCheck() {
    try (RedisThreadLog log = open()) {
      ThreadId t = thread();
      Recorder rec = Recorder.after(0);
      await(log.subscribe(t, POLICY, rec));
      log.loseNotifications(2);
      await(log.append(t, POLICY, msg(1), 1));
      await(log.append(t, POLICY, msg(2), 1));
      rec.awaitEntries(2);
      assertThat(rec.offsets()).containsExactly(1L, 2L);
      assertThat(rec.gaps()).isEmpty();
      rec.assertContractKept();
    }
  }

  @Test
  @DisplayName(
      "lost messages the stream no longer holds are reported as a gap before the next entry")
  void evictedLossIsAGap() {
    try (RedisThreadLog log = open()) {
      ThreadId t = thread();
      LogPolicy two =
          new LogPolicy(HistoryPolicy.defaults().withMaxMessages(2), LogKit.WINDOW, 100);
      Recorder rec = Recorder.after(0);
      await(log.subscribe(t, two, rec));
      await(log.append(t, two, msg(1), 1));
      rec.awaitEntries(1);
      log.loseNotifications(4);
      for (int i = 2; i <= 6; i++) {
        await(log.append(t, two, msg(i), 1));
      }
      rec.awaitEntries(3);
      // 2-5 were lost on the channel; the stream still holds 5 and 6 only.
      assertThat(rec.offsets()).containsExactly(1L, 5L, 6L);
      assertThat(rec.gaps()).hasSize(1);
      assertThat(rec.gaps().get(0).resumeAfter()).isEqualTo(4);
      rec.assertContractKept();
    }
  }

  @Test
  @DisplayName("a lost transient message cannot be repaired and is reported as a gap")
  void lostTransientIsAGap() {
    try (RedisThreadLog log = open()) {
      ThreadId t = thread();
      Recorder rec = Recorder.after(0);
      await(log.subscribe(t, POLICY, rec));
      await(log.append(t, POLICY, msg(1), 1));
      rec.awaitEntries(1);
      log.loseNotifications(1);
      await(log.publish(t, msg(2), 1));
      await(log.append(t, POLICY, msg(3), 1));
      rec.awaitEntries(2);
      assertThat(rec.entries()).extracting(e -> e.message().id()).containsExactly("m-1", "m-3");
      assertThat(rec.gaps()).hasSize(1);
      assertThat(rec.gaps().get(0).resumeAfter()).isEqualTo(1);
      rec.assertContractKept();
    }
  }

  @Test
  @DisplayName("a lost transient last message is reported as a gap by the position check")
  void lostTransientTailIsAGap() {
    try (RedisThreadLog log = open()) {
      ThreadId t = thread();
      Recorder rec = Recorder.after(0);
      await(log.subscribe(t, POLICY, rec));
      log.loseNotifications(1);
      await(log.publish(t, msg(1), 1));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !rec.gaps().isEmpty());
      assertThat(rec.entries()).isEmpty();
      assertThat(rec.gaps().get(0).resumeAfter()).isZero();
    }
  }
}
