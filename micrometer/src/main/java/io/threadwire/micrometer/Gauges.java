package io.threadwire.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.util.function.ToDoubleFunction;

/** Registers the gauges, each reading the {@link StatsSnapshot} when the registry is scraped. */
final class Gauges {

  private Gauges() {}

  static void register(MeterRegistry registry, Tags tags, StatsSnapshot stats) {
    gauge(
        registry,
        tags,
        stats,
        "threadwire.connections",
        null,
        "Live connections",
        s -> s.hub().connections());
    gauge(
        registry,
        tags,
        stats,
        "threadwire.threads",
        null,
        "Threads tracked",
        s -> s.hub().threads());
    gauge(
        registry,
        tags,
        stats,
        "threadwire.memberships",
        null,
        "Thread memberships over all connections",
        s -> s.hub().memberships());
    gauge(
        registry,
        tags,
        stats,
        "threadwire.history.messages",
        null,
        "Messages retained in history",
        s -> s.hub().historyMessages());
    gauge(
        registry,
        tags,
        stats,
        "threadwire.history.bytes",
        BaseUnits.BYTES,
        "Bytes retained in history",
        s -> s.hub().historyBytes());
    gauge(
        registry,
        tags,
        stats,
        "threadwire.sends.in.flight",
        null,
        "Sends waiting for their writes",
        s -> s.hub().inFlightSends());
    gauge(
        registry,
        tags,
        stats,
        "threadwire.outbound.queued.frames",
        null,
        "Frames waiting to be written to clients",
        s -> s.transport().queuedFrames());
    gauge(
        registry,
        tags,
        stats,
        "threadwire.outbound.queued.bytes",
        BaseUnits.BYTES,
        "Bytes waiting to be written to clients",
        s -> s.transport().queuedBytes());
  }

  private static void gauge(
      MeterRegistry registry,
      Tags tags,
      StatsSnapshot stats,
      String name,
      String unit,
      String what,
      ToDoubleFunction<StatsSnapshot> read) {
    Gauge.builder(name, stats, read)
        .description(what)
        .baseUnit(unit)
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }
}
