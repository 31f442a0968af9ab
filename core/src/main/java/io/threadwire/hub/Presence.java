package io.threadwire.hub;

import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.spi.PresenceCount;
import io.threadwire.spi.ThreadPresence;
import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The hub's connection and user counts: this node's members, plus, when the log offers a {@link
 * ThreadPresence}, what the other live nodes published. Reading the others' waits for the log, at
 * most the hub's send timeout; if they cannot be read in time the count is this node's, and a
 * warning says so (a count is an {@code int}: there is no way to answer "unknown").
 */
final class Presence {

  private static final System.Logger LOG = System.getLogger(ThreadHub.class.getName());

  private final ThreadHub hub;
  private final ThreadPresence shared; // null: counts are node-local

  Presence(ThreadHub hub, ThreadPresence shared) {
    this.hub = hub;
    this.shared = shared;
  }

  void start() {
    if (shared != null) {
      shared.start(this::local);
    }
  }

  /** Tells the shared presence that {@code ts}'s members changed; under its monitor. */
  void changed(ThreadState ts) {
    if (shared != null) {
      try {
        shared.changed(ts.id);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "presence threw on a change of thread " + ts.id, e);
      }
    }
  }

  PresenceCount local(ThreadId thread) {
    ThreadState ts = hub.threads.get(thread);
    if (ts == null) {
      return PresenceCount.NONE;
    }
    synchronized (ts) {
      return ts.members.length == 0
          ? PresenceCount.NONE
          : new PresenceCount(ts.members.length, ts.users());
    }
  }

  int connectionCount(ThreadId thread) {
    ThreadState ts = hub.threads.get(thread);
    int local = ts == null ? 0 : ts.members.length;
    PresenceCount others = others(thread);
    return others == null ? local : local + others.connections();
  }

  int userCount(ThreadId thread) {
    PresenceCount others = others(thread);
    if (others == null) {
      ThreadState ts = hub.threads.get(thread);
      return ts == null ? 0 : ts.userCount;
    }
    Set<UserId> all = new HashSet<>(others.users());
    all.addAll(local(thread).users());
    return all.size();
  }

  /** Returns the other nodes' count, or null when counts are node-local or it cannot be read. */
  private PresenceCount others(ThreadId thread) {
    if (shared == null) {
      return null;
    }
    try {
      return shared
          .others(thread)
          .toCompletableFuture()
          .get(hub.settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      LOG.log(
          Level.WARNING,
          "cluster presence of thread " + thread + " unreadable; counting this node only: " + e);
      return null;
    }
  }
}
