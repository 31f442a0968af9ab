package io.threadwire.spi;

import io.threadwire.ThreadId;
import java.util.concurrent.CompletionStage;

/**
 * Cluster-wide presence that a shared {@link ThreadLog} may offer ({@link ThreadLog#presence()}):
 * each node publishes who is joined to each thread locally, and reads what the other live nodes
 * published, so {@code connectionCount} and {@code userCount} count every node. A node that stops
 * publishing (it died) drops out within a bound the implementation documents. Contract:
 *
 * <ul>
 *   <li>{@link #changed} only records that a thread's local members changed: it must not block,
 *       throw or call back into the hub synchronously (the hub may hold the thread's lock); the
 *       implementation reads the new local count later through the {@link LocalPresence} view;
 *   <li>{@link #others} answers through its stage, within a bounded time, and never throws;
 *   <li>the log that offers it starts and stops it with itself; a clean close withdraws this node's
 *       entries.
 * </ul>
 */
public interface ThreadPresence {

  /**
   * Called once when the hub starts, before any {@link #changed}: {@code local} tells this node's
   * members of a thread, read under the thread's lock (briefly; never call it under a lock of the
   * implementation that the hub's callers could wait on).
   *
   * @param local this node's members per thread
   */
  void start(LocalPresence local);

  /**
   * Records that {@code thread}'s local members changed; the implementation publishes the new count
   * soon, and on every heartbeat until it drops to 0.
   *
   * @param thread the thread
   */
  void changed(ThreadId thread);

  /**
   * Reads what the other live nodes published for {@code thread} (this node's own entry excluded:
   * the hub adds its exact local count).
   *
   * @param thread the thread
   * @return the other nodes' connections and users; completes exceptionally if unreachable
   */
  CompletionStage<PresenceCount> others(ThreadId thread);

  /** This node's members per thread, as the hub knows them now. */
  @FunctionalInterface
  interface LocalPresence {

    /**
     * Returns this node's members of {@code thread} now ({@link PresenceCount#NONE} if none).
     *
     * @param thread the thread
     * @return this node's members of {@code thread} now
     */
    PresenceCount of(ThreadId thread);
  }
}
