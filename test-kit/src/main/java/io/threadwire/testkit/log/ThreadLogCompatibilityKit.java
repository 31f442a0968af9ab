package io.threadwire.testkit.log;

/**
 * The compatibility kit every {@link io.threadwire.spi.ThreadLog} must pass, split by concern into
 * interfaces of default tests: {@link AppendingAndBoundsKit}, {@link IdempotencyKit}, {@link
 * ReplayAndGapsKit}, {@link SubscriptionOrderKit} and {@link FailureKit}. A log whose notifications
 * can be lost also implements {@link NotificationLossKit}. A log's test is a few lines:
 *
 * <pre>{@code
 * class RedisThreadLogCompatibilityTest extends ThreadLogCompatibilityKit {
 *   public ThreadLog openLog(Clock clock) { return RedisThreadLog.create(settings, clock); }
 *   public void induceFailure(ThreadLog log) { killConnection(); }
 * }
 * }</pre>
 *
 * <p>Each test opens its own log with {@link #openLog}, uses thread ids no other test uses ({@link
 * #freshThread()}) and closes the log at its end.
 */
public abstract class ThreadLogCompatibilityKit
    implements AppendingAndBoundsKit,
        IdempotencyKit,
        ReplayAndGapsKit,
        SubscriptionOrderKit,
        FailureKit {

  /** For subclasses. */
  protected ThreadLogCompatibilityKit() {}
}
