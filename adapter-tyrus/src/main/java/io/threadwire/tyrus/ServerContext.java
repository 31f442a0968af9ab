package io.threadwire.tyrus;

import io.threadwire.ConnectionId;
import io.threadwire.hub.ThreadHub;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/** What every connection of one running server shares: the hub, the settings, the SPIs. */
final class ServerContext {

  final ThreadHub hub;
  final TyrusSettings settings;
  final HandshakeAuthenticator authenticator;
  final ThreadAccessPolicy accessPolicy;
  final ScheduledExecutorService io;
  final ConcurrentHashMap<ConnectionId, WsConnection> connections = new ConcurrentHashMap<>();
  final long writeTimeoutNanos;
  final long idleTimeoutNanos;
  final long pingIntervalNanos;
  volatile boolean stopping;

  ServerContext(
      ThreadHub hub,
      TyrusSettings settings,
      HandshakeAuthenticator authenticator,
      ThreadAccessPolicy accessPolicy,
      ScheduledExecutorService io) {
    this.hub = hub;
    this.settings = settings;
    this.authenticator = authenticator;
    this.accessPolicy = accessPolicy;
    this.io = io;
    this.writeTimeoutNanos = settings.writeTimeout().toNanos();
    this.idleTimeoutNanos = settings.idleTimeout().toNanos();
    this.pingIntervalNanos = settings.pingInterval().toNanos();
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
