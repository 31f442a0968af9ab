package io.threadwire.startup;

import io.threadwire.ThreadMessaging;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The entry point of the startup module: the {@link MessagingReadinessCheck} (unless disabled) and
 * the host's own checks, run as one {@link StartupSequence}, with a {@link ReadinessState} for
 * health endpoints.
 *
 * <pre>{@code
 * ThreadMessaging messaging = ...;               // an adapter
 * Startup startup = Startup.create(StartupSettings.defaults(), messaging, List.of(databaseCheck));
 * MessagingRuntime runtime = MessagingRuntime.builder(messaging, startup)
 *     .closeOnShutdown()
 *     .start();                                  // messaging.start(), then startup.run()
 * healthEndpoint(() -> startup.readiness().toJson());
 * }</pre>
 *
 * <p>The sequence checks messaging; it never starts it. {@link MessagingRuntime} starts it, runs
 * the sequence and closes everything on shutdown; by hand, call {@link ThreadMessaging#start()}
 * before {@link #run()}.
 *
 * <p>Nothing here reads environment variables or system properties: tests, development and
 * production run the same code, and every difference is explicit in {@link StartupSettings}.
 */
public final class Startup {

  private final StartupSequence sequence;
  private final ReadinessState readiness;

  private Startup(StartupSequence sequence) {
    this.sequence = sequence;
    this.readiness = ReadinessState.create(sequence);
  }

  /**
   * {@return a startup of {@code checks}, preceded by a messaging readiness check of {@code
   * messaging} if {@link StartupSettings#probeEnabled()}}
   *
   * @param checks the readiness checks to run
   * @param messaging the messaging instance to probe
   * @param settings the settings
   * @throws IllegalArgumentException if two checks share a name or a check's timeout is not
   *     positive
   */
  public static Startup create(
      StartupSettings settings, ThreadMessaging messaging, List<? extends ReadinessCheck> checks) {
    return create(settings, messaging, checks, Clock.systemUTC());
  }

  /**
   * Like {@link #create(StartupSettings, ThreadMessaging, List)}, reading the time from {@code
   * clock}; tests pass a manual clock.
   *
   * @param checks the readiness checks to run
   * @param clock the clock to read time from
   * @param messaging the messaging instance to probe
   * @param settings the settings
   * @return a startup, not yet run
   */
  public static Startup create(
      StartupSettings settings,
      ThreadMessaging messaging,
      List<? extends ReadinessCheck> checks,
      Clock clock) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(messaging, "messaging");
    List<ReadinessCheck> all = new ArrayList<>(checks.size() + 1);
    if (settings.probeEnabled()) {
      all.add(MessagingReadinessCheck.create(messaging, settings.probeThread()));
    }
    all.addAll(checks);
    return new Startup(StartupSequence.create(settings, all, clock));
  }

  /**
   * Runs the startup sequence and waits for it, at most about the configured deadline; the
   * readiness state follows.
   *
   * @return the report, which is ready; its one-line summary has been logged at INFO
   * @throws StartupFailedException if a check failed or was still not ready at the deadline
   */
  public ReadinessReport run() {
    // Recorded here as well as by track(): the state must be current when run() returns, and a
    // callback on the run's future may still be on its way on another thread.
    try {
      ReadinessReport report = sequence.run(readiness::track);
      readiness.record(report);
      return report;
    } catch (StartupFailedException e) {
      readiness.record(e.report());
      throw e;
    }
  }

  /**
   * Starts the startup sequence without waiting; the stage completes with the report, ready or not,
   * and the readiness state follows.
   *
   * @return the report, when the sequence ends
   */
  public CompletionStage<ReadinessReport> runAsync() {
    return readiness.track(sequence.runAsync().toCompletableFuture());
  }

  /** {@return the readiness state a health endpoint reads} */
  public ReadinessState readiness() {
    return readiness;
  }

  /** {@return the sequence this startup runs} */
  public StartupSequence sequence() {
    return sequence;
  }

  @Override
  public String toString() {
    return "Startup{" + sequence + ", " + readiness.status() + "}";
  }
}
