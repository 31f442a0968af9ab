package io.threadwire.tyrus;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The global outbound budget: the bytes of frames queued for all connections of one server, each
 * {@link QueuedFrame} counted once while at least one queue holds it. Per-connection bounds cannot
 * protect the heap on their own (a thousand connections each under 8 MiB are 8 GiB); past this
 * budget the server cuts slow consumers, the connections holding the most queued bytes first, and
 * refuses frames to any connection whose write is stuck. Thread-safe and lock-free.
 */
final class OutboundBudget {

  private final long limit;
  private final AtomicLong used = new AtomicLong();
  private final Runnable onOver;

  /**
   * Creates a budget of {@code limit} bytes.
   *
   * @param onOver told, from the thread that queued it, each time a frame takes the total past the
   *     limit; it must only schedule work, never cut connections in the caller
   */
  OutboundBudget(long limit, Runnable onOver) {
    this.limit = limit;
    this.onOver = onOver;
  }

  /** Returns a budget that never runs out, for queues tested on their own. */
  static OutboundBudget unlimited() {
    return new OutboundBudget(Long.MAX_VALUE, () -> {});
  }

  /** Counts {@code frame} as held by one more queue. */
  void hold(QueuedFrame frame) {
    if (frame.hold() && used.addAndGet(frame.length()) > limit) {
      onOver.run();
    }
  }

  /** Counts {@code frame} as held by one queue fewer. */
  void release(QueuedFrame frame) {
    if (frame.release()) {
      used.addAndGet(-frame.length());
    }
  }

  /** Returns true if the bytes queued now exceed the budget. */
  boolean isOver() {
    return used.get() > limit;
  }

  /** Returns the bytes queued now, across all connections, each frame once. */
  long used() {
    return used.get();
  }

  /** Returns the budget in bytes. */
  long limit() {
    return limit;
  }
}
