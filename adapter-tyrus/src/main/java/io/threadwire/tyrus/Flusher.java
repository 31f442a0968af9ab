package io.threadwire.tyrus;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs connections' flushes one after another on an I/O thread, at most one drain task at a time
 * per flusher. Handing a flush over costs a queue node, not an executor task: a send to 10,000
 * connections marks 10,000 of them dirty, and one drain writes them all. While a drain is busy,
 * frames keep arriving and each connection's next flush writes everything that queued up meanwhile
 * in one gathering write, so the busier the server, the fewer system calls per frame.
 *
 * <p>A drain runs at most {@link #MAX_FLUSHES_PER_RUN} flushes, then hands itself back to the
 * executor if more are waiting: the I/O threads also run the sweep (write and idle timeouts) and
 * the closes of slow consumers, and a drain kept busy by a steady stream of sends must not starve
 * them.
 */
final class Flusher implements Executor, Runnable {

  /** Most flushes one drain task runs before it yields the I/O thread. */
  static final int MAX_FLUSHES_PER_RUN = 256;

  private final Executor io;
  private final ConcurrentLinkedQueue<Runnable> dirty = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  /** Largest batch the scratch buffer takes; larger ones are written from a heap copy. */
  static final int SCRATCH_BYTES = (int) Outbound.MAX_BATCH_BYTES;

  /** Written by one drain at a time (drains never overlap); created on first use. */
  private ByteBuffer scratch;

  Flusher(Executor io) {
    this.io = io;
  }

  /**
   * Returns this flusher's direct scratch buffer for a batch of {@code size} bytes, or null if it
   * is too small; only for a flush running in this flusher's drain, and only until its write call
   * returns. A batch copied here is written by the socket straight from it, where a heap array
   * would be copied again into a temporary direct buffer by the JDK, and costs no allocation.
   */
  ByteBuffer scratch(int size) {
    if (size > SCRATCH_BYTES) {
      return null;
    }
    if (scratch == null) {
      scratch = ByteBuffer.allocateDirect(SCRATCH_BYTES);
    }
    return scratch;
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
    int budget = MAX_FLUSHES_PER_RUN;
    while (true) {
      for (Runnable flush; budget > 0 && (flush = dirty.poll()) != null; budget--) {
        try {
          flush.run();
        } catch (RuntimeException e) {
          WsConnection.LOG.warn("a connection's flush failed", e);
        }
      }
      if (budget == 0 && !dirty.isEmpty()) {
        // Still draining: go to the back of the executor's queue, behind what waits there.
        try {
          io.execute(this);
          return;
        } catch (RuntimeException e) {
          budget = MAX_FLUSHES_PER_RUN; // the executor is stopping: finish the drain here
          continue;
        }
      }
      draining.set(false);
      if (dirty.isEmpty() || !draining.compareAndSet(false, true)) {
        return;
      }
    }
  }
}
