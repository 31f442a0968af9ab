package io.threadwire.testkit.log;

import static io.threadwire.testkit.log.LogKit.appended;
import static io.threadwire.testkit.log.LogKit.await;
import static io.threadwire.testkit.log.LogKit.msg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.threadwire.ThreadId;
import io.threadwire.spi.Since;
import io.threadwire.spi.ThreadLog;
import io.threadwire.testkit.ManualClock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The log kit's part on failure: a log that cannot do its job says so through the stage, never by
 * throwing, never with a made-up result. It asks for one more hook, {@link #induceFailure}.
 */
public interface FailureKit extends LogKit {

  /**
   * Makes {@code log} unable to serve the next calls, as an outage does (for example stop its
   * server, kill its connection, or close it).
   *
   * @param log the log under test, opened by {@link #openLog}
   */
  void induceFailure(ThreadLog log);

  private static boolean failsWithin10s(CompletionStage<?> stage) {
    CompletableFuture<?> f = stage.toCompletableFuture();
    try {
      f.get(10, TimeUnit.SECONDS);
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return true;
    } catch (Exception e) {
      throw new AssertionError("the log did not answer within 10s: " + e, e);
    }
  }

  /** An append the log cannot serve completes exceptionally and never throws. */
  @Test
  @DisplayName("an append the log cannot serve completes exceptionally and never throws")
  default void appendFails() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      appended(log, t, policy(), msg(1));
      induceFailure(log);
      assertThatCode(() -> assertThat(failsWithin10s(log.append(t, policy(), msg(2), 1))).isTrue())
          .doesNotThrowAnyException();
    }
  }

  /** A replay or publish the log cannot serve completes exceptionally. */
  @Test
  @DisplayName("a replay or publish the log cannot serve completes exceptionally")
  default void replayAndPublishFail() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      ThreadId t = freshThread();
      induceFailure(log);
      assertThat(failsWithin10s(log.replay(t, policy(), Since.offset(0)))).isTrue();
      assertThat(failsWithin10s(log.publish(t, msg(1), 1))).isTrue();
    }
  }

  /** A log that cannot serve says it is unhealthy, or fails the health stage. */
  @Test
  @DisplayName("a log that cannot serve says it is unhealthy, or fails the health stage")
  default void healthTellsTheTruth() {
    try (ThreadLog log = openLog(ManualClock.create())) {
      assertThat(await(log.health()).healthy()).isTrue();
      induceFailure(log);
      CompletableFuture<io.threadwire.spi.LogHealth> h = log.health().toCompletableFuture();
      boolean unhealthy;
      try {
        unhealthy = !h.get(10, TimeUnit.SECONDS).healthy();
      } catch (java.util.concurrent.ExecutionException e) {
        unhealthy = true;
      } catch (Exception e) {
        throw new AssertionError("health did not answer within 10s", e);
      }
      assertThat(unhealthy).isTrue();
    }
  }

  /** Close is idempotent and never throws. */
  @Test
  @DisplayName("close is idempotent and never throws")
  default void closeTwice() {
    ThreadLog log = openLog(ManualClock.create());
    log.close();
    assertThatCode(log::close).doesNotThrowAnyException();
  }
}
