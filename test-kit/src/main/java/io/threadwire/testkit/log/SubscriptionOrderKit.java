package io.threadwire.testkit.log;

import static io.threadwire.testkit.log.LogKit.appended;
import static io.threadwire.testkit.log.LogKit.await;
import static io.threadwire.testkit.log.LogKit.msg;
import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.ThreadId;
import io.threadwire.spi.LogEntry;
import io.threadwire.spi.LogSubscription;
import io.threadwire.spi.ThreadLog;
import io.threadwire.testkit.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The log kit's part on subscriptions: every entry after the position, once, in offset order, with
 * transients in their place and the appender's token handed back.
 */
public interface SubscriptionOrderKit extends LogKit {

  /** A subscriber gets every entry after its position, once, in offset order. */
  @Test
  @DisplayName("a subscriber gets every entry after its position, once, in offset order")
  default void everyEntryInOrder() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      appended(log, t, policy(), msg(0));
      Recorder rec = Recorder.after(1);
      LogSubscription s = await(log.subscribe(t, policy(), rec));
      assertThat(s.position().offset()).isEqualTo(1);
      for (int i = 1; i <= 30; i++) {
        log.append(t, policy(), msg(i), 1);
      }
      rec.awaitEntries(30);
      assertThat(rec.offsets())
          .containsExactlyElementsOf(LongStream.rangeClosed(2, 31).boxed().toList());
      assertThat(rec.gaps()).isEmpty();
      rec.assertContractKept();
      s.close();
    }
  }

  /**
   * Under concurrent appenders every subscriber sees one order without holes.
   *
   * @throws Exception if waiting for the appending threads is interrupted
   */
  @Test
  @DisplayName("under concurrent appenders every subscriber sees one order without holes")
  default void concurrentAppendersOneOrder() throws Exception {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      Recorder a = Recorder.after(0);
      Recorder b = Recorder.after(0);
      await(log.subscribe(t, policy(), a));
      await(log.subscribe(t, policy(), b));
      List<Thread> senders = new ArrayList<>();
      for (int s = 0; s < 4; s++) {
        int base = s * 100;
        senders.add(
            new Thread(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    log.append(t, policy(), msg(base + i), 1);
                  }
                }));
      }
      senders.forEach(Thread::start);
      for (Thread s : senders) {
        s.join();
      }
      a.awaitEntries(200);
      b.awaitEntries(200);
      assertThat(a.offsets())
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
      assertThat(b.entries())
          .extracting(e -> e.message().id())
          .containsExactlyElementsOf(a.entries().stream().map(e -> e.message().id()).toList());
      a.assertContractKept();
      b.assertContractKept();
    }
  }

  /** A transient entry is delivered after the stored entry it follows. */
  @Test
  @DisplayName("a transient entry is delivered after the stored entry it follows")
  default void transientInItsPlace() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      Recorder rec = Recorder.after(0);
      await(log.subscribe(t, policy(), rec));
      await(log.append(t, policy(), msg(1), 1));
      await(log.publish(t, msg(2), 1));
      await(log.append(t, policy(), msg(3), 1));
      rec.awaitEntries(3);
      List<LogEntry> got = rec.entries();
      assertThat(got).extracting(e -> e.message().id()).containsExactly("m-1", "m-2", "m-3");
      assertThat(got.get(1).isTransient()).isTrue();
      assertThat(got.get(1).after()).isEqualTo(1);
      assertThat(got.get(2).offset()).isEqualTo(2);
      rec.assertContractKept();
    }
  }

  /** The appender's token comes back on this instance's subscribers. */
  @Test
  @DisplayName("the appender's token comes back on this instance's subscribers")
  default void tokenHandedBack() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      Recorder rec = Recorder.after(0);
      await(log.subscribe(t, policy(), rec));
      await(log.append(t, policy(), msg(1), 4242));
      await(log.publish(t, msg(2), 4343));
      rec.awaitEntries(2);
      assertThat(rec.entries()).extracting(LogEntry::token).containsExactly(4242L, 4343L);
    }
  }

  /** Nothing is delivered to a closed subscription. */
  @Test
  @DisplayName("nothing is delivered to a closed subscription")
  default void closedSubscriptionGetsNothing() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      Recorder kept = Recorder.after(0);
      Recorder closed = Recorder.after(0);
      await(log.subscribe(t, policy(), kept));
      LogSubscription s = await(log.subscribe(t, policy(), closed));
      s.close();
      await(log.append(t, policy(), msg(1), 1));
      kept.awaitEntries(1);
      // The kept subscriber got it, so the closed one would have by now.
      assertThat(closed.entries()).isEmpty();
    }
  }

  /** A refused or duplicate append delivers nothing. */
  @Test
  @DisplayName("a refused or duplicate append delivers nothing")
  default void refusedDeliversNothing() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      Recorder rec = Recorder.after(0);
      await(log.subscribe(t, policy(), rec));
      await(log.append(t, policy(), LogKit.keyed(1, "k"), 1));
      await(log.append(t, policy(), LogKit.keyed(2, "k"), 1));
      await(log.append(t, policy(), msg(3), 1));
      rec.awaitEntries(2);
      assertThat(rec.entries()).extracting(e -> e.message().id()).containsExactly("m-1", "m-3");
      rec.assertContractKept();
    }
  }
}
