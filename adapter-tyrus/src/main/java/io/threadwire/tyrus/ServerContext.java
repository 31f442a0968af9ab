package io.threadwire.tyrus;

import io.threadwire.ConnectionId;
import io.threadwire.hub.ThreadHub;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/** What every connection of one running server shares: the hub, the settings, the SPIs. */
final class ServerContext {

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
  volatile boolean stopping;
  private final Flusher[] flushers;

  ServerContext(
      ThreadHub hub,
      TyrusSettings settings,
      ThreadAccessPolicy accessPolicy,
      ScheduledExecutorService io,
      GuardFilter guard) {
    this.hub = hub;
    this.settings = settings;
    this.accessPolicy = accessPolicy;
    this.io = io;
    this.guard = guard;
    this.writeTimeoutNanos = settings.writeTimeout().toNanos();
    this.idleTimeoutNanos = settings.idleTimeout().toNanos();
    this.pingIntervalNanos = settings.pingInterval().toNanos();
    this.closeGraceMillis = settings.closeGrace().toMillis();
    this.stats = new TyrusStats(guard::openConnections, () -> 0, settings.outboundBudgetBytes());
    this.flushers = new Flusher[settings.ioThreads()];
    for (int i = 0; i < flushers.length; i++) {
      flushers[i] = new Flusher(io);
    }
  }

  /** Returns the flusher that writes for {@code connection}: connections are spread over them. */
  Flusher flusherFor(ConnectionId connection) {
    return flushers[Math.floorMod(connection.hashCode(), flushers.length)];
  }

  /** Checks every connection's write deadline, idle time and ping schedule; runs on a timer. */
  void sweep() {
    long now = System.nanoTime();
    for (WsConnection c : connections.values()) {
      try {
        c.sweep(now);
      } catch (RuntimeException e) {
        WsConnection.LOG.warn("connection={} sweep failed", c.id(), e);
      }
    }
  }
}
