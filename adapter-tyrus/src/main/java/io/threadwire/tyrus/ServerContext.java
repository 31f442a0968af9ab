package io.threadwire.tyrus;

import io.threadwire.ConnectionId;
import io.threadwire.hub.ThreadHub;
import io.threadwire.spi.TransportStats;
import jakarta.websocket.CloseReason.CloseCodes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every connection of one running server shares: the hub, the settings, the SPIs, the global
 * outbound budget and the counters.
 */
final class ServerContext implements TransportStats {

  final ThreadHub hub;
  final TyrusSettings settings;
  final ThreadAccessPolicy accessPolicy;
  final ScheduledExecutorService io;
  final GuardFilter guard;
  final ConcurrentHashMap<ConnectionId, WsConnection> connections = new ConcurrentHashMap<>();
  final long writeTimeoutNanos;
  final long idleTimeoutNanos;
  final long pingIntervalNanos;
  final long closeGraceMillis;
  final TyrusStats stats;
  final OutboundBudget budget;
  volatile boolean stopping;
  private final Flusher[] flushers;
  private final AtomicBoolean shedding = new AtomicBoolean();

  ServerContext(
      ThreadHub hub,
      TyrusSettings settings,
      ThreadAccessPolicy accessPolicy,
      ScheduledExecutorService io,
      GuardFilter guard,
      TyrusStats stats,
      OutboundBudget budget) {
    this.hub = hub;
    this.settings = settings;
    this.accessPolicy = accessPolicy;
    this.io = io;
    this.guard = guard;
    this.writeTimeoutNanos = settings.writeTimeout().toNanos();
    this.idleTimeoutNanos = settings.idleTimeout().toNanos();
    this.pingIntervalNanos = settings.pingInterval().toNanos();
    this.closeGraceMillis = settings.closeGrace().toMillis();
    this.stats = stats;
    this.budget = budget;
    this.flushers = new Flusher[settings.ioThreads()];
    for (int i = 0; i < flushers.length; i++) {
      flushers[i] = new Flusher(io);
    }
  }

  /** Returns the flusher that writes for {@code connection}: connections are spread over them. */
  Flusher flusherFor(ConnectionId connection) {
    return flushers[Math.floorMod(connection.hashCode(), flushers.length)];
  }

  @Override
  public long queuedFrames() {
    long n = 0;
    for (WsConnection c : connections.values()) {
      n += c.outbound().queuedFrames();
    }
    return n;
  }

  /** Each queued frame counted once, however many connections hold it: what the heap retains. */
  @Override
  public long queuedBytes() {
    return budget.used();
  }

  /**
   * Schedules {@link #shed} on an I/O thread, once at a time; called by the budget from whichever
   * thread queued past it, the hub's send path included, so it never cuts anything itself.
   */
  void overBudget() {
    if (shedding.compareAndSet(false, true)) {
      try {
        io.execute(this::shed);
      } catch (RuntimeException e) {
        shedding.set(false); // stopping: every connection is closed anyway
      }
    }
  }

  /**
   * Cuts slow consumers, the connections holding the most queued bytes first, until the global
   * outbound budget holds again. A frame shared by several connections is released only when its
   * last holder lets go, so this goes on while the budget is still over and anyone holds bytes.
   */
  void shed() {
    try {
      while (budget.isOver()) {
        WsConnection largest = null;
        long most = 0;
        for (WsConnection c : connections.values()) {
          long held = c.queuedBytes();
          if (held > most) {
            most = held;
            largest = c;
          }
        }
        if (largest == null) {
          return;
        }
        WsConnection.LOG.info(
            "connection={} user={} is a slow consumer: the outbound budget ({} bytes) is spent and"
                + " it holds the most ({} bytes)",
            largest.id(),
            largest.user(),
            budget.limit(),
            most);
        largest.slowConsumer(true);
        largest.cutOff(
            CloseCodes.TRY_AGAIN_LATER, "slow consumer: server outbound budget", Causes.QUEUE_FULL);
      }
    } finally {
      shedding.set(false);
      if (budget.isOver() && !connections.isEmpty()) {
        overBudget(); // frames queued while this ran
      }
    }
  }

  /**
   * Checks the handshake deadline and every connection's write deadline, idle time and ping
   * schedule; runs on a timer.
   */
  void sweep() {
    long now = System.nanoTime();
    guard.sweep(now);
    for (WsConnection c : connections.values()) {
      try {
        c.sweep(now);
      } catch (RuntimeException e) {
        WsConnection.LOG.warn("connection={} sweep failed", c.id(), e);
      }
    }
  }
}
