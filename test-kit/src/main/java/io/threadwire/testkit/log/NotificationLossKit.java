package io.threadwire.testkit.log;

import static io.threadwire.testkit.log.LogKit.await;
import static io.threadwire.testkit.log.LogKit.msg;
import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.ThreadId;
import io.threadwire.spi.LogGap;
import io.threadwire.spi.ThreadLog;
import io.threadwire.testkit.ManualClock;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The log kit's part for logs whose notifications can be lost (pub/sub over a network): a loss is
 * signalled with a {@link LogGap}, never hidden. It asks for one more hook, {@link
 * #loseNotifications}.
 */
public interface NotificationLossKit extends LogKit {

  /**
   * Makes {@code log} lose the next {@code n} notifications to its subscribers.
   *
   * @param log the log under test, opened by {@link #openLog}
   * @param n how many notifications to lose
   */
  void loseNotifications(ThreadLog log, int n);

  /** Every offset is either delivered or covered by a gap signalled before the next. */
  @Test
  @DisplayName("every offset is either delivered or covered by a gap signalled before the next")
  default void lossIsSignalled() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      Recorder rec = Recorder.after(0);
      await(log.subscribe(t, policy(), rec));
      await(log.append(t, policy(), msg(1), 1));
      rec.awaitEntries(1);
      loseNotifications(log, 3);
      for (int i = 2; i <= 10; i++) {
        await(log.append(t, policy(), msg(i), 1));
      }
      rec.awaitEntries(7);
      rec.assertContractKept();
      assertThat(rec.gaps()).isNotEmpty();
      Set<Long> covered = new HashSet<>(rec.offsets());
      long previous = 0;
      for (LogGap g : rec.gaps()) {
        for (long o = previous + 1; o <= g.resumeAfter(); o++) {
          covered.add(o);
        }
        previous = g.resumeAfter();
      }
      for (long o = 1; o <= 10; o++) {
        assertThat(covered).as("offset %d delivered or in a gap", o).contains(o);
      }
    }
  }
}
