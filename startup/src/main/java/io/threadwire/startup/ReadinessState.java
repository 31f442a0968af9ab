package io.threadwire.startup;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the application is ready, as a health endpoint asks it: a status ({@link
 * Status#STARTING}, {@link Status#READY} or {@link Status#NOT_READY}) and the report it rests on.
 *
 * <p>Reading ({@link #status()}, {@link #lastReport()}, {@link #toJson()}) never blocks and never
 * runs a check. {@link #refresh()} attempts every check once, in the background; while a startup
 * run or another refresh is in flight it returns that run's stage instead of starting another, so a
 * health endpoint polled often never piles up probes. A check that blocks in {@code check()} is not
 * called again by later refreshes until that call returns (they report it {@code NOT_READY}, "still
 * running from an earlier attempt"), so polling never grows the number of threads. Thread-safe.
 */
public final class ReadinessState {

  /** Where the application is, as far as readiness goes. */
  public enum Status {
    /** No run has finished yet. */
    STARTING,
    /** The last run found every check ready. */
    READY,
    /** The last run found a check failed or not ready. */
    NOT_READY
  }

  private final StartupSequence sequence;
  private final AtomicReference<CompletableFuture<ReadinessReport>> inFlight =
      new AtomicReference<>();
  private volatile Snapshot snapshot = new Snapshot(Status.STARTING, Optional.empty());

  private ReadinessState(StartupSequence sequence) {
    this.sequence = sequence;
  }

  /**
   * {@return a state in {@link Status#STARTING} that refreshes itself with {@code sequence}}
   *
   * @param sequence the startup sequence whose checks it re-runs
   */
  public static ReadinessState create(StartupSequence sequence) {
    return new ReadinessState(Objects.requireNonNull(sequence, "sequence"));
  }

  /** {@return the status now; never blocks} */
  public Status status() {
    return snapshot.status;
  }

  /** {@return true if the status is {@link Status#READY}} */
  public boolean isReady() {
    return snapshot.status == Status.READY;
  }

  /** {@return the report of the last finished run; empty while {@link Status#STARTING}} */
  public Optional<ReadinessReport> lastReport() {
    return snapshot.report;
  }

  /**
   * Attempts every check once in the background (see {@link StartupSequence#checkOnce()}) and
   * updates this state before the returned stage completes. The caller is not blocked; the stage
   * completes within the configured deadline.
   *
   * @return the new report, when every check has answered
   */
  public CompletionStage<ReadinessReport> refresh() {
    while (true) {
      CompletableFuture<ReadinessReport> running = inFlight.get();
      if (running != null) {
        return running.copy();
      }
      CompletableFuture<ReadinessReport> mine = new CompletableFuture<>();
      if (inFlight.compareAndSet(null, mine)) {
        follow(sequence.checkOnce().toCompletableFuture(), mine);
        return mine.copy();
      }
    }
  }

  /**
   * Follows a startup run: the state is updated when it ends, and refreshes wait for it.
   *
   * @return a stage completing with the run's report once the state has been updated
   */
  CompletionStage<ReadinessReport> track(CompletableFuture<ReadinessReport> startupRun) {
    CompletableFuture<ReadinessReport> mine = new CompletableFuture<>();
    inFlight.set(mine);
    follow(startupRun, mine);
    return mine.copy();
  }

  /** Records {@code report} as the latest, at once. */
  void record(ReadinessReport report) {
    snapshot =
        new Snapshot(report.isReady() ? Status.READY : Status.NOT_READY, Optional.of(report));
  }

  private void follow(
      CompletableFuture<ReadinessReport> run, CompletableFuture<ReadinessReport> mine) {
    run.whenComplete(
        (report, e) -> {
          if (report != null) {
            record(report);
          }
          inFlight.compareAndSet(mine, null);
          if (e != null) {
            mine.completeExceptionally(e);
          } else {
            mine.complete(report);
          }
        });
  }

  /**
   * {@return the state as a JSON object: {@code {"status":"STARTING"}} before the first report,
   * else {@code {"status":"READY","report":{...}}} with the report as {@link
   * ReadinessReport#toJson()} renders it} Never blocks.
   */
  public String toJson() {
    Snapshot s = snapshot;
    Json json = Json.object().field("status", s.status.name());
    s.report.ifPresent(r -> json.rawField("report", r.toJson()));
    return json.end();
  }

  @Override
  public String toString() {
    Snapshot s = snapshot;
    return "ReadinessState{" + s.status + s.report.map(r -> ", " + r.summary()).orElse("") + "}";
  }

  private record Snapshot(Status status, Optional<ReadinessReport> report) {}
}
