package io.threadwire.startup;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link ReadinessCheck}s in a defined order and reports on all of them at once.
 *
 * <h2>Order</h2>
 *
 * <p>Checks run one after the other, sorted by {@link ReadinessCheck#order()} (lower first), then
 * by {@link ReadinessCheck#name()}; names must be unique. The order is fixed when the sequence is
 * created and is what {@link #checks()} returns.
 *
 * <h2>Startup run ({@link #run()}, {@link #runAsync()})</h2>
 *
 * <ul>
 *   <li>Each attempt of a check is bounded by the check's own timeout (or {@link
 *       StartupSettings#checkTimeout()}) and by what is left of {@link StartupSettings#deadline()},
 *       counted from the start of the run. A check that does not answer in time counts as {@code
 *       NOT_READY} with a timeout reason.
 *   <li>{@code NOT_READY} is retried after a pause growing from {@link
 *       StartupSettings#backoffInitial()} by {@link StartupSettings#backoffMultiplier()} up to
 *       {@link StartupSettings#backoffMax()}, as long as the next attempt can start before the
 *       deadline; then the run ends not ready.
 *   <li>{@code FAILED} ends the run at once. A check that throws or whose stage completes
 *       exceptionally counts as {@code FAILED}, with the exception as cause.
 *   <li>Checks after the one that ended the run are reported {@code SKIPPED}. An empty set of
 *       checks is ready.
 * </ul>
 *
 * <p>So a run never takes much longer than the deadline, whatever the checks do. When it ends, a
 * ready run logs a one-line summary at INFO and a not-ready one at WARN; the full report is logged
 * at DEBUG.
 *
 * <h2>One-shot run ({@link #checkOnce()})</h2>
 *
 * <p>For readiness probes after startup: every check is attempted exactly once, in the same order,
 * with the same timeouts and deadline, and none is retried or skipped because another failed.
 *
 * <h2>Checks that block</h2>
 *
 * <p>{@link ReadinessCheck#check()} is called on a worker thread, so a call that blocks is still
 * cut off by the timeout. While such a call has not returned, the check is <em>not called
 * again</em>, by a retry or by any later run of this sequence ({@link #checkOnce()}, {@link
 * ReadinessState#refresh()}): that attempt answers {@code NOT_READY} at once with the reason "timed
 * out: still running from an earlier attempt ...". So a check that blocks forever holds one thread,
 * however often a health endpoint polls; once its call returns, the next attempt calls it again. (A
 * check that returns a stage at once and never completes it holds no thread, and is called on every
 * attempt.)
 *
 * <p>Thread-safe; runs may overlap. Checks are invoked on daemon worker threads, timeouts and
 * pauses are kept by a daemon timer thread; idle threads end by themselves, so a sequence needs no
 * closing.
 */
public final class StartupSequence {

  private static final Logger LOG = LoggerFactory.getLogger(StartupSequence.class);

  private final StartupSettings settings;
  private final List<Planned> plan;
  private final Backoff backoff;
  private final Clock clock;
  private final ScheduledExecutorService timer = Workers.timer();
  private final Executor workers = Workers.checkRunners();
  private final Set<String> calling = ConcurrentHashMap.newKeySet();

  private StartupSequence(StartupSettings settings, List<Planned> plan, Clock clock) {
    this.settings = settings;
    this.plan = plan;
    this.backoff = Backoff.of(settings);
    this.clock = clock;
  }

  /**
   * {@return a sequence of {@code checks} with {@code settings}, timed by the system clock}
   *
   * @param checks the readiness checks to run
   * @param settings the settings
   * @throws IllegalArgumentException if two checks share a name, a name is blank, or a check's
   *     timeout is not positive
   */
  public static StartupSequence create(
      StartupSettings settings, List<? extends ReadinessCheck> checks) {
    return create(settings, checks, Clock.systemUTC());
  }

  /**
   * {@return a sequence of {@code checks} with {@code settings} that reads the time from {@code
   * clock} to measure durations and the deadline; tests pass a manual clock}
   *
   * @param checks the readiness checks to run
   * @param clock the clock to read time from
   * @param settings the settings
   * @throws IllegalArgumentException if two checks share a name, a name is blank, or a check's
   *     timeout is not positive
   */
  public static StartupSequence create(
      StartupSettings settings, List<? extends ReadinessCheck> checks, Clock clock) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(checks, "checks");
    Objects.requireNonNull(clock, "clock");
    List<Planned> plan = new ArrayList<>(checks.size());
    Set<String> names = new HashSet<>();
    for (ReadinessCheck check : checks) {
      Planned p = Planned.of(Objects.requireNonNull(check, "check"), settings.checkTimeout());
      if (!names.add(p.name())) {
        throw new IllegalArgumentException("two readiness checks are named '" + p.name() + "'");
      }
      plan.add(p);
    }
    plan.sort(Comparator.comparingInt(Planned::order).thenComparing(Planned::name));
    return new StartupSequence(settings, List.copyOf(plan), clock);
  }

  /** {@return the checks in the order they run} */
  public List<ReadinessCheck> checks() {
    return plan.stream().map(Planned::check).toList();
  }

  /** {@return the settings this sequence runs with} */
  public StartupSettings settings() {
    return settings;
  }

  /**
   * Runs the startup sequence and waits for it; the wait is bounded by the deadline.
   *
   * @return the report, which is ready
   * @throws StartupFailedException if a check failed or was still not ready at the deadline, or the
   *     waiting thread was interrupted (its interrupt flag is then set again)
   */
  public ReadinessReport run() {
    return run(started -> {});
  }

  /** Runs the startup sequence, telling {@code onStart} its result, and waits for it. */
  ReadinessReport run(Consumer<CompletableFuture<ReadinessReport>> onStart) {
    SequenceRun run = start(true);
    onStart.accept(run.result());
    ReadinessReport report;
    try {
      report = run.result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      report = run.abort("startup was interrupted while this check ran");
    } catch (ExecutionException e) {
      throw new IllegalStateException("the startup sequence broke: " + e.getCause(), e.getCause());
    }
    if (!report.isReady()) {
      throw new StartupFailedException(report);
    }
    return report;
  }

  /**
   * Starts the startup sequence without waiting: the stage completes, ready or not, with the
   * report, and never later than about the deadline.
   *
   * @return the report, when the sequence ends
   */
  public CompletionStage<ReadinessReport> runAsync() {
    return start(true).result().copy();
  }

  /**
   * Attempts every check once, without retries, for a readiness probe after startup. The stage
   * completes with the report within the deadline; the caller is never blocked.
   *
   * @return the report of one attempt of every check
   */
  public CompletionStage<ReadinessReport> checkOnce() {
    return start(false).result().copy();
  }

  private SequenceRun start(boolean startup) {
    SequenceRun run =
        new SequenceRun(
            plan, settings.deadline(), startup ? backoff : null, clock, timer, workers, calling);
    run.result().thenAccept(report -> log(report, startup));
    run.start();
    return run;
  }

  private static void log(ReadinessReport report, boolean startup) {
    if (!startup) {
      LOG.debug("Threadwire readiness probe: {}", report.summary());
    } else if (report.isReady()) {
      LOG.info("Threadwire startup {}", report.summary());
    } else {
      LOG.warn("Threadwire startup {}", report.summary());
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("Threadwire readiness report:{}{}", System.lineSeparator(), report.describe());
    }
  }

  /** A check as planned: its name, order and timeout read once, when the sequence is built. */
  record Planned(ReadinessCheck check, String name, int order, Duration timeout) {

    static Planned of(ReadinessCheck check, Duration defaultTimeout) {
      String name = Objects.requireNonNull(check.name(), "name of " + check);
      if (name.isBlank()) {
        throw new IllegalArgumentException("readiness check " + check + " has a blank name");
      }
      Optional<Duration> own = Objects.requireNonNull(check.timeout(), "timeout of " + name);
      Duration timeout = own.orElse(defaultTimeout);
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "readiness check '" + name + "' has a timeout that is not positive: " + timeout);
      }
      return new Planned(check, name, check.order(), timeout);
    }
  }

  @Override
  public String toString() {
    return "StartupSequence{checks=" + plan.stream().map(Planned::name).toList() + "}";
  }
}
