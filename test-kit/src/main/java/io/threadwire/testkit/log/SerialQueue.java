package io.threadwire.testkit.log;

import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** Runs tasks one at a time, in the order added, each after a delay, on a shared pool. */
final class SerialQueue {

  private final ScheduledExecutorService pool;
  private final LongSupplier delayNanos;
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(); // guarded by this
  private boolean running; // guarded by this

  SerialQueue(ScheduledExecutorService pool, LongSupplier delayNanos) {
    this.pool = pool;
    this.delayNanos = delayNanos;
  }

  void add(Runnable task) {
    synchronized (this) {
      tasks.addLast(task);
      if (running) {
        return;
      }
      running = true;
    }
    scheduleNext();
  }

  private void scheduleNext() {
    try {
      pool.schedule(this::runOne, delayNanos.getAsLong(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        tasks.clear();
        running = false;
      }
    }
  }

  private void runOne() {
    Runnable task;
    synchronized (this) {
      task = tasks.pollFirst();
      if (task == null) {
        running = false;
        return;
      }
    }
    try {
      task.run();
    } catch (RuntimeException e) {
      // A listener must not throw; if one does, later notifications still go out.
      System.getLogger(SerialQueue.class.getName())
          .log(System.Logger.Level.WARNING, "simulated log listener threw", e);
    }
    synchronized (this) {
      if (tasks.isEmpty()) {
        running = false;
        return;
      }
    }
    scheduleNext();
  }
}
