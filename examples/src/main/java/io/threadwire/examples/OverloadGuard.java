package io.threadwire.examples;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP server's executor: requests run on the bounded pool; one the pool refuses runs on a
 * small overflow pool marked {@link #overloaded()}, and is answered 503 with {@code Retry-After}
 * without doing any work. The JDK's server closes a connection whose exchange its executor refuses,
 * which a client sees as a reset with no status; this is what prevents it.
 */
final class OverloadGuard implements Executor {

  private static final ThreadLocal<Boolean> OVERLOADED = ThreadLocal.withInitial(() -> false);

  private final ExecutorService pool;
  private final ThreadPoolExecutor overflow;

  OverloadGuard(ExecutorService pool) {
    this.pool = pool;
    AtomicInteger n = new AtomicInteger();
    // Answering 503 is quick: two threads and a queue absorb a burst; past that, the dispatcher
    // thread answers itself rather than drop the connection.
    this.overflow =
        new ThreadPoolExecutor(
            2,
            2,
            10,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024),
            r -> {
              Thread t = new Thread(r, "threadwire-http-overload-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    overflow.allowCoreThreadTimeOut(true);
  }

  /** {@return true on a thread answering a request the pool refused} */
  static boolean overloaded() {
    return OVERLOADED.get();
  }

  @Override
  public void execute(Runnable exchange) {
    try {
      pool.execute(exchange);
    } catch (RejectedExecutionException e) {
      if (pool.isShutdown()) {
        throw e; // stopping: nothing to answer with
      }
      Runnable refuse =
          () -> {
            OVERLOADED.set(true);
            try {
              exchange.run();
            } finally {
              OVERLOADED.set(false);
            }
          };
      try {
        overflow.execute(refuse);
      } catch (RejectedExecutionException full) {
        refuse.run();
      }
    }
  }

  /** Stops the overflow threads. */
  void shutdown() {
    overflow.shutdownNow();
  }
}
