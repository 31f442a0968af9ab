package io.threadwire.startup;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a {@link StartupSequence} runs on: daemon threads that end when idle, so that a
 * sequence never needs closing and never keeps a JVM alive.
 */
final class Workers {

  private static final long IDLE_SECONDS = 10;

  private Workers() {}

  /** Returns a one-thread timer for timeouts and backoff pauses. */
  static ScheduledExecutorService timer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(1, daemon("threadwire-startup-timer"));
    timer.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /**
   * Returns the pool that calls {@link ReadinessCheck#check()}: a check that blocks holds one
   * thread, but never the caller nor the timer, so its timeout still ends the attempt. The pool
   * itself has no size limit; what bounds it is that a sequence never calls a check again while an
   * earlier call of it has not returned, so blocked threads never outnumber the checks.
   */
  static Executor checkRunners() {
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        IDLE_SECONDS,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        daemon("threadwire-startup-check"));
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
