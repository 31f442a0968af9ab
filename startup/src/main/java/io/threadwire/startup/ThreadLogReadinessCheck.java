package io.threadwire.startup;

import io.threadwire.hub.ThreadHub;
import io.threadwire.spi.LogHealth;
import io.threadwire.spi.ThreadLog;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Asks the thread log behind a hub whether it can take appends (its {@link ThreadLog#health()}): a
 * transient probe through the port never reaches a log, so a networked log (a Redis server) needs
 * this check to count in readiness. Healthy is {@code READY}; unhealthy or a failed answer is
 * {@code FAILED} with the log's detail (for example the address that did not answer); no answer
 * within the check's timeout is {@code NOT_READY}, as the {@link StartupSequence} decides.
 */
public final class ThreadLogReadinessCheck implements ReadinessCheck {

  /** The name of this check in reports. */
  public static final String NAME = "thread-log";

  /** The order of this check: before the messaging probe, which depends on the log. */
  public static final int ORDER = MessagingReadinessCheck.ORDER - 100;

  private final Supplier<CompletionStage<LogHealth>> health;

  private ThreadLogReadinessCheck(Supplier<CompletionStage<LogHealth>> health) {
    this.health = health;
  }

  /**
   * Returns a check of the log behind {@code hub}.
   *
   * @param hub the hub
   * @return a check of the log behind {@code hub}
   */
  public static ThreadLogReadinessCheck create(ThreadHub hub) {
    Objects.requireNonNull(hub, "hub");
    return new ThreadLogReadinessCheck(hub::logHealth);
  }

  /**
   * Returns a check of {@code log}.
   *
   * @param log the thread log
   * @return a check of {@code log}
   */
  public static ThreadLogReadinessCheck create(ThreadLog log) {
    Objects.requireNonNull(log, "log");
    return new ThreadLogReadinessCheck(log::health);
  }

  /** Returns {@value #NAME}. */
  @Override
  public String name() {
    return NAME;
  }

  /** Returns {@link #ORDER}. */
  @Override
  public int order() {
    return ORDER;
  }

  /** Asks the log once and maps its answer as the class documentation says. */
  @Override
  public CompletionStage<CheckResult> check() {
    return health
        .get()
        .handle(
            (h, err) -> {
              if (err != null) {
                return CheckResult.failed("the thread log did not answer: " + err, err);
              }
              return h.healthy()
                  ? CheckResult.ready("thread log: " + h.detail())
                  : CheckResult.failed("thread log unhealthy: " + h.detail());
            });
  }
}
