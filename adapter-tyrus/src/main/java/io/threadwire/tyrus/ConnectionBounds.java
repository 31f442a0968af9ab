package io.threadwire.tyrus;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.glassfish.grizzly.CloseListener;
import org.glassfish.grizzly.CloseType;
import org.glassfish.grizzly.Closeable;
import org.glassfish.grizzly.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP connections of one server and their bounds: how many may be open, how many from one
 * address, how many may wait for their upgrade and for how long. Every accepted connection is
 * tracked until it closes; one that has not completed the upgrade is also in accept order, so the
 * sweep finds the expired ones from the head and the bound on waiting connections drops the oldest.
 * An upgraded connection costs no more than its entry in the open set: its accept-order node is
 * dropped by the next sweep. Thread-safe.
 */
final class ConnectionBounds {

  private static final Logger LOG = LoggerFactory.getLogger(GuardFilter.class);
  private static final long LOG_EVERY_NANOS = 1_000_000_000L;

  private final TyrusSettings settings;
  private final TyrusStats stats;
  private final long handshakeTimeoutNanos;
  private final int maxConnections;
  private final Set<Connection<?>> open = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<Connection<?>, Long> pending = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Connection<?>> acceptOrder = new ConcurrentLinkedQueue<>();
  private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
  private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

  ConnectionBounds(TyrusSettings settings, TyrusStats stats) {
    this.settings = settings;
    this.stats = stats;
    this.handshakeTimeoutNanos = settings.handshakeTimeout().toNanos();
    this.maxConnections = settings.connectionLimit();
  }

  /**
   * Tracks a newly accepted connection and applies the bounds: drops the oldest waiting connection
   * if too many wait for their upgrade.
   *
   * @return null to go on, or why {@code c} must be refused (the caller closes it)
   */
  String admit(Connection<?> c) {
    InetAddress address = settings.maxConnectionsPerAddress() > 0 ? address(c) : null;
    open.add(c);
    pending.put(c, System.nanoTime());
    acceptOrder.add(c);
    int fromAddress = address == null ? 0 : perAddress.merge(address, 1, Integer::sum);
    CloseListener<Closeable, CloseType> forget =
        (closeable, type) -> {
          open.remove(c);
          pending.remove(c);
          if (address != null) {
            perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
          }
        };
    c.addCloseListener(forget);
    if (open.size() > maxConnections) {
      return refused(c, "over threadwire.tyrus.max-connections (" + maxConnections + ")");
    }
    if (fromAddress > settings.maxConnectionsPerAddress() && address != null) {
      return refused(
          c,
          "over threadwire.tyrus.max-connections-per-address ("
              + settings.maxConnectionsPerAddress()
              + ")");
    }
    while (pending.size() > settings.maxPendingHandshakes()) {
      Connection<?> oldest = acceptOrder.poll();
      if (oldest == null) {
        break;
      }
      if (pending.remove(oldest) != null) {
        stats.pendingHandshakeDropped();
        dropped(
            "dropped the oldest connection still in its handshake, over"
                + " threadwire.tyrus.handshake.max-pending ("
                + settings.maxPendingHandshakes()
                + ")",
            oldest);
        oldest.terminateSilently();
      }
    }
    return null;
  }

  private String refused(Connection<?> c, String why) {
    stats.connectionRefused();
    dropped("refused a connection " + why, c);
    return why;
  }

  private static InetAddress address(Connection<?> c) {
    return c.getPeerAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
  }

  /** Marks {@code connection} upgraded: the handshake deadline no longer applies to it. */
  void upgraded(Connection<?> connection) {
    pending.remove(connection);
  }

  /**
   * Drops connections past the handshake deadline. Connections are accepted in deadline order (give
   * or take the few microseconds between accepting threads), so the walk stops at the first one
   * still in time; upgraded and closed ones are forgotten on the way.
   */
  void sweep(long now) {
    for (Connection<?> c; (c = acceptOrder.peek()) != null; ) {
      Long accepted = pending.get(c);
      if (accepted != null && now - accepted <= handshakeTimeoutNanos) {
        return;
      }
      acceptOrder.poll();
      if (accepted != null && pending.remove(c) != null) {
        stats.handshakeTimedOut();
        dropped(
            "dropped a connection that did not complete its handshake within"
                + " threadwire.tyrus.handshake.timeout ("
                + settings.handshakeTimeout().toMillis()
                + " ms)",
            c);
        c.terminateSilently();
      }
    }
  }

  /** Returns the number of open TCP connections. */
  int open() {
    return open.size();
  }

  /** Returns the number of TCP connections that have not completed the upgrade. */
  int pending() {
    return pending.size();
  }

  /** Drops every TCP connection at once. */
  void terminateAll() {
    for (Connection<?> c : open) {
      c.terminateSilently();
    }
  }

  /** Drops every connection that has not completed the upgrade. */
  void terminatePending() {
    for (Connection<?> c : pending.keySet()) {
      c.terminateSilently();
    }
  }

  /** Logs a dropped connection, at most once a second: a flood must not flood the log too. */
  private void dropped(String what, Connection<?> c) {
    long now = System.nanoTime();
    long last = lastDropLog.get();
    if (now - last >= LOG_EVERY_NANOS && lastDropLog.compareAndSet(last, now)) {
      LOG.warn(
          "{} from {}; at most one such line a second, see TyrusStats for the counts: {}",
          what,
          c.getPeerAddress(),
          stats);
    }
  }
}
