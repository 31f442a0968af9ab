package io.threadwire.testkit.log;

import static io.threadwire.testkit.log.LogKit.appended;
import static io.threadwire.testkit.log.LogKit.await;
import static io.threadwire.testkit.log.LogKit.msg;
import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.HistoryPolicy;
import io.threadwire.ThreadId;
import io.threadwire.spi.AppendResult;
import io.threadwire.spi.LogEntry;
import io.threadwire.spi.LogPolicy;
import io.threadwire.spi.LogReplay;
import io.threadwire.spi.Since;
import io.threadwire.spi.ThreadLog;
import io.threadwire.testkit.ManualClock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The log kit's part on replay: what comes after {@code since}, and the log's own account of what
 * is missing, in the same and in another epoch.
 */
public interface ReplayAndGapsKit extends LogKit {

  private void fill(ThreadLog log, ThreadId t, LogPolicy p, int n) {
    for (int i = 1; i <= n; i++) {
      appended(log, t, p, msg(i));
    }
  }

  /** Since none replays nothing and reports the current position. */
  @Test
  @DisplayName("since none replays nothing and reports the current position")
  default void sinceNone() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      fill(log, t, policy(), 3);
      LogReplay r = await(log.replay(t, policy(), Since.none()));
      assertThat(r.entries()).isEmpty();
      assertThat(r.recovered()).isTrue();
      assertThat(r.position().offset()).isEqualTo(3);
    }
  }

  /** Since 0 replays every retained entry in offset order, recovered. */
  @Test
  @DisplayName("since 0 replays every retained entry in offset order, recovered")
  default void sinceZero() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      fill(log, t, policy(), 4);
      LogReplay r = await(log.replay(t, policy(), Since.offset(0)));
      assertThat(r.entries()).extracting(LogEntry::offset).containsExactly(1L, 2L, 3L, 4L);
      assertThat(r.entries())
          .extracting(e -> e.message().id())
          .containsExactly("m-1", "m-2", "m-3", "m-4");
      assertThat(r.recovered()).isTrue();
      assertThat(r.missed()).isZero();
    }
  }

  /** Since N replays only what came after N. */
  @Test
  @DisplayName("since N replays only what came after N")
  default void sinceN() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      fill(log, t, policy(), 5);
      LogReplay r = await(log.replay(t, policy(), Since.offset(3)));
      assertThat(r.entries()).extracting(LogEntry::offset).containsExactly(4L, 5L);
      assertThat(r.recovered()).isTrue();
      assertThat(r.position().offset()).isEqualTo(5);
    }
  }

  /** Since the newest offset replays nothing, recovered. */
  @Test
  @DisplayName("since the newest offset replays nothing, recovered")
  default void sinceNewest() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      fill(log, t, policy(), 2);
      LogReplay r = await(log.replay(t, policy(), Since.offset(2)));
      assertThat(r.entries()).isEmpty();
      assertThat(r.recovered()).isTrue();
    }
  }

  /** Evicted entries are counted missed, exactly. */
  @Test
  @DisplayName("evicted entries are counted missed, exactly")
  default void evictedAreMissed() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      LogPolicy p = policy(HistoryPolicy.defaults().withMaxMessages(2));
      fill(log, t, p, 6);
      LogReplay r = await(log.replay(t, p, Since.offset(1)));
      assertThat(r.entries()).extracting(LogEntry::offset).containsExactly(5L, 6L);
      assertThat(r.missed()).isEqualTo(3);
      assertThat(r.recovered()).isFalse();
    }
  }

  /** A position in another epoch replays everything retained and reports a gap. */
  @Test
  @DisplayName("a position in another epoch replays everything retained and reports a gap")
  default void otherEpoch() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      AppendResult a = appended(log, t, policy(), msg(1));
      appended(log, t, policy(), msg(2));
      LogReplay r = await(log.replay(t, policy(), Since.position(a.epoch() + 1, 1)));
      assertThat(r.entries()).extracting(LogEntry::offset).containsExactly(1L, 2L);
      assertThat(r.recovered()).isFalse();
      assertThat(r.missed()).isGreaterThanOrEqualTo(1);
      assertThat(r.position().epoch()).isEqualTo(a.epoch());
    }
  }

  /** A position beyond the newest offset is a lost history: everything, and a gap. */
  @Test
  @DisplayName("a position beyond the newest offset is a lost history: everything, and a gap")
  default void beyondNewest() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      fill(log, t, policy(), 2);
      LogReplay r = await(log.replay(t, policy(), Since.offset(9)));
      assertThat(r.entries()).extracting(LogEntry::offset).containsExactly(1L, 2L);
      assertThat(r.recovered()).isFalse();
      assertThat(r.missed()).isGreaterThanOrEqualTo(1);
    }
  }

  /** The replay's entries carry the epoch and thread they belong to. */
  @Test
  @DisplayName("the replay's entries carry the epoch and thread they belong to")
  default void entriesCarryTheirPosition() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      AppendResult a = appended(log, t, policy(), msg(1));
      LogEntry e = await(log.replay(t, policy(), Since.offset(0))).entries().get(0);
      assertThat(e.thread()).isEqualTo(t);
      assertThat(e.epoch()).isEqualTo(a.epoch());
      assertThat(e.isTransient()).isFalse();
    }
  }
}
