package io.threadwire.redis;

import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time in the order added, in the thread that finds it idle (a Lettuce I/O
 * thread or a caller), so one thread's deliveries never overlap and never hop threads needlessly.
 */
final class Serial {

  private static final Logger LOG = LoggerFactory.getLogger(RedisThreadLog.class);

  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(); // guarded by this
  private boolean running; // guarded by this

  void execute(Runnable task) {
    synchronized (this) {
      tasks.addLast(task);
      if (running) {
        return;
      }
      running = true;
    }
    while (true) {
      Runnable next;
      synchronized (this) {
        next = tasks.pollFirst();
        if (next == null) {
          running = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        LOG.error("thread log task failed", e);
      }
    }
  }
}
