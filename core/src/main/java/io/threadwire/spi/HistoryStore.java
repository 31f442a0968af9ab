package io.threadwire.spi;

import io.threadwire.HistoryPolicy;
import io.threadwire.ThreadId;

/**
 * Where thread history lives. The in-memory store in {@code io.threadwire.hub} is the default; a
 * distributed store (for a multi-node backplane) implements this to share history between nodes.
 */
public interface HistoryStore {

  /**
   * Opens the history of {@code thread}, creating it if needed. Called when the hub starts tracking
   * a thread; the hub calls {@link ThreadHistory#release()} when it stops.
   *
   * @param thread the thread
   * @param policy the history policy
   * @return the thread's history
   */
  ThreadHistory open(ThreadId thread, HistoryPolicy policy);
}
