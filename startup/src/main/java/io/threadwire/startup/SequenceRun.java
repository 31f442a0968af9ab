package io.threadwire.startup;

import io.threadwire.startup.StartupSequence.Planned;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One run of a {@link StartupSequence}: walks the plan check by check, each step continuing in the
 * callback of the previous one, so no thread waits for a check. Completes its result exactly once,
 * with a report, never exceptionally.
 */
final class SequenceRun {

  static final String STILL_RUNNING =
      "timed out: still running from an earlier attempt that has not returned from check();"
          + " not called again until it does";

  private final List<Planned> plan;
  private final Duration deadlineLength;
  private final Backoff backoff; // null: a one-shot run, no retries and no skipping
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final Executor workers;
  private final Set<String> calling; // shared by the sequence's runs: checks inside check() now
  private final CompletableFuture<ReadinessReport> result = new CompletableFuture<>();
  private final List<CheckReport> reports = new ArrayList<>(); // guarded by this
  private final Instant startedAt;
  private final Instant deadline;
  private Instant currentStartedAt; // guarded by this: when the check running now started

  SequenceRun(
      List<Planned> plan,
      Duration deadline,
      Backoff backoff,
      Clock clock,
      ScheduledExecutorService timer,
      Executor workers,
      Set<String> calling) {
    this.plan = plan;
    this.deadlineLength = deadline;
    this.backoff = backoff;
    this.clock = clock;
    this.timer = timer;
    this.workers = workers;
    this.calling = calling;
    this.startedAt = clock.instant();
    this.deadline = startedAt.plus(deadline);
  }

  CompletableFuture<ReadinessReport> result() {
    return result;
  }

  void start() {
    try {
      startCheck(0);
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
  }

  /**
   * Ends the run now, if it has not ended: the running check is reported not ready with {@code
   * why}, the rest skipped.
   */
  synchronized ReadinessReport abort(String why) {
    if (!result.isDone()) {
      // Every check gets exactly one line, in plan order: the next line is the running check's.
      int running = reports.size();
      if (running < plan.size()) {
        Instant since = currentStartedAt != null ? currentStartedAt : startedAt;
        add(
            plan.get(running),
            CheckReport.Status.NOT_READY,
            0,
            elapsed(since),
            why,
            Optional.empty());
        skipFrom(running + 1, "not run: startup was interrupted");
      }
      finish();
    }
    return result.getNow(null);
  }

  private void startCheck(int index) {
    Instant now = clock.instant();
    synchronized (this) {
      if (result.isDone()) {
        return;
      }
      currentStartedAt = now;
      if (index == plan.size()) {
        finish();
        return;
      }
      if (!now.isBefore(deadline)) {
        add(
            plan.get(index),
            CheckReport.Status.NOT_READY,
            0,
            Duration.ZERO,
            "not run: the startup deadline of " + millis(deadlineLength) + " passed before it",
            Optional.empty());
        skipFrom(index + 1, "not run: the startup deadline passed");
        finish();
        return;
      }
    }
    attempt(index, now, 1, Optional.empty());
  }

  private void attempt(int index, Instant checkStart, int attempt, Optional<CheckResult> last) {
    Planned p = plan.get(index);
    Duration remaining = Duration.between(clock.instant(), deadline);
    if (remaining.isNegative() || remaining.isZero()) {
      // The pause before this retry overran the deadline: report the last answer.
      CheckResult previous = last.orElseGet(() -> CheckResult.notReady("no time left to run"));
      giveUp(index, checkStart, attempt - 1, previous);
      return;
    }
    boolean cutByDeadline = remaining.compareTo(p.timeout()) < 0;
    Duration limit = cutByDeadline ? remaining : p.timeout();
    // Continue on a worker of ours, never on whatever thread completed the check's stage (a
    // transport's or a hub's thread): the rest of the run, logging and callers' callbacks included.
    invoke(p, limit, cutByDeadline)
        .thenAcceptAsync(r -> answered(index, checkStart, attempt, r), workers)
        .exceptionally(
            e -> {
              result.completeExceptionally(e);
              return null;
            });
  }

  private void answered(int index, Instant checkStart, int attempt, CheckResult r) {
    if (result.isDone()) {
      return;
    }
    Planned p = plan.get(index);
    switch (r.status()) {
      case READY -> {
        record(index, checkStart, attempt, CheckReport.Status.READY, r.reason(), r.cause());
        startCheck(index + 1);
      }
      case FAILED -> {
        record(index, checkStart, attempt, CheckReport.Status.FAILED, r.reason(), r.cause());
        if (backoff == null) {
          startCheck(index + 1);
        } else {
          stop(index, "not run: check '" + p.name() + "' failed first");
        }
      }
      case NOT_READY -> {
        if (backoff == null) {
          record(index, checkStart, attempt, CheckReport.Status.NOT_READY, r.reason(), r.cause());
          startCheck(index + 1);
          return;
        }
        Duration pause = backoff.pauseAfter(attempt);
        if (clock.instant().plus(pause).isBefore(deadline)) {
          timer.schedule(
              () -> guarded(() -> attempt(index, checkStart, attempt + 1, Optional.of(r))),
              pause.toNanos(),
              TimeUnit.NANOSECONDS);
        } else {
          giveUp(index, checkStart, attempt, r);
        }
      }
    }
  }

  /** Runs a step on the timer; a bug in it ends the run instead of vanishing with the task. */
  private void guarded(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException | Error e) {
      result.completeExceptionally(e);
    }
  }

  private void giveUp(int index, Instant checkStart, int attempts, CheckResult last) {
    String reason =
        last.reason()
            + " (still not ready after "
            + attempts
            + (attempts == 1 ? " attempt" : " attempts")
            + " when the startup deadline of "
            + millis(deadlineLength)
            + " passed)";
    record(index, checkStart, attempts, CheckReport.Status.NOT_READY, reason, last.cause());
    stop(index, "not run: check '" + plan.get(index).name() + "' was still not ready");
  }

  private synchronized void stop(int index, String skippedReason) {
    if (result.isDone()) {
      return;
    }
    skipFrom(index + 1, skippedReason);
    finish();
  }

  private synchronized void record(
      int index,
      Instant checkStart,
      int attempts,
      CheckReport.Status status,
      String reason,
      Optional<Throwable> cause) {
    if (!result.isDone()) {
      add(plan.get(index), status, attempts, elapsed(checkStart), reason, cause);
    }
  }

  private void add(
      Planned p,
      CheckReport.Status status,
      int attempts,
      Duration took,
      String reason,
      Optional<Throwable> cause) {
    reports.add(new CheckReport(p.name(), p.order(), status, attempts, took, reason, cause));
  }

  private void skipFrom(int index, String reason) {
    for (int i = index; i < plan.size(); i++) {
      add(plan.get(i), CheckReport.Status.SKIPPED, 0, Duration.ZERO, reason, Optional.empty());
    }
  }

  private void finish() {
    result.complete(ReadinessReport.of(startedAt, elapsed(startedAt), reports));
  }

  private Duration elapsed(Instant since) {
    Duration d = Duration.between(since, clock.instant());
    return d.isNegative() ? Duration.ZERO : d; // a wall clock may step back
  }

  /**
   * Calls the check on a worker thread and answers within {@code limit}, whatever the check does: a
   * throw or an exceptional stage becomes {@code FAILED}, silence becomes {@code NOT_READY}. A
   * check still inside {@code check()} from an earlier attempt, of this run or another, is not
   * called again: the answer is {@code NOT_READY} at once, so each check holds one thread at most.
   */
  private CompletableFuture<CheckResult> invoke(Planned p, Duration limit, boolean cutByDeadline) {
    CompletableFuture<CheckResult> answer = new CompletableFuture<>();
    if (!calling.add(p.name())) {
      // A call that never returns would otherwise cost one more thread per attempt, without end.
      answer.complete(CheckResult.notReady(STILL_RUNNING));
      return answer;
    }
    ScheduledFuture<?> timeout =
        timer.schedule(
            () -> answer.complete(CheckResult.notReady(timedOut(limit, cutByDeadline))),
            limit.toNanos(),
            TimeUnit.NANOSECONDS);
    answer.whenComplete((r, e) -> timeout.cancel(false));
    try {
      workers.execute(() -> call(p, answer));
    } catch (RuntimeException | Error e) {
      calling.remove(p.name());
      throw e;
    }
    return answer;
  }

  /** Calls the check on this worker thread and completes {@code answer} with what it says. */
  private void call(Planned p, CompletableFuture<CheckResult> answer) {
    CompletionStage<CheckResult> stage;
    try {
      stage = p.check().check();
    } catch (RuntimeException | Error e) {
      answer.complete(CheckResult.failed("the check threw " + e, e));
      return;
    } finally {
      calling.remove(p.name());
    }
    if (stage == null) {
      answer.complete(CheckResult.failed("the check returned no stage (null)"));
      return;
    }
    stage.whenComplete(
        (r, e) -> {
          if (e != null) {
            Throwable cause = unwrap(e);
            answer.complete(
                CheckResult.failed("the check completed exceptionally: " + cause, cause));
          } else if (r == null) {
            answer.complete(CheckResult.failed("the check completed with no result (null)"));
          } else {
            answer.complete(r);
          }
        });
  }

  private static String timedOut(Duration limit, boolean cutByDeadline) {
    return "timed out: no answer within "
        + millis(limit)
        + (cutByDeadline ? ", cut short by the startup deadline" : "");
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String millis(Duration d) {
    return d.toMillis() + "ms";
  }
}
