package io.threadwire.testkit.log;

import io.threadwire.HistoryPolicy;
import io.threadwire.Message;
import io.threadwire.ThreadId;
import io.threadwire.spi.AppendResult;
import io.threadwire.spi.LogPolicy;
import io.threadwire.spi.ThreadLog;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hook every part of the thread-log compatibility kit asks for, and the helpers its tests
 * share. A log implementation's test implements {@link #openLog}; see {@link
 * ThreadLogCompatibilityKit}.
 */
public interface LogKit {

  /** The idempotency window of {@link #policy}. */
  Duration WINDOW = Duration.ofMinutes(1);

  /**
   * Opens a fresh, started log under test that reads time from {@code clock} (a {@link
   * io.threadwire.testkit.ManualClock}), holding no thread the kit uses yet. Called once per test;
   * the test closes it.
   *
   * @param clock the clock the log reads time from
   * @return a started log the test owns
   */
  ThreadLog openLog(Clock clock);

  /** {@return a thread id no other test of this run uses, so a shared backend needs no cleanup} */
  default ThreadId freshThread() {
    return ThreadId.of(
        "kit-" + ProcessHandle.current().pid() + "-" + Counter.NEXT.incrementAndGet());
  }

  /**
   * {@return a log policy over {@code history}, with a window of {@link #WINDOW} and 100 keys}
   *
   * @param history the history bounds of the policy
   */
  default LogPolicy policy(HistoryPolicy history) {
    return new LogPolicy(history, WINDOW, 100);
  }

  /** {@return the default policy: 1000 messages, 1 MiB, 5 minutes, drop oldest} */
  default LogPolicy policy() {
    return policy(HistoryPolicy.defaults());
  }

  /**
   * {@return a message with id and payload {@code "m-" + n}}
   *
   * @param n the number in the message's id and payload
   */
  static Message msg(int n) {
    return Message.builder("m-" + n).id("m-" + n).build();
  }

  /**
   * {@return a message with id {@code "m-" + n} and idempotency key {@code key}}
   *
   * @param n the number in the message's id and payload
   * @param key the message's idempotency key
   */
  static Message keyed(int n, String key) {
    return Message.builder("m-" + n).id("m-" + n).idempotencyKey(key).build();
  }

  /**
   * Waits at most 10 seconds for {@code stage}; fails the test if it fails or takes longer.
   *
   * @param <T> the type of the stage's result
   * @param stage the stage to wait for
   * @return the stage's result
   * @throws AssertionError if the stage fails or does not complete within 10 seconds
   */
  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the log did not answer normally within 10s: " + e, e);
    }
  }

  /**
   * Appends and waits; fails unless the answer is {@code APPENDED}.
   *
   * @param log the log to append to
   * @param thread the thread to append to
   * @param policy the policy of the append
   * @param m the message to append
   * @return the log's answer, whose status is {@code APPENDED}
   * @throws AssertionError if the answer is not {@code APPENDED} or does not come within 10 seconds
   */
  static AppendResult appended(ThreadLog log, ThreadId thread, LogPolicy policy, Message m) {
    AppendResult r = await(log.append(thread, policy, m, 1));
    if (r.status() != AppendResult.Status.APPENDED) {
      throw new AssertionError("expected APPENDED, got " + r);
    }
    return r;
  }

  /** Holds the counter of {@link #freshThread()}. */
  final class Counter {
    static final AtomicInteger NEXT = new AtomicInteger();

    private Counter() {}
  }
}
