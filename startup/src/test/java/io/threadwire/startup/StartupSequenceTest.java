package io.threadwire.startup;

import static io.threadwire.startup.Failures.startupFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.threadwire.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("StartupSequence")
class StartupSequenceTest {

  /** Fast backoff so retries cost no time; deadlines are measured on a manual clock. */
  static final StartupSettings FAST =
      StartupSettings.defaults()
          .withDeadline(Duration.ofSeconds(10))
          .withCheckTimeout(Duration.ofSeconds(5))
          .withBackoff(Duration.ofMillis(1), Duration.ofMillis(4), 2.0);

  final ManualClock clock = ManualClock.create();
  final List<String> journal = new ArrayList<>();

  StartupSequence sequence(StartupSettings settings, ReadinessCheck... checks) {
    return StartupSequence.create(settings, List.of(checks), clock);
  }

  @Nested
  @DisplayName("order")
  class Order {

    @Test
    @DisplayName("runs checks by explicit order, then by name")
    void runsByOrderThenName() {
      ScriptedCheck c = named("c").order(5).then(CheckResult.ready("c")).build();
      ScriptedCheck b = named("b").order(0).then(CheckResult.ready("b")).build();
      ScriptedCheck a = named("a").order(0).then(CheckResult.ready("a")).build();
      ScriptedCheck z = named("z").order(-1).then(CheckResult.ready("z")).build();

      StartupSequence sequence = sequence(FAST, c, b, a, z);
      ReadinessReport report = sequence.run();

      assertThat(journal).containsExactly("z", "a", "b", "c");
      assertThat(report.checks()).extracting(CheckReport::name).containsExactly("z", "a", "b", "c");
      assertThat(sequence.checks()).containsExactly(z, a, b, c);
    }

    @Test
    @DisplayName("refuses two checks with the same name, a blank name or a non-positive timeout")
    void refusesAmbiguousChecks() {
      ReadinessCheck one = ScriptedCheck.always("db", CheckResult.ready("ok"));
      ReadinessCheck two = ScriptedCheck.always("db", CheckResult.ready("ok"));
      assertThatThrownBy(() -> sequence(FAST, one, two))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("two readiness checks are named 'db'");
      assertThatThrownBy(() -> sequence(FAST, ScriptedCheck.always(" ", CheckResult.ready(""))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("blank name");
      ReadinessCheck zero =
          named("zero").timeout(Duration.ZERO).then(CheckResult.ready("")).build();
      assertThatThrownBy(() -> sequence(FAST, zero))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'zero'")
          .hasMessageContaining("not positive");
    }
  }

  @Test
  @DisplayName("an empty set of checks is ready, and the report says so")
  void emptyIsReady() {
    ReadinessReport report = sequence(FAST).run();

    assertThat(report.isReady()).isTrue();
    assertThat(report.status()).isEqualTo(CheckResult.Status.READY);
    assertThat(report.checks()).isEmpty();
    assertThat(report.summary()).contains("no readiness checks configured");
  }

  @Nested
  @DisplayName("NOT_READY")
  class NotReady {

    @Test
    @DisplayName("is retried with backoff until the check is ready")
    void retriedUntilReady() {
      ScriptedCheck db =
          named("db")
              .then(CheckResult.notReady("connection refused"))
              .then(CheckResult.notReady("still starting"))
              .then(CheckResult.ready("pool of 10 connections"))
              .build();

      ReadinessReport report = sequence(FAST, db).run();

      assertThat(db.calls()).isEqualTo(3);
      CheckReport line = report.check("db").orElseThrow();
      assertThat(line.status()).isEqualTo(CheckReport.Status.READY);
      assertThat(line.attempts()).isEqualTo(3);
      assertThat(line.reason()).isEqualTo("pool of 10 connections");
    }

    @Test
    @DisplayName("is retried only until the deadline, then startup fails naming the check")
    void retriedUntilDeadline() {
      // Every attempt takes one second of the manual clock: ten fit in the 10s deadline.
      ScriptedCheck db =
          named("db")
              .thenDo(
                  () -> {
                    clock.advance(Duration.ofSeconds(1));
                    return CompletableFuture.completedFuture(CheckResult.notReady("refused"));
                  })
              .build();
      ScriptedCheck later = named("later").order(1).then(CheckResult.ready("ok")).build();

      StartupFailedException e = startupFailure(() -> sequence(FAST, db, later).run());

      assertThat(db.calls()).isEqualTo(10);
      assertThat(later.calls()).isZero();
      assertThat(e.firstFailure().name()).isEqualTo("db");
      assertThat(e.report().status()).isEqualTo(CheckResult.Status.NOT_READY);
      CheckReport line = e.report().check("db").orElseThrow();
      assertThat(line.status()).isEqualTo(CheckReport.Status.NOT_READY);
      assertThat(line.attempts()).isEqualTo(10);
      assertThat(line.duration()).isEqualTo(Duration.ofSeconds(10));
      assertThat(line.reason())
          .isEqualTo(
              "refused (still not ready after 10 attempts when the startup deadline of 10000ms"
                  + " passed)");
      assertThat(e.report().check("later").orElseThrow().status())
          .isEqualTo(CheckReport.Status.SKIPPED);
      assertThat(e)
          .hasMessageContaining("check 'db' failed first (NOT_READY)")
          .hasMessageContaining("1. db NOT_READY in 10000ms (10 attempts): refused")
          .hasMessageContaining("2. later SKIPPED in 0ms (0 attempts): not run");
    }

    @Test
    @DisplayName(
        "a check that never answers times out as NOT_READY and fails the run by the deadline")
    void silentCheckTimesOut() throws Exception {
      StartupSettings settings =
          FAST.withDeadline(Duration.ofSeconds(1)).withCheckTimeout(Duration.ofMillis(50));
      ScriptedCheck silent = named("silent").thenDo(CompletableFuture::new).build();

      ReadinessReport report =
          StartupSequence.create(settings, List.of(silent))
              .runAsync()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);

      CheckReport line = report.check("silent").orElseThrow();
      assertThat(line.status()).isEqualTo(CheckReport.Status.NOT_READY);
      assertThat(line.reason()).startsWith("timed out: no answer within ");
      assertThat(line.attempts()).isPositive();
      assertThat(silent.calls()).isEqualTo(line.attempts());
    }

    @Test
    @DisplayName("a check that blocks in check() is still cut off by its timeout")
    void blockingCheckTimesOut() throws Exception {
      CountDownLatch never = new CountDownLatch(1);
      ScriptedCheck blocking =
          named("blocking")
              .timeout(Duration.ofMillis(50))
              .thenDo(
                  () -> {
                    try {
                      never.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    return CompletableFuture.completedFuture(CheckResult.ready("too late"));
                  })
              .build();
      try {
        ReadinessReport report =
            StartupSequence.create(FAST.withDeadline(Duration.ofSeconds(1)), List.of(blocking))
                .runAsync()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);

        assertThat(report.isReady()).isFalse();
        CheckReport line = report.check("blocking").orElseThrow();
        assertThat(line.reason()).startsWith("timed out");
        // Retried while the first call still blocks: never called again, so one thread is held.
        assertThat(line.attempts()).isGreaterThan(1);
        assertThat(blocking.calls()).isEqualTo(1);
      } finally {
        never.countDown();
      }
    }
  }

  @Nested
  @DisplayName("FAILED")
  class Failed {

    @Test
    @DisplayName("stops the run at once: not retried, later checks not run but listed as SKIPPED")
    void stopsAtOnce() {
      ScriptedCheck first = named("first").order(1).then(CheckResult.ready("ok")).build();
      ScriptedCheck broken =
          named("broken")
              .order(2)
              .then(
                  CheckResult.failed(
                      "schema version 3, expected 4", new IllegalStateException("v3")))
              .build();
      ScriptedCheck last = named("last").order(3).then(CheckResult.ready("ok")).build();

      StartupFailedException e = startupFailure(() -> sequence(FAST, first, broken, last).run());

      assertThat(broken.calls()).isEqualTo(1);
      assertThat(last.calls()).isZero();
      assertThat(e.report().status()).isEqualTo(CheckResult.Status.FAILED);
      assertThat(e.report().checks())
          .extracting(CheckReport::status)
          .containsExactly(
              CheckReport.Status.READY, CheckReport.Status.FAILED, CheckReport.Status.SKIPPED);
      assertThat(e.firstFailure().name()).isEqualTo("broken");
      assertThat(e).hasCauseInstanceOf(IllegalStateException.class);
      assertThat(e)
          .hasMessageContaining("check 'broken' failed first (FAILED)")
          .hasMessageContaining("1. first READY in 0ms (1 attempt): ok")
          .hasMessageContaining(
              "2. broken FAILED in 0ms (1 attempt): schema version 3, expected 4 [cause:"
                  + " java.lang.IllegalStateException: v3]")
          .hasMessageContaining(
              "3. last SKIPPED in 0ms (0 attempts): not run: check 'broken' failed first");
    }

    @Test
    @DisplayName("lists every check with its measured duration")
    void listsDurations() {
      ScriptedCheck slow =
          named("slow")
              .thenDo(
                  () -> {
                    clock.advance(Duration.ofMillis(250));
                    return CompletableFuture.completedFuture(CheckResult.ready("ok"));
                  })
              .build();
      ScriptedCheck broken = named("broken").order(1).then(CheckResult.failed("no")).build();

      StartupFailedException e = startupFailure(() -> sequence(FAST, slow, broken).run());

      assertThat(e.report().duration()).isEqualTo(Duration.ofMillis(250));
      assertThat(e)
          .hasMessageContaining("1. slow READY in 250ms (1 attempt): ok")
          .hasMessageContaining("2. broken FAILED in 0ms (1 attempt): no");
    }

    @Test
    @DisplayName("a check that throws is reported FAILED with the exception, never ready")
    void throwingCheck() {
      IllegalStateException boom = new IllegalStateException("boom");
      ScriptedCheck throwing =
          named("throwing")
              .thenDo(
                  () -> {
                    throw boom;
                  })
              .build();

      StartupFailedException e = startupFailure(() -> sequence(FAST, throwing).run());

      CheckReport line = e.firstFailure();
      assertThat(line.name()).isEqualTo("throwing");
      assertThat(line.status()).isEqualTo(CheckReport.Status.FAILED);
      assertThat(line.reason()).isEqualTo("the check threw java.lang.IllegalStateException: boom");
      assertThat(line.cause()).containsSame(boom);
      assertThat(e).hasCause(boom).hasMessageContaining("check 'throwing' failed first");
    }

    @Test
    @DisplayName("a stage completing exceptionally, or with null, is reported FAILED")
    void exceptionalOrNullStage() {
      IllegalStateException boom = new IllegalStateException("async boom");
      ScriptedCheck exceptional =
          named("exceptional").thenDo(() -> CompletableFuture.failedFuture(boom)).build();
      ScriptedCheck nullStage = named("null-stage").thenDo(() -> null).build();
      ScriptedCheck nullResult =
          named("null-result").thenDo(() -> CompletableFuture.completedFuture(null)).build();

      ReadinessReport report =
          sequence(FAST, exceptional, nullStage, nullResult)
              .checkOnce()
              .toCompletableFuture()
              .join();

      assertThat(report.checks())
          .extracting(CheckReport::status)
          .containsOnly(CheckReport.Status.FAILED);
      assertThat(report.check("exceptional").orElseThrow().cause()).containsSame(boom);
      assertThat(report.check("null-stage").orElseThrow().reason()).contains("null");
      assertThat(report.check("null-result").orElseThrow().reason()).contains("null");
    }
  }

  @Nested
  @DisplayName("deadline")
  class Deadline {

    @Test
    @DisplayName("a check that cannot start before the deadline is NOT_READY, not skipped silently")
    void checkAfterDeadline() {
      ScriptedCheck slow =
          named("slow")
              .thenDo(
                  () -> {
                    clock.advance(Duration.ofSeconds(11));
                    return CompletableFuture.completedFuture(CheckResult.ready("ok"));
                  })
              .build();
      ScriptedCheck next = named("next").order(1).then(CheckResult.ready("ok")).build();
      ScriptedCheck last = named("last").order(2).then(CheckResult.ready("ok")).build();

      StartupFailedException e = startupFailure(() -> sequence(FAST, slow, next, last).run());

      assertThat(next.calls()).isZero();
      assertThat(e.firstFailure().name()).isEqualTo("next");
      assertThat(e.firstFailure().reason())
          .isEqualTo("not run: the startup deadline of 10000ms passed before it");
      assertThat(e.report().check("last").orElseThrow().status())
          .isEqualTo(CheckReport.Status.SKIPPED);
    }
  }

  @Test
  @DisplayName("an interrupted run() fails at once, naming the running check, interrupt flag kept")
  void interrupted() throws Exception {
    CountDownLatch called = new CountDownLatch(1);
    ScriptedCheck silent =
        named("silent")
            .thenDo(
                () -> {
                  called.countDown();
                  return new CompletableFuture<>();
                })
            .build();
    ScriptedCheck next = named("next").order(1).then(CheckResult.ready("ok")).build();
    StartupSequence sequence =
        StartupSequence.create(FAST.withDeadline(Duration.ofMinutes(10)), List.of(silent, next));
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    CompletableFuture<Boolean> flag = new CompletableFuture<>();
    Thread runner =
        new Thread(
            () -> {
              try {
                sequence.run();
                thrown.complete(null);
              } catch (RuntimeException e) {
                thrown.complete(e);
              }
              flag.complete(Thread.currentThread().isInterrupted());
            });
    runner.start();
    assertThat(called.await(30, TimeUnit.SECONDS)).isTrue();

    runner.interrupt();

    // Generous bounds: this checks that run() ends long before its 10 minute deadline.
    Throwable e = thrown.get(30, TimeUnit.SECONDS);
    assertThat(flag.get(30, TimeUnit.SECONDS)).isTrue();
    assertThat(e).isInstanceOf(StartupFailedException.class);
    StartupFailedException failure = (StartupFailedException) e;
    assertThat(failure.firstFailure().name()).isEqualTo("silent");
    assertThat(failure.firstFailure().reason()).contains("interrupted");
    assertThat(failure.report().check("next").orElseThrow().status())
        .isEqualTo(CheckReport.Status.SKIPPED);
  }

  @Nested
  @DisplayName("checkOnce")
  class CheckOnce {

    @Test
    @DisplayName("attempts every check once, in order, without retrying or skipping")
    void everyCheckOnce() {
      ScriptedCheck a = named("a").order(1).then(CheckResult.notReady("warming up")).build();
      ScriptedCheck b = named("b").order(2).then(CheckResult.failed("broken")).build();
      ScriptedCheck c = named("c").order(3).then(CheckResult.ready("ok")).build();

      ReadinessReport report = sequence(FAST, a, b, c).checkOnce().toCompletableFuture().join();

      assertThat(journal).containsExactly("a", "b", "c");
      assertThat(report.checks())
          .extracting(CheckReport::status)
          .containsExactly(
              CheckReport.Status.NOT_READY, CheckReport.Status.FAILED, CheckReport.Status.READY);
      assertThat(report.checks()).extracting(CheckReport::attempts).containsOnly(1);
      assertThat(report.status()).isEqualTo(CheckResult.Status.FAILED);
      assertThat(report.firstFailure().orElseThrow().name()).isEqualTo("a");
    }
  }

  ScriptedCheck.Builder named(String name) {
    return ScriptedCheck.named(name).journal(journal);
  }
}
