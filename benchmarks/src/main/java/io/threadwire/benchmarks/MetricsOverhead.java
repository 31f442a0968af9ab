package io.threadwire.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.threadwire.ConnectionId;
import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.ThreadId;
import io.threadwire.hub.ThreadHub;
import io.threadwire.micrometer.ThreadwireMetrics;
import io.threadwire.spi.MessagingListener;
import io.threadwire.spi.Since;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The metrics overhead of {@code ThreadHub.send} on a shared, noisy machine, where separate JMH
 * runs of each configuration see different load: two hubs, one without a listener and one with
 * {@link ThreadwireMetrics} bound, are timed in alternating rounds of {@value #SENDS} sends, so
 * load hits both alike (which goes first alternates too); each prints its minimum and quartiles per
 * send, then the quartiles of the ratio of each round to its neighbour, the figure least moved by
 * load that drifts between rounds. Run: {@code java [-Dsends=200000 -Drounds=60 -Dclock=cpu] -cp
 * benchmarks/target/benchmarks.jar io.threadwire.benchmarks.MetricsOverhead [recipients
 * [listener]]}.
 */
public final class MetricsOverhead {

  private static final int SENDS = Integer.getInteger("sends", 200_000);
  private static final int ROUNDS = Integer.getInteger("rounds", 60);
  private static final ThreadId ROOM = ThreadId.of("room");

  /**
   * Whether rounds are timed in this thread's CPU time ({@code -Dclock=cpu}) rather than wall time:
   * on a loaded machine the time the thread is descheduled then stays out of the figures.
   */
  private static final boolean CPU_CLOCK = "cpu".equals(System.getProperty("clock"));

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private MetricsOverhead() {}

  /**
   * Runs the comparison and prints it.
   *
   * @param args the number of recipients, default 1; then the listener, default {@code micrometer}
   *     (see {@link #listener})
   */
  public static void main(String[] args) {
    int recipients = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    String kind = args.length > 1 ? args[1] : "micrometer";
    ThreadHub plain = hub(ThreadHub.builder((t, e, o, m) -> m.payload()), recipients);
    ThreadHub metered =
        hub(ThreadHub.builder((t, e, o, m) -> m.payload()).listener(listener(kind)), recipients);
    Message message = Message.builder("{\"type\":\"tool_executing\",\"n\":1}").id("m").build();
    double[] a = new double[ROUNDS];
    double[] b = new double[ROUNDS];
    double[] ratio = new double[ROUNDS];
    for (int r = -10; r < ROUNDS; r++) { // 10 warm-up rounds
      // Which hub goes first alternates, so a load change inside a pair hits each side alike.
      double x;
      double y;
      if ((r & 1) == 0) {
        x = round(plain, message);
        y = round(metered, message);
      } else {
        y = round(metered, message);
        x = round(plain, message);
      }
      if (r >= 0) {
        a[r] = x;
        b[r] = y;
        ratio[r] = y / x;
      }
    }
    Arrays.sort(ratio);
    Arrays.sort(a);
    Arrays.sort(b);
    System.out.printf(
        "recipients=%d  none: min %.1f p25 %.1f median %.1f ns/send%n",
        recipients, a[0], a[ROUNDS / 4], a[ROUNDS / 2]);
    System.out.printf(
        "recipients=%d  " + kind + ": min %.1f p25 %.1f median %.1f ns/send%n",
        recipients,
        b[0],
        b[ROUNDS / 4],
        b[ROUNDS / 2]);
    System.out.printf(
        "overhead: min %+.1f%%  p25 %+.1f%%  median %+.1f%%%n",
        100 * (b[0] / a[0] - 1),
        100 * (b[ROUNDS / 4] / a[ROUNDS / 4] - 1),
        100 * (b[ROUNDS / 2] / a[ROUNDS / 2] - 1));
    System.out.printf(
        "paired overhead (each round against the one next to it): p25 %+.1f%%  median %+.1f%%"
            + "  p75 %+.1f%%%n",
        100 * (ratio[ROUNDS / 4] - 1),
        100 * (ratio[ROUNDS / 2] - 1),
        100 * (ratio[3 * ROUNDS / 4] - 1));
    plain.close();
    metered.close();
  }

  /**
   * Returns the listener of the metered hub: {@code micrometer} (the binder with its defaults,
   * bound to a {@link SimpleMeterRegistry}) or {@code noop} (one that counts nothing: the hub's own
   * share of the cost), each optionally with a latency sample interval after a colon ({@code
   * micrometer:1} times every send; the default is the binder's).
   */
  private static MessagingListener listener(String kind) {
    String[] parts = kind.split(":", 2);
    int every =
        parts.length > 1
            ? Integer.parseInt(parts[1])
            : ThreadwireMetrics.Builder.DEFAULT_LATENCY_SAMPLE_INTERVAL;
    switch (parts[0]) {
      case "micrometer" -> {
        ThreadwireMetrics metrics =
            ThreadwireMetrics.builder().latencySampleInterval(every).build();
        metrics.bindTo(new SimpleMeterRegistry());
        return metrics.listener();
      }
      case "noop" -> {
        return new MessagingListener() {
          @Override
          public int latencySampleInterval() {
            return every;
          }
        };
      }
      default -> throw new IllegalArgumentException("unknown listener " + kind);
    }
  }

  private static ThreadHub hub(ThreadHub.Builder builder, int recipients) {
    ThreadHub hub = builder.build();
    hub.start();
    for (int i = 0; i < recipients; i++) {
      CoreSendBenchmark.NoOpConnection c =
          new CoreSendBenchmark.NoOpConnection(ConnectionId.of("c" + i));
      hub.register(c);
      hub.join(c.id(), ROOM, Since.none());
    }
    return hub;
  }

  private static long now() {
    return CPU_CLOCK ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }

  private static double round(ThreadHub hub, Message message) {
    long sink = 0;
    long start = now();
    for (int i = 0; i < SENDS; i++) {
      sink += hub.send(ROOM, message, SendOptions.defaults()).hashCode();
    }
    long took = now() - start;
    if (sink == 42) {
      System.out.print("");
    }
    return (double) took / SENDS;
  }
}
