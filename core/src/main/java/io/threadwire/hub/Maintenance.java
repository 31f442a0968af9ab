package io.threadwire.hub;

import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.spi.LogStats;
import io.threadwire.spi.LogSubscription;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * The hub's periodic work: send deadlines, idempotency keys, idle threads and the log's own
 * housekeeping. Subscriptions of dropped threads are closed after the thread's monitor is released.
 */
final class Maintenance {

  private static final System.Logger LOG = System.getLogger(ThreadHub.class.getName());

  private final ThreadHub hub;

  Maintenance(ThreadHub hub) {
    this.hub = hub;
  }

  void run() {
    expireSends();
    hub.log.maintain();
    long nowMillis = hub.clock.millis();
    long idleCutoff = nowMillis - hub.settings.idleThreadTtl().toMillis();
    long keyCutoff = nowMillis - hub.settings.idempotencyWindow().toMillis();
    List<LogSubscription> toClose = new ArrayList<>();
    for (ThreadState ts : hub.threads.all()) {
      synchronized (ts) {
        if (ts.removed) {
          continue;
        }
        try {
          ts.forgetKeysOlderThan(keyCutoff);
          // Keys still in the window keep the thread: dropping it would forget them early.
          if (ts.members.length == 0
              && !ts.hasJoining()
              && !ts.hasPending()
              && ts.subscribed.isDone()
              && ts.lastActivityMillis <= idleCutoff
              && ts.rememberedKeys() == 0) {
            LogSubscription s = hub.threads.drop(ts);
            if (s != null) {
              toClose.add(s);
            }
          }
        } catch (RuntimeException e) {
          LOG.log(Level.ERROR, "maintenance of thread " + ts.id + " failed", e);
        }
      }
    }
    toClose.forEach(Threads::quietlyClose);
  }

  void expireSends() {
    if (hub.inFlight.isEmpty()) {
      return;
    }
    long nowMillis = hub.clock.millis();
    hub.inFlight.removeIf(
        f -> {
          if (f.isDone()) {
            return true;
          }
          if (f.isExpired(nowMillis)) {
            expire(f, ErrorKind.TIMEOUT, "send timed out");
            return true;
          }
          return false;
        });
  }

  /** Ends {@code f} with what it achieved, first taking it out of its thread's pending sends. */
  void expire(FanOut f, ErrorKind kind, String why) {
    synchronized (f.thread) {
      f.thread.removePending(f);
    }
    f.expire(kind, why);
  }

  HubStats stats() {
    long memberships = 0;
    long keys = 0;
    int count = 0;
    for (ThreadState ts : hub.threads.all()) {
      synchronized (ts) {
        if (ts.removed) {
          continue;
        }
        count++;
        memberships += ts.members.length;
        keys += ts.rememberedKeys();
      }
    }
    LogStats log = hub.log.stats();
    int pending = (int) hub.inFlight.stream().filter(f -> !f.isDone()).count();
    return new HubStats(
        count, hub.joining.registered(), memberships, log.messages(), log.bytes(), keys, pending);
  }
}
