package io.threadwire.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.threadwire.ConnectionId;
import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.ThreadId;
import io.threadwire.hub.ThreadHub;
import io.threadwire.micrometer.ThreadwireMetrics;
import io.threadwire.spi.Since;
import java.util.Arrays;

/**
 * The metrics overhead of {@code ThreadHub.send} on a shared, noisy machine, where separate JMH
 * runs of each configuration see different load: two hubs, one without a listener and one with
 * {@link ThreadwireMetrics} bound, are timed in alternating rounds of {@value #SENDS} sends, so
 * load hits both alike; each prints its minimum and quartiles per send. Run: {@code java -cp
 * benchmarks/target/benchmarks.jar io.threadwire.benchmarks.MetricsOverhead [recipients]}.
 */
public final class MetricsOverhead {

  private static final int SENDS = 200_000;
  private static final int ROUNDS = 60;
  private static final ThreadId ROOM = ThreadId.of("room");

  private MetricsOverhead() {}

  /**
   * Runs the comparison and prints it.
   *
   * @param args the number of recipients, default 1
   */
  public static void main(String[] args) {
    int recipients = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    ThreadHub plain = hub(ThreadHub.builder((t, e, o, m) -> m.payload()), recipients);
    ThreadwireMetrics metrics = ThreadwireMetrics.create();
    metrics.bindTo(new SimpleMeterRegistry());
    ThreadHub metered =
        hub(
            ThreadHub.builder((t, e, o, m) -> m.payload()).listener(metrics.listener()),
            recipients);
    Message message = Message.builder("{\"type\":\"tool_executing\",\"n\":1}").id("m").build();
    double[] a = new double[ROUNDS];
    double[] b = new double[ROUNDS];
    for (int r = -10; r < ROUNDS; r++) { // 10 warm-up rounds
      double x = round(plain, message);
      double y = round(metered, message);
      if (r >= 0) {
        a[r] = x;
        b[r] = y;
      }
    }
    Arrays.sort(a);
    Arrays.sort(b);
    System.out.printf(
        "recipients=%d  none: min %.1f p25 %.1f median %.1f ns/send%n",
        recipients, a[0], a[ROUNDS / 4], a[ROUNDS / 2]);
    System.out.printf(
        "recipients=%d  micrometer: min %.1f p25 %.1f median %.1f ns/send%n",
        recipients, b[0], b[ROUNDS / 4], b[ROUNDS / 2]);
    System.out.printf(
        "overhead: min %+.1f%%  p25 %+.1f%%  median %+.1f%%%n",
        100 * (b[0] / a[0] - 1),
        100 * (b[ROUNDS / 4] / a[ROUNDS / 4] - 1),
        100 * (b[ROUNDS / 2] / a[ROUNDS / 2] - 1));
    plain.close();
    metered.close();
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

  private static double round(ThreadHub hub, Message message) {
    long sink = 0;
    long start = System.nanoTime();
    for (int i = 0; i < SENDS; i++) {
      sink += hub.send(ROOM, message, SendOptions.defaults()).hashCode();
    }
    long took = System.nanoTime() - start;
    if (sink == 42) {
      System.out.print("");
    }
    return (double) took / SENDS;
  }
}
