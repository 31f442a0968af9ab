package io.threadwire.startup;

import static io.threadwire.startup.Failures.startupFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import io.threadwire.inmemory.InMemoryThreadMessaging;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ReadinessState")
class ReadinessStateTest {

  final InMemoryThreadMessaging messaging = InMemoryThreadMessaging.create();

  @AfterEach
  void close() {
    messaging.close();
  }

  @Test
  @DisplayName("is STARTING with no report until a run ends, then READY with the report as JSON")
  void startingThenReady() {
    messaging.start();
    Startup startup = Startup.create(StartupSettings.defaults(), messaging, List.of());
    ReadinessState state = startup.readiness();

    assertThat(state.status()).isEqualTo(ReadinessState.Status.STARTING);
    assertThat(state.lastReport()).isEmpty();
    assertThat(state.toJson()).isEqualTo("{\"status\":\"STARTING\"}");

    ReadinessReport report = startup.run();

    assertThat(state.status()).isEqualTo(ReadinessState.Status.READY);
    assertThat(state.isReady()).isTrue();
    assertThat(state.lastReport()).containsSame(report);
    Config json = JsonAssert.parse(state.toJson());
    assertThat(json.getString("status")).isEqualTo("READY");
    assertThat(json.getString("report.status")).isEqualTo("READY");
    assertThat(json.getConfigList("report.checks").get(0).getString("reason"))
        .contains("nobody joins the probe thread");
  }

  @Test
  @DisplayName("is NOT_READY after a failed startup")
  void notReadyAfterFailure() {
    Startup startup = Startup.create(StartupSettings.defaults(), messaging, List.of());

    startupFailure(startup::run); // never started: NOT_STARTED

    assertThat(startup.readiness().status()).isEqualTo(ReadinessState.Status.NOT_READY);
    assertThat(startup.readiness().lastReport().orElseThrow().firstFailure().orElseThrow().reason())
        .contains("NOT_STARTED");
  }

  @Test
  @DisplayName("refresh re-runs the checks after startup and follows the port going down")
  void refreshFollowsThePort() throws Exception {
    messaging.start();
    Startup startup = Startup.create(StartupSettings.defaults(), messaging, List.of());
    startup.run();

    messaging.close();
    ReadinessReport report =
        startup.readiness().refresh().toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertThat(report.isReady()).isFalse();
    assertThat(report.firstFailure().orElseThrow().reason()).contains("CLOSED");
    assertThat(startup.readiness().status()).isEqualTo(ReadinessState.Status.NOT_READY);
    assertThat(startup.readiness().lastReport()).containsSame(report);
  }

  @Test
  @DisplayName("refresh never blocks the caller, and concurrent refreshes share one run")
  void refreshIsNonBlockingAndCoalesced() throws Exception {
    CompletableFuture<CheckResult> gate = new CompletableFuture<>();
    ScriptedCheck gated = ScriptedCheck.named("gated").thenDo(() -> gate).build();
    StartupSequence sequence = StartupSequence.create(StartupSettings.defaults(), List.of(gated));
    ReadinessState state = ReadinessState.create(sequence);

    CompletionStage<ReadinessReport> first = state.refresh();
    CompletionStage<ReadinessReport> second = state.refresh();

    assertThat(first.toCompletableFuture()).isNotDone();
    assertThat(state.status()).isEqualTo(ReadinessState.Status.STARTING);
    gate.complete(CheckResult.ready("open"));

    ReadinessReport a = first.toCompletableFuture().get(30, TimeUnit.SECONDS);
    ReadinessReport b = second.toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(a).isSameAs(b);
    assertThat(gated.calls()).isEqualTo(1);
    assertThat(state.status()).isEqualTo(ReadinessState.Status.READY);
    assertThat(state.lastReport()).containsSame(a);
  }

  @Test
  @DisplayName("refresh during an asynchronous startup waits for that run instead of probing again")
  void refreshDuringStartup() throws Exception {
    CompletableFuture<CheckResult> gate = new CompletableFuture<>();
    ScriptedCheck gated = ScriptedCheck.named("gated").thenDo(() -> gate).build();
    Startup startup =
        Startup.create(
            StartupSettings.defaults().withProbeEnabled(false), messaging, List.of(gated));

    CompletionStage<ReadinessReport> run = startup.runAsync();
    CompletionStage<ReadinessReport> refresh = startup.readiness().refresh();
    gate.complete(CheckResult.ready("open"));

    assertThat(refresh.toCompletableFuture().get(30, TimeUnit.SECONDS))
        .isSameAs(run.toCompletableFuture().get(30, TimeUnit.SECONDS));
    assertThat(gated.calls()).isEqualTo(1);
    assertThat(startup.readiness().isReady()).isTrue();
  }

  @Test
  @DisplayName("refresh of a check that never answers completes NOT_READY within its timeout")
  void refreshOfSilentCheck() {
    ScriptedCheck silent =
        ScriptedCheck.named("silent")
            .timeout(Duration.ofMillis(100))
            .thenDo(CompletableFuture::new)
            .build();
    ReadinessState state =
        ReadinessState.create(StartupSequence.create(StartupSettings.defaults(), List.of(silent)));

    state.refresh();

    await().atMost(Duration.ofSeconds(30)).until(() -> state.lastReport().isPresent());
    assertThat(state.status()).isEqualTo(ReadinessState.Status.NOT_READY);
    assertThat(state.lastReport().orElseThrow().checks().get(0).reason()).startsWith("timed out");
  }

  @Test
  @DisplayName("refreshes of a check that blocks forever hold one thread, not one per refresh")
  void blockedCheckHoldsOneThread() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Set<Thread> blocked = ConcurrentHashMap.newKeySet();
    ScriptedCheck stuck =
        ScriptedCheck.named("stuck")
            .timeout(Duration.ofMillis(20))
            .thenDo(
                () -> {
                  if (release.getCount() > 0) {
                    blocked.add(Thread.currentThread());
                    entered.countDown();
                    awaitQuietly(release);
                  }
                  return CompletableFuture.completedFuture(CheckResult.ready("unstuck"));
                })
            .build();
    ReadinessState state =
        ReadinessState.create(StartupSequence.create(StartupSettings.defaults(), List.of(stuck)));
    try {
      ReadinessReport first = state.refresh().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(first.checks().get(0).reason()).startsWith("timed out: no answer within 20ms");

      int refreshes = 25;
      for (int i = 0; i < refreshes; i++) {
        ReadinessReport report = state.refresh().toCompletableFuture().get(30, TimeUnit.SECONDS);
        CheckReport line = report.checks().get(0);
        assertThat(line.status()).isEqualTo(CheckReport.Status.NOT_READY);
        assertThat(line.reason()).contains("still running from an earlier attempt");
      }

      assertThat(stuck.calls()).isEqualTo(1);
      assertThat(blocked).hasSize(1);
      assertThat(blocked.iterator().next().isAlive()).isTrue();
    } finally {
      release.countDown();
    }
    // Once the blocked call returns, the next refresh calls the check again.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> state.refresh().toCompletableFuture().get(30, TimeUnit.SECONDS).isReady());
    assertThat(stuck.calls()).isEqualTo(2);
    assertThat(blocked).hasSize(1);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
