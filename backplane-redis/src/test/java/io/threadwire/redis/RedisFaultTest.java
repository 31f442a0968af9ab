package io.threadwire.redis;

import static io.threadwire.testkit.log.LogKit.await;
import static io.threadwire.testkit.log.LogKit.msg;
import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.HistoryPolicy;
import io.threadwire.Message;
import io.threadwire.ThreadId;
import io.threadwire.spi.AppendResult;
import io.threadwire.spi.LogEntry;
import io.threadwire.spi.LogGap;
import io.threadwire.spi.LogPolicy;
import io.threadwire.spi.LogReplay;
import io.threadwire.spi.Since;
import io.threadwire.startup.CheckResult;
import io.threadwire.startup.ThreadLogReadinessCheck;
import io.threadwire.testkit.log.LogKit;
import io.threadwire.testkit.log.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Faults against a real {@code redis-server} of the test's own (a free loopback port, no
 * persistence): pub/sub connections killed during appends, the server down, the server restarted
 * empty.
 */
class RedisFaultTest {

  private static final LogPolicy POLICY =
      new LogPolicy(HistoryPolicy.defaults(), LogKit.WINDOW, 100);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

  private PrivateRedis redis;
  private RedisThreadLog log;

  @BeforeEach
  void start() {
    redis = PrivateRedis.start();
    log =
        RedisThreadLog.create(
            RedisTestSupport.settings(redis.uri()).toBuilder()
                .commandTimeout(COMMAND_TIMEOUT)
                .connectTimeout(COMMAND_TIMEOUT)
                .build());
    log.start();
  }

  @AfterEach
  void stop() {
    log.close();
    redis.close();
  }

  @Test
  @DisplayName("pub/sub connections killed during appends: every offset once, in order, or a gap")
  void pubsubKilledDuringAppends() throws Exception {
    ThreadId t = ThreadId.of("kill");
    Recorder rec = Recorder.after(0);
    await(log.subscribe(t, POLICY, rec));
    AtomicBoolean appending = new AtomicBoolean(true);
    List<Long> kills = new ArrayList<>();
    Thread killer =
        new Thread(
            () -> {
              while (appending.get()) {
                kills.add(
                    redis.command(
                        c -> c.sync().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub())));
                Thread.onSpinWait();
              }
            });
    killer.start();
    int n = 500;
    for (int i = 1; i <= n; i++) {
      await(log.append(t, POLICY, msg(i), 1));
    }
    appending.set(false);
    killer.join();
    // Everything appended is delivered or covered by a gap; the position check repairs the tail.
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> reached(rec) >= n);
    rec.assertContractKept();
    assertThat(rec.offsets()).doesNotHaveDuplicates().isSorted();
    assertThat(kills.stream().mapToLong(Long::longValue).sum())
        .as("pub/sub connections killed")
        .isPositive();
    assertThat(log.repairs()).as("repairs from the stream after a lost message").isPositive();
    // The stream holds all 500 (bound 1000), so every loss was repairable: no gap at all.
    assertThat(rec.gaps()).isEmpty();
    assertThat(rec.offsets()).hasSize(n);
  }

  @Test
  @DisplayName("pub/sub killed during appends to a short history: what the stream lost is a gap")
  void pubsubKilledWithShortHistory() throws Exception {
    ThreadId t = ThreadId.of("kill-short");
    LogPolicy three =
        new LogPolicy(HistoryPolicy.defaults().withMaxMessages(3), LogKit.WINDOW, 100);
    Recorder rec = Recorder.after(0);
    await(log.subscribe(t, three, rec));
    AtomicBoolean appending = new AtomicBoolean(true);
    Thread killer =
        new Thread(
            () -> {
              while (appending.get()) {
                redis.command(
                    c -> c.sync().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub()));
              }
            });
    killer.start();
    int n = 500;
    for (int i = 1; i <= n; i++) {
      await(log.append(t, three, msg(i), 1));
    }
    appending.set(false);
    killer.join();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> reached(rec) >= n);
    // The listener contract: no offset skipped without a gap before it, none twice, in order.
    rec.assertContractKept();
    assertThat(rec.offsets()).doesNotHaveDuplicates().isSorted();
    for (LogGap g : rec.gaps()) {
      assertThat(g.resumeAfter()).isLessThan(n);
    }
  }

  private static long reached(Recorder rec) {
    List<Long> offsets = rec.offsets();
    long last = offsets.isEmpty() ? 0 : offsets.get(offsets.size() - 1);
    for (LogGap g : rec.gaps()) {
      last = Math.max(last, g.resumeAfter());
    }
    return last;
  }

  @Test
  @DisplayName(
      "Redis down: an append fails within the timeout and is not applied when Redis is back")
  void downAppendFailsAndIsNeverApplied() throws Exception {
    ThreadId t = ThreadId.of("down");
    AppendResult before = await(log.append(t, POLICY, msg(1), 1));
    assertThat(before.offset()).isEqualTo(1);
    redis.stopServer();
    Message lost = Message.builder("while down").id("while-down").build();
    CompletableFuture<AppendResult> f = log.append(t, POLICY, lost, 1).toCompletableFuture();
    try {
      f.get(COMMAND_TIMEOUT.toMillis() * 4, TimeUnit.MILLISECONDS);
      throw new AssertionError("an append while Redis is down succeeded: " + f.join());
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(RedisLogException.class);
      assertThat(e.getCause().getMessage()).contains("127.0.0.1:" + redis.port);
    }
    assertThat(await(log.health()).healthy()).isFalse();
    redis.startServer();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> log.health().toCompletableFuture().get(5, TimeUnit.SECONDS).healthy());
    AppendResult after = await(log.append(t, POLICY, msg(2), 1));
    LogReplay r = await(log.replay(t, POLICY, Since.offset(0)));
    // A command buffered while down would have been sent before this one after the reconnect.
    assertThat(r.entries()).extracting(e -> e.message().id()).containsExactly("m-2");
    assertThat(after.offset()).isEqualTo(1);
    // The server restarted empty (no persistence): a new epoch, and a client that knew the old
    // one is told it missed something.
    assertThat(after.epoch()).isNotEqualTo(before.epoch());
    LogReplay old = await(log.replay(t, POLICY, Since.position(before.epoch(), 1)));
    assertThat(old.recovered()).isFalse();
    assertThat(old.position().epoch()).isEqualTo(after.epoch());
  }

  @Test
  @DisplayName(
      "the thread-log readiness check is READY with Redis up and FAILED, naming it, when down")
  void readiness() {
    ThreadLogReadinessCheck check = ThreadLogReadinessCheck.create(log);
    CheckResult up = await(check.check());
    assertThat(up.status()).isEqualTo(CheckResult.Status.READY);
    assertThat(up.reason()).contains("127.0.0.1:" + redis.port).contains("PING");
    redis.stopServer();
    CheckResult down = await(check.check());
    assertThat(down.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(down.reason()).contains("127.0.0.1:" + redis.port);
  }

  @Test
  @DisplayName(
      "Redis restarted without persistence: a subscriber is told of the new epoch by a gap")
  void restartIsANewEpochForSubscribers() {
    ThreadId t = ThreadId.of("restart");
    Recorder rec = Recorder.after(0);
    await(log.subscribe(t, POLICY, rec));
    AppendResult before = await(log.append(t, POLICY, msg(1), 1));
    rec.awaitEntries(1);
    redis.stopServer();
    redis.startServer();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () ->
                log.append(t, POLICY, msg(2), 1).toCompletableFuture().get(5, TimeUnit.SECONDS)
                    != null);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !rec.gaps().isEmpty());
    LogGap gap = rec.gaps().get(0);
    assertThat(gap.epoch()).isNotEqualTo(before.epoch());
    assertThat(gap.resumeAfter()).isZero();
    rec.awaitEntries(2);
    LogEntry second = rec.entries().get(1);
    assertThat(second.epoch()).isEqualTo(gap.epoch());
    assertThat(second.message().id()).isEqualTo("m-2");
    rec.assertContractKept();
  }
}
