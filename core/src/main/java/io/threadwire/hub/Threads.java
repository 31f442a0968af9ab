package io.threadwire.hub;

import io.threadwire.HistoryPolicy;
import io.threadwire.ThreadId;
import io.threadwire.spi.LogPolicy;
import io.threadwire.spi.LogSubscription;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The threads a hub tracks, each with its log subscription. A state is created in the map first and
 * subscribed afterwards, outside every lock; callers wait for {@link ThreadState#subscribed}.
 */
final class Threads {

  private static final System.Logger LOG = System.getLogger(ThreadHub.class.getName());

  private final ThreadHub hub;
  private final ConcurrentHashMap<ThreadId, ThreadState> map = new ConcurrentHashMap<>();

  Threads(ThreadHub hub) {
    this.hub = hub;
  }

  ThreadState get(ThreadId thread) {
    return map.get(thread);
  }

  Collection<ThreadState> all() {
    return map.values();
  }

  HistoryPolicy policyFor(ThreadId thread) {
    return hub.settings.historyPolicies().policyFor(thread);
  }

  /** Returns the thread's state, creating and subscribing it if needed. */
  ThreadState acquire(ThreadId thread) {
    ThreadState ts = map.get(thread);
    if (ts != null) {
      return ts;
    }
    HistoryPolicy policy = policyFor(thread);
    LogPolicy logPolicy =
        new LogPolicy(policy, hub.settings.idempotencyWindow(), hub.settings.idempotencyMaxKeys());
    ThreadState fresh = new ThreadState(thread, policy, logPolicy, hub.clock.millis());
    fresh.presence = hub.presence;
    ts = map.putIfAbsent(thread, fresh);
    if (ts != null) {
      return ts;
    }
    subscribe(fresh);
    return fresh;
  }

  private void subscribe(ThreadState ts) {
    CompletionStage<LogSubscription> stage;
    try {
      stage = hub.log.subscribe(ts.id, ts.logPolicy, new Sequencer(ts, hub.sending, hub.joining));
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e); // the SPI forbids throwing
    }
    stage.whenComplete((sub, err) -> subscribed(ts, sub, err));
  }

  private void subscribed(ThreadState ts, LogSubscription sub, Throwable err) {
    boolean late;
    synchronized (ts) {
      late = ts.removed;
      if (err == null && !late) {
        ts.subscription = sub;
        if (!ts.positioned) {
          ts.positioned = true;
          ts.epoch = sub.position().epoch();
          ts.lastOffset = sub.position().offset();
        }
      } else if (!late) {
        ts.markRemoved();
        map.remove(ts.id, ts);
      }
    }
    if (err != null) {
      LOG.log(Level.WARNING, "could not subscribe to the log of thread " + ts.id, err);
      ts.subscribed.completeExceptionally(err);
      return;
    }
    if (late) {
      quietlyClose(sub); // dropped (closed hub) while subscribing
    }
    ts.subscribed.complete(sub);
  }

  /** Marks {@code ts} removed and forgets it; under its monitor. Returns what to close after. */
  LogSubscription drop(ThreadState ts) {
    map.remove(ts.id, ts);
    return ts.markRemoved();
  }

  static void quietlyClose(LogSubscription s) {
    if (s == null) {
      return;
    }
    try {
      s.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "closing a log subscription failed", e);
    }
  }
}
