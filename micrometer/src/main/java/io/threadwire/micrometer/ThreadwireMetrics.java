package io.threadwire.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.threadwire.hub.HubStats;
import io.threadwire.spi.MessagingListener;
import io.threadwire.spi.TransportStats;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Micrometer meters for one Threadwire messaging instance: a {@link MeterBinder} a host registers
 * with its {@link MeterRegistry}, and the {@link MessagingListener} that feeds it.
 *
 * <pre>{@code
 * ThreadwireMetrics metrics = ThreadwireMetrics.builder().percentiles(0.5, 0.99).build();
 * TyrusThreadMessaging messaging =
 *     TyrusThreadMessaging.builder(settings).listener(metrics.listener()).build();
 * metrics.monitor(messaging.hub()::stats, messaging.transportStats());
 * metrics.bindTo(registry);
 * }</pre>
 *
 * <p>The meters, every name under {@code threadwire.}, every tag from a small fixed set (never a
 * thread, connection or user id):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code threadwire.sends}</td><td>counter</td><td>{@code status}, {@code error}</td>
 *       <td>sends by outcome status, and error kind ({@code none} unless {@code status=error})</td></tr>
 *   <tr><td>{@code threadwire.send.latency}</td><td>timer</td><td></td>
 *       <td>from the hub handing a send to its thread log to the outcome, for one send in {@link
 *       Builder#latencySampleInterval} (default 64) of those that reach the log (a send refused
 *       or answered before it is counted, not timed); percentiles as configured</td></tr>
 *   <tr><td>{@code threadwire.deliveries}</td><td>counter</td><td></td>
 *       <td>writes acknowledged, as counted in outcomes</td></tr>
 *   <tr><td>{@code threadwire.writes.failed}</td><td>counter</td><td></td>
 *       <td>connections whose write failed, as counted in outcomes</td></tr>
 *   <tr><td>{@code threadwire.writes.timed.out}</td><td>counter</td><td></td>
 *       <td>connections that had not answered when a send timed out</td></tr>
 *   <tr><td>{@code threadwire.joins}</td><td>counter</td><td>{@code status}</td>
 *       <td>joins answered, by {@code JoinResult.Status}</td></tr>
 *   <tr><td>{@code threadwire.replays}</td><td>counter</td><td></td>
 *       <td>joins that replayed at least one message</td></tr>
 *   <tr><td>{@code threadwire.replayed.messages}</td><td>counter</td><td></td>
 *       <td>messages replayed to joining connections</td></tr>
 *   <tr><td>{@code threadwire.gaps}</td><td>counter</td><td></td>
 *       <td>joins told that recovery was incomplete</td></tr>
 *   <tr><td>{@code threadwire.slow.consumers}</td><td>counter</td><td></td>
 *       <td>connections cut off as slow consumers</td></tr>
 *   <tr><td>{@code threadwire.frames.rate.limited}</td><td>counter</td><td></td>
 *       <td>client frames refused by the rate limit</td></tr>
 *   <tr><td>{@code threadwire.handshakes.refused}</td><td>counter</td><td>{@code reason}</td>
 *       <td>handshakes refused, by {@link MessagingListener.HandshakeRefusal}</td></tr>
 *   <tr><td>{@code threadwire.connections}</td><td>gauge</td><td></td>
 *       <td>live connections registered with the hub</td></tr>
 *   <tr><td>{@code threadwire.threads}</td><td>gauge</td><td></td><td>threads tracked</td></tr>
 *   <tr><td>{@code threadwire.memberships}</td><td>gauge</td><td></td>
 *       <td>thread memberships over all connections</td></tr>
 *   <tr><td>{@code threadwire.history.messages}</td><td>gauge</td><td></td>
 *       <td>messages retained in history</td></tr>
 *   <tr><td>{@code threadwire.history.bytes}</td><td>gauge</td><td></td>
 *       <td>bytes retained in history</td></tr>
 *   <tr><td>{@code threadwire.sends.in.flight}</td><td>gauge</td><td></td>
 *       <td>sends waiting for their writes</td></tr>
 *   <tr><td>{@code threadwire.outbound.queued.frames}</td><td>gauge</td><td></td>
 *       <td>frames waiting to be written to clients</td></tr>
 *   <tr><td>{@code threadwire.outbound.queued.bytes}</td><td>gauge</td><td></td>
 *       <td>bytes waiting to be written to clients</td></tr>
 * </table>
 *
 * <p>On the send path a send is counted into the completing thread's own cell, which the hub keeps
 * for that thread ({@code MessagingListener.sendRecorder}: no thread-local lookup of the binder's
 * own, no atomic instruction, no allocation; a few plain adds), and the counters sum those cells
 * when the registry is scraped. A scrape sees every send whose outcome completed before it began on
 * a thread the scrape synchronises with (the thread that completed or waited on the outcome, or one
 * that ended); a send completing while the scrape runs may be counted in some of its counters and
 * not yet others (say its status but not its deliveries), and the next scrape has it whole: each
 * counter is monotonic, never torn, and exact once sends stop. Without percentiles the latency
 * timer is a {@code FunctionTimer} over the same cells, and percentiles or a histogram switch to
 * Micrometer's own {@code Timer}; gauges are read when the registry is scraped, from one {@link
 * HubStats} snapshot kept for {@link Builder#statsMaxAge} (walking every thread once per scrape,
 * not once per gauge). One instance serves one messaging instance; bind it to one registry (a
 * composite one to publish to several).
 */
public final class ThreadwireMetrics implements MeterBinder {

  private final Settings settings;
  private final StatsSnapshot stats;
  private final MeterListener listener;
  private final CopyOnWriteArrayList<MeterRegistry> bound = new CopyOnWriteArrayList<>();

  private ThreadwireMetrics(Settings settings) {
    this.settings = settings;
    this.stats = new StatsSnapshot(settings.statsMaxAge());
    this.listener = new MeterListener(settings.latencySampleInterval());
  }

  /**
   * Returns metrics with the defaults: no percentiles, no histogram, stats kept for a second, one
   * send in 64 timed.
   *
   * @return new metrics, bound to no registry yet
   */
  public static ThreadwireMetrics create() {
    return builder().build();
  }

  /**
   * Returns a builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the listener to hand to the messaging instance's builder; its events are counted once
   * this binder is bound to a registry, and ignored before.
   *
   * @return the listener feeding these meters
   */
  public MessagingListener listener() {
    return listener;
  }

  /**
   * Sets where the gauges read from: the hub's stats and the transport's queues. Until called, the
   * gauges read zero.
   *
   * @param hubStats a snapshot of the hub, such as {@code messaging.hub()::stats}
   * @param transport the transport's queues, such as {@code messaging.transportStats()}; {@link
   *     TransportStats#none()} for an in-process transport
   * @return this
   */
  public ThreadwireMetrics monitor(Supplier<HubStats> hubStats, TransportStats transport) {
    stats.monitor(
        Objects.requireNonNull(hubStats, "hubStats"),
        Objects.requireNonNull(transport, "transport"));
    return this;
  }

  /**
   * Sets where the gauges read the hub's stats from, with no transport queues.
   *
   * @param hubStats a snapshot of the hub, such as {@code messaging.hub()::stats}
   * @return this
   */
  public ThreadwireMetrics monitor(Supplier<HubStats> hubStats) {
    return monitor(hubStats, TransportStats.none());
  }

  /**
   * Registers every meter with {@code registry}; from now on the listener's events move them.
   *
   * @param registry the registry to publish to
   * @throws IllegalStateException if this instance is already bound to a registry
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (bound) {
      if (!bound.isEmpty()) {
        throw new IllegalStateException(
            "already bound to a registry; bind a CompositeMeterRegistry to publish to several");
      }
      bound.add(registry);
    }
    Meters meters = new Meters(registry, settings, listener.sends);
    Gauges.register(registry, settings.tags(), stats);
    listener.bind(meters);
  }

  /** What a {@link Builder} collects. */
  record Settings(
      double[] percentiles,
      boolean percentileHistogram,
      Duration statsMaxAge,
      Tags tags,
      int latencySampleInterval) {}

  /** Builds {@link ThreadwireMetrics}. */
  public static final class Builder {
    /** The default of {@link #latencySampleInterval(int)}: one send in 64 is timed. */
    public static final int DEFAULT_LATENCY_SAMPLE_INTERVAL = 64;

    private double[] percentiles = new double[0];
    private boolean percentileHistogram;
    private Duration statsMaxAge = Duration.ofSeconds(1);
    private Tags tags = Tags.empty();
    private int latencySampleInterval = DEFAULT_LATENCY_SAMPLE_INTERVAL;

    private Builder() {}

    /**
     * Sets how many sends are counted per timed send; default {@value
     * #DEFAULT_LATENCY_SAMPLE_INTERVAL}. Every send moves the counters; only one in this many,
     * picked at random, reads the clock twice and feeds {@code threadwire.send.latency}, whose
     * count is then the number of timed sends (read send rates from {@code threadwire.sends}). The
     * two clock reads cost about 50 ns on the benchmark machine, a third of a send to one
     * connection: 1 times every send at that cost, the default spends under 1 ns per send on it (it
     * was 16 until the send path's metrics cost had to fit in 5%, and 16 still costs about 3 ns). A
     * low-rate hub that wants a latency figure from few sends sets a smaller interval.
     *
     * @param every a power of two, at least 1
     * @return this builder
     * @throws IllegalArgumentException if not a power of two
     */
    public Builder latencySampleInterval(int every) {
      if (every < 1 || Integer.bitCount(every) != 1) {
        throw new IllegalArgumentException(
            "latencySampleInterval must be a power of two >= 1, got " + every);
      }
      this.latencySampleInterval = every;
      return this;
    }

    /**
     * Sets the percentiles the send latency timer publishes, computed in the client; default none.
     *
     * @param percentiles each in [0, 1], such as {@code 0.5, 0.99}
     * @return this builder
     * @throws IllegalArgumentException if one is outside [0, 1]
     */
    public Builder percentiles(double... percentiles) {
      for (double p : percentiles) {
        if (!(p >= 0 && p <= 1)) {
          throw new IllegalArgumentException("a percentile must be in [0, 1], got " + p);
        }
      }
      this.percentiles = Arrays.copyOf(percentiles, percentiles.length);
      return this;
    }

    /**
     * Sets whether the send latency timer publishes a histogram, for percentiles aggregated by the
     * monitoring system (Prometheus {@code histogram_quantile}); default false.
     *
     * @param enabled true to publish the histogram buckets
     * @return this builder
     */
    public Builder percentileHistogram(boolean enabled) {
      this.percentileHistogram = enabled;
      return this;
    }

    /**
     * Sets how long one hub stats snapshot serves the gauges; default 1s. Zero reads afresh for
     * every gauge; each read walks every thread of the hub.
     *
     * @param maxAge zero or positive
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder statsMaxAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative()) {
        throw new IllegalArgumentException("statsMaxAge must not be negative, got " + maxAge);
      }
      this.statsMaxAge = maxAge;
      return this;
    }

    /**
     * Sets tags added to every meter, such as the instance's role; default none. Keep them few and
     * bounded.
     *
     * @param tags the common tags
     * @return this builder
     */
    public Builder tags(Iterable<Tag> tags) {
      this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
      return this;
    }

    /**
     * Returns new metrics with these settings.
     *
     * @return new metrics, bound to no registry yet
     */
    public ThreadwireMetrics build() {
      return new ThreadwireMetrics(
          new Settings(
              percentiles.clone(), percentileHistogram, statsMaxAge, tags, latencySampleInterval));
    }
  }
}
