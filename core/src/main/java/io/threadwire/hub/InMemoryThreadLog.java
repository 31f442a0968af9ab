package io.threadwire.hub;

import io.threadwire.HistoryPolicy;
import io.threadwire.Message;
import io.threadwire.ThreadId;
import io.threadwire.spi.AppendResult;
import io.threadwire.spi.LogEntry;
import io.threadwire.spi.LogHealth;
import io.threadwire.spi.LogListener;
import io.threadwire.spi.LogPolicy;
import io.threadwire.spi.LogReplay;
import io.threadwire.spi.LogStats;
import io.threadwire.spi.LogSubscription;
import io.threadwire.spi.Since;
import io.threadwire.spi.ThreadLog;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The default {@link ThreadLog}: history on the heap of this process, lost on restart (which the
 * epoch makes visible to recovering clients). Every call completes before it returns, and
 * subscribers are called inside the append, so a hub over it behaves as a single-node hub always
 * did.
 *
 * <p>A thread is kept while it has a subscriber, or while it holds history or idempotency keys that
 * have not expired; when its last subscription closes, its history goes with it (a thread that
 * comes back gets a new epoch). Epochs start at a random value and count up, so a restarted
 * process, or a thread that expired and came back, does not reuse one (short of a one-in-2^51
 * coincidence); they stay below 2^53 so JavaScript clients read them exactly.
 */
public final class InMemoryThreadLog implements ThreadLog {

  private static final CompletableFuture<LogHealth> HEALTHY =
      CompletableFuture.completedFuture(LogHealth.healthy("in-memory log"));

  private final Clock clock;
  private final AtomicLong nextEpoch;
  private final ConcurrentHashMap<ThreadId, MemoryThread> threads = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private InMemoryThreadLog(Clock clock) {
    this.clock = clock;
    // Random rather than clock-derived: two logs on one (manual or fixed) clock must differ.
    this.nextEpoch = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 51) + 1);
  }

  /**
   * Returns a new log that timestamps entries and expires history and keys by {@code clock}.
   *
   * @param clock the clock to read time from
   * @return a new log that timestamps entries and expires history and keys by {@code clock}
   */
  public static InMemoryThreadLog create(Clock clock) {
    return new InMemoryThreadLog(Objects.requireNonNull(clock, "clock"));
  }

  private MemoryThread thread(ThreadId thread) {
    MemoryThread t = threads.get(thread);
    return t != null ? t : threads.computeIfAbsent(thread, id -> new MemoryThread(id, newEpoch()));
  }

  private long newEpoch() {
    return nextEpoch.incrementAndGet();
  }

  @Override
  public CompletionStage<AppendResult> append(
      ThreadId thread, LogPolicy policy, Message message, long token) {
    return append(thread, policy, message, token, clock.millis());
  }

  /** Returns true if this log reads time from {@code clock}. */
  boolean runsOn(Clock clock) {
    return this.clock == clock;
  }

  /**
   * Appends at {@code nowMillis}, a reading of this log's clock the caller already has: the hub
   * over its default log spares a second clock read per send (it costs as much as the rest of an
   * append).
   */
  CompletionStage<AppendResult> append(
      ThreadId thread, LogPolicy policy, Message message, long token, long nowMillis) {
    if (closed) {
      return closedFailure();
    }
    HistoryPolicy history = policy.history();
    if (!history.enabled()) {
      return CompletableFuture.completedFuture(
          AppendResult.refused(
              AppendResult.Status.NOT_STORED, "history is disabled for thread " + thread));
    }
    while (true) {
      MemoryThread t = thread(thread);
      synchronized (t) {
        if (t.dropped) {
          continue; // maintenance forgot it between the lookup and the lock
        }
        return CompletableFuture.completedFuture(t.append(policy, message, token, nowMillis));
      }
    }
  }

  @Override
  public CompletionStage<AppendResult> publish(ThreadId thread, Message message, long token) {
    return underLock(thread, t -> t.publish(message, token));
  }

  @Override
  public CompletionStage<LogReplay> replay(ThreadId thread, LogPolicy policy, Since since) {
    return underLock(thread, t -> t.replay(policy, since, clock.millis()));
  }

  @Override
  public CompletionStage<LogSubscription> subscribe(
      ThreadId thread, LogPolicy policy, LogListener listener) {
    Objects.requireNonNull(listener, "listener");
    return underLock(thread, t -> t.subscribe(listener, this::unsubscribed));
  }

  /**
   * Runs {@code action} on {@code thread}'s live state under its monitor, retrying when maintenance
   * dropped the state between the lookup and the lock. {@link #append} writes the same loop out by
   * hand: it is on every send, and a capturing lambda there would cost an allocation per send.
   */
  private <T> CompletionStage<T> underLock(ThreadId thread, Function<MemoryThread, T> action) {
    if (closed) {
      return closedFailure();
    }
    while (true) {
      MemoryThread t = thread(thread);
      synchronized (t) {
        if (!t.dropped) {
          return CompletableFuture.completedFuture(action.apply(t));
        }
      }
    }
  }

  private static <T> CompletionStage<T> closedFailure() {
    return CompletableFuture.failedFuture(new IllegalStateException("log is closed"));
  }

  private void unsubscribed(MemoryThread t) {
    synchronized (t) {
      if (!t.dropped && t.listenerCount() == 0) {
        t.dropped = true;
        threads.remove(t.id, t);
      }
    }
  }

  @Override
  public CompletionStage<LogHealth> health() {
    return closed
        ? CompletableFuture.completedFuture(LogHealth.unhealthy("in-memory log is closed"))
        : HEALTHY;
  }

  /**
   * Evicts history older than its maximum age and keys older than their window, and forgets threads
   * that have no subscriber and nothing left.
   */
  @Override
  public void maintain() {
    long now = clock.millis();
    for (MemoryThread t : threads.values()) {
      synchronized (t) {
        if (!t.dropped && t.expire(now) && t.listenerCount() == 0) {
          t.dropped = true;
          threads.remove(t.id, t);
        }
      }
    }
  }

  @Override
  public LogStats stats() {
    long count = 0;
    long messages = 0;
    long bytes = 0;
    for (MemoryThread t : threads.values()) {
      synchronized (t) {
        if (!t.dropped) {
          count++;
          messages += t.size();
          bytes += t.bytes();
        }
      }
    }
    return new LogStats(count, messages, bytes);
  }

  /** Returns the retained entries of {@code thread}, oldest first; for tests. */
  List<LogEntry> retained(ThreadId thread) {
    MemoryThread t = threads.get(thread);
    if (t == null) {
      return List.of();
    }
    synchronized (t) {
      return t.entries();
    }
  }

  @Override
  public void close() {
    closed = true;
    threads.clear();
  }
}
