package io.threadwire.tyrus;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs connections' flushes one after another on an I/O thread, at most one drain task at a time
 * per flusher. Handing a flush over costs a queue node, not an executor task: a send to 10,000
 * connections marks 10,000 of them dirty, and one drain writes them all. While a drain is busy,
 * frames keep arriving and each connection's next flush writes everything that queued up meanwhile
 * in one gathering write, so the busier the server, the fewer system calls per frame.
 */
final class Flusher implements Executor, Runnable {

  private final Executor io;
  private final ConcurrentLinkedQueue<Runnable> dirty = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  Flusher(Executor io) {
    this.io = io;
  }

  /**
   * Queues {@code flush} to run on the I/O executor.
   *
   * @throws java.util.concurrent.RejectedExecutionException if the executor has shut down
   */
  @Override
  public void execute(Runnable flush) {
    dirty.offer(flush);
    if (!draining.get() && draining.compareAndSet(false, true)) {
      try {
        io.execute(this);
      } catch (RuntimeException e) {
        draining.set(false);
        throw e;
      }
    }
  }

  @Override
  public void run() {
    do {
      for (Runnable flush; (flush = dirty.poll()) != null; ) {
        try {
          flush.run();
        } catch (RuntimeException e) {
          WsConnection.LOG.warn("a connection's flush failed", e);
        }
      }
      draining.set(false);
    } while (!dirty.isEmpty() && draining.compareAndSet(false, true));
  }
}
