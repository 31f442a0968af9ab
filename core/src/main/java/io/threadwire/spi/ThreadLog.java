package io.threadwire.spi;

import io.threadwire.Message;
import io.threadwire.ThreadId;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where each thread's order, history and idempotency live: the log assigns every stored message its
 * {@code (epoch, offset)}, applies the thread's {@link LogPolicy} atomically with it, replays what
 * a recovering client missed, and delivers every entry to subscribers in offset order. The
 * in-memory log in {@code io.threadwire.hub} is the default and answers inline; a networked log (a
 * Redis stream shared by several nodes) answers later, from other threads.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>no method blocks on I/O or on another thread: each answers through its stage, possibly
 *       already completed when it returns, possibly later on any thread;
 *   <li>every stage completes exactly once; a failure (unreachable, unknown outcome) completes it
 *       exceptionally with the cause, never with a made-up result, and never throws from the call;
 *   <li>an append is atomic: the idempotency check, the history policy (bounds, {@code
 *       DROP_OLDEST}/{@code REJECT}), the offset and the store happen as one step, so two appenders
 *       anywhere never get the same offset and a key is stored at most once per window;
 *   <li>offsets of an epoch start at 1 and increase by 1 per stored entry; a new epoch means the
 *       history before it is gone;
 *   <li>every appended or published entry reaches every subscription of the thread, on every
 *       instance, in offset order, or the subscription reports a {@link LogGap} (see {@link
 *       LogListener});
 *   <li>the caller (the hub) never calls it while holding a lock of its own, and the log may call a
 *       listener inside the call that caused the entry: a log must not call a listener while
 *       holding a lock another thread needs to answer it.
 * </ul>
 *
 * <p>Lifecycle: {@link #start()} before the first call, {@link #close()} once at the end; the hub
 * that was given a log starts and closes it with itself.
 */
public interface ThreadLog extends AutoCloseable {

  /** Starts the log (connects, loads scripts); idempotent. The default does nothing. */
  default void start() {}

  /**
   * Appends {@code message} to {@code thread}'s history under {@code policy}; answers {@code
   * APPENDED}, {@code DUPLICATE} (same idempotency key within the window), {@code REJECTED}, {@code
   * TOO_LARGE} or {@code NOT_STORED}.
   *
   * @param token the caller's token, handed back on this instance's subscribers' {@link LogEntry}
   * @param message the message
   * @param policy the thread's history policy
   * @param thread the thread
   * @return the answer
   */
  CompletionStage<AppendResult> append(
      ThreadId thread, LogPolicy policy, Message message, long token);

  /**
   * Publishes {@code message} transient: delivered to subscribers through the same ordered path,
   * never stored, not subject to idempotency; answers {@code PUBLISHED}.
   *
   * @param token the caller's token, handed back on this instance's subscribers' {@link LogEntry}
   * @param message the message
   * @param thread the thread
   * @return the answer
   */
  CompletionStage<AppendResult> publish(ThreadId thread, Message message, long token);

  /**
   * Reads the stored entries after {@code since} (every retained entry for {@code since} 0, or when
   * the epoch of {@code since} is not the current one), with the log's own account of what is
   * missing. {@link Since#none()} answers no entries, recovered.
   *
   * @param policy the thread's history policy
   * @param since where the client's recovery starts
   * @param thread the thread
   * @return the answer
   */
  CompletionStage<LogReplay> replay(ThreadId thread, LogPolicy policy, Since since);

  /**
   * Subscribes {@code listener} to every entry of {@code thread} after the subscription's position;
   * see {@link LogListener} for the delivery contract.
   *
   * @param listener the listener
   * @param policy the thread's history policy
   * @param thread the thread
   * @return the answer
   */
  CompletionStage<LogSubscription> subscribe(
      ThreadId thread, LogPolicy policy, LogListener listener);

  /**
   * Answers whether the log can take appends now, for a readiness check.
   *
   * @return whether the log can take appends now, for a readiness check
   */
  CompletionStage<LogHealth> health();

  /**
   * Does the log's periodic housekeeping now (for example evicting history older than its maximum
   * age, forgetting idempotency keys older than the window). Called by the hub's maintenance; must
   * not block. The default does nothing.
   */
  default void maintain() {}

  /**
   * Returns true if other instances (other nodes) may subscribe to the same threads, so an entry
   * may have recipients the caller does not know of: the hub then hands every send to the log, even
   * for a thread it tracks no member of. The default, for a log private to one hub, is false.
   *
   * @return true if other instances may subscribe to the same threads
   */
  default boolean isShared() {
    return false;
  }

  /**
   * Returns true if the log tells the sender what other nodes delivered: its {@code APPENDED} and
   * {@code PUBLISHED} answers carry a {@linkplain AppendResult#withRemote remote part}, and the
   * entries it hands to subscribers from other nodes carry a {@linkplain LogEntry#receipt()
   * receipt}, for which the hub calls {@link #report} once its local outcome of the entry is known.
   * The default is false: outcomes count this node's recipients only.
   *
   * @return true if the log collects other nodes' delivery reports
   */
  default boolean reportsDeliveries() {
    return false;
  }

  /**
   * Hands the log this node's delivery report for {@code entry}, an entry from another node with a
   * non-empty {@linkplain LogEntry#receipt() receipt}; called once per such entry, after its local
   * outcome completed (bounded by the hub's outcome deadline), outside every lock of the hub. Must
   * not block and never throws. The default ignores it.
   *
   * @param entry the entry as the log delivered it
   * @param report what this node's recipients got
   */
  default void report(LogEntry entry, DeliveryReport report) {}

  /**
   * Returns what the log holds in this process; the default reports {@link LogStats#NONE}.
   *
   * @return what the log holds in this process; the default reports {@link LogStats#NONE}
   */
  default LogStats stats() {
    return LogStats.NONE;
  }

  /**
   * Returns the cluster-wide presence this log offers, if it is shared by several nodes and keeps
   * one; the hub then answers {@code connectionCount} and {@code userCount} for every node. The
   * default, for a log private to one hub, is empty: counts are this node's.
   *
   * @return the cluster-wide presence this log offers, or empty
   */
  default Optional<ThreadPresence> presence() {
    return Optional.empty();
  }

  /** Closes the log: later calls complete exceptionally. Idempotent; never throws. */
  @Override
  void close();
}
