package io.threadwire.micrometer;

import io.threadwire.hub.HubStats;
import io.threadwire.spi.TransportStats;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The hub stats the gauges read, one snapshot kept for a while: a scrape reads several gauges, and
 * each fresh snapshot walks every thread of the hub.
 */
final class StatsSnapshot {

  private static final HubStats EMPTY = new HubStats(0, 0, 0, 0, 0, 0, 0);

  private final long maxAgeNanos;
  private volatile Supplier<HubStats> hub = () -> EMPTY;
  private volatile TransportStats transport = TransportStats.none();
  private HubStats last; // guarded by this
  private long lastNanos; // guarded by this

  StatsSnapshot(Duration maxAge) {
    this.maxAgeNanos = maxAge.toNanos();
  }

  void monitor(Supplier<HubStats> hub, TransportStats transport) {
    this.hub = hub;
    this.transport = transport;
    synchronized (this) {
      last = null;
    }
  }

  synchronized HubStats hub() {
    long now = System.nanoTime();
    if (last == null || maxAgeNanos == 0 || now - lastNanos >= maxAgeNanos) {
      last = hub.get();
      lastNanos = now;
    }
    return last;
  }

  TransportStats transport() {
    return transport;
  }
}
