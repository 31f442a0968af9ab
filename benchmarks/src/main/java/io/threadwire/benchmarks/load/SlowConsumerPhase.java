package io.threadwire.benchmarks.load;

import io.threadwire.ThreadId;
import io.threadwire.benchmarks.load.Publisher.Mode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slow consumers: 1% of a thread's clients stop reading. The healthy clients' rate and p99 are
 * compared with an all-healthy run at the same offered load; the server's heap growth and how soon
 * the slow clients are cut off are measured too.
 */
final class SlowConsumerPhase {

  static final int N = 1_000;
  static final int SLOW = N / 100;
  static final int PAYLOAD = 2_048;
  static final String SLOW_GROUP = "slow";
  static final String GROUP = "slowbase";
  static final ThreadId THREAD = ThreadId.of("slow" + N);

  /** The slow clients' fixed socket receive buffer: small, as on a congested mobile link. */
  static final int SLOW_RECEIVE_BUFFER = 64 * 1024;

  private SlowConsumerPhase() {}

  /** What one open-loop run at a fixed rate showed. */
  record Result(
      double healthyPerConnPerSecond,
      double p99,
      long peakGrowth,
      long endGrowth,
      long cutOffMillis,
      long failedWrites) {}

  /**
   * Runs the phase at half of {@code maxDeliveriesPerSecond} (threadwire at N and PAYLOAD, from the
   * fan-out phase; NaN if it did not run, then at an assumed 400,000 deliveries/s).
   */
  static void run(Rig rig, Options options, Report report, double maxDeliveriesPerSecond)
      throws IOException, InterruptedException {
    double max = (Double.isNaN(maxDeliveriesPerSecond) ? 400_000 : maxDeliveriesPerSecond) / N;
    double rate = 0.5 * max;
    int messages = (int) (rate * options.slowSeconds);
    ThreadId thread = THREAD;
    rig.connect(GROUP, N, THREAD.value());
    if (!rig.awaitMembers(THREAD, N)) {
      throw new IOException("thread " + THREAD + " did not reach " + N + " members");
    }
    Result healthy = once(rig, rate, messages, false);
    rig.client.command(
        "connect " + SLOW_GROUP + " " + SLOW + " " + thread.value() + " " + SLOW_RECEIVE_BUFFER,
        Rig.REPLY);
    rig.awaitMembers(thread, N + SLOW);
    rig.client.command("stall " + SLOW_GROUP + " " + SLOW, Rig.REPLY);
    Result stalled = once(rig, rate, messages, true);
    // A stalled client sees its close frame only once it reads past what is buffered for it.
    rig.client.command("resume " + SLOW_GROUP, Rig.REPLY);
    String stats = "";
    for (int i = 0; i < 100 && !stats.contains("closed=" + SLOW); i++) {
      stats = rig.client.command("stats " + SLOW_GROUP, Rig.REPLY);
      Thread.sleep(100); // polling the client's view; nothing to wait on in this process
    }
    rig.client.command("close " + SLOW_GROUP, Rig.REPLY);
    rig.client.command("close " + GROUP, Rig.REPLY);
    double keep = stalled.healthyPerConnPerSecond / healthy.healthyPerConnPerSecond;
    report.section(
        "Slow consumers",
        "Thread of "
            + N
            + " healthy connections, "
            + PAYLOAD
            + " B payloads, open loop through the port at "
            + Report.f1(rate)
            + " msgs/s (50% of the measured maximum) for "
            + options.slowSeconds
            + " s. In the second run "
            + SLOW
            + " more clients (1%) are in the thread and never read; their socket receive buffer is"
            + " fixed at "
            + (SLOW_RECEIVE_BUFFER >> 10)
            + " KiB. Heap growth: largest heap-after-GC sampled during the run, and the live heap"
            + " after a full GC at the end of publishing, minus the live heap before. Cut-off: time"
            + " from the stall until the server has dropped every slow client from the thread."
            + " Outbound bounds: "
            + rig.server.settings().maxQueuedFrames()
            + " frames / "
            + (rig.server.settings().maxQueuedBytes() >> 20)
            + " MiB per connection, write timeout "
            + rig.server.settings().writeTimeout().toSeconds()
            + " s. The slow clients' view afterwards: `"
            + stats
            + "`.");
    report.table(
        new String[] {
          "run",
          "healthy msgs/s per client",
          "healthy p99",
          "heap growth (peak / end)",
          "slow cut off after",
          "writes counted failed or unconfirmed"
        },
        List.of(row("all healthy", healthy), row(SLOW + " slow + " + N + " healthy", stalled)));
    report.target(
        "slow consumers: healthy clients keep >= 95% of their rate",
        Report.f1(keep * 100) + "%", keep >= 0.95);
    long bound = (long) SLOW * rig.server.settings().maxQueuedBytes();
    long growth = Math.max(stalled.peakGrowth, stalled.endGrowth);
    report.target(
        "slow consumers: heap growth bounded by the queue bound ("
            + SLOW
            + " x "
            + (rig.server.settings().maxQueuedBytes() >> 20)
            + " MiB)",
        (growth >> 10) + " KiB",
        growth <= bound);
    report.target(
        "slow consumers: every slow client cut off and counted failed or unconfirmed",
        stalled.cutOffMillis < 0
            ? "not cut within the run"
            : stalled.cutOffMillis
                + " ms, "
                + stalled.failedWrites
                + " failed or unconfirmed writes",
        stalled.cutOffMillis >= 0 && stalled.failedWrites >= SLOW);
  }

  private static String[] row(String name, Result r) {
    return new String[] {
      name,
      Report.f1(r.healthyPerConnPerSecond),
      Report.ms(r.p99),
      (r.peakGrowth >> 10) + " KiB / " + (r.endGrowth >> 10) + " KiB",
      r.cutOffMillis < 0 ? "-" : r.cutOffMillis + " ms",
      Long.toString(r.failedWrites)
    };
  }

  private static Result once(Rig rig, double rate, int messages, boolean slow)
      throws IOException, InterruptedException {
    String group = GROUP;
    ThreadId thread = THREAD;
    long before = Rig.heapAfterGc();
    AtomicLong peak = new AtomicLong(before);
    AtomicLong cutAt = new AtomicLong(-1);
    rig.client.command("run " + group + " " + messages + " 120000", Rig.REPLY);
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(Rig.heapAfterLastGc(), Math::max);
                if (slow && cutAt.get() < 0 && rig.server.connectionCount(thread) <= N) {
                  cutAt.set(System.nanoTime());
                }
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    rig.publisher.takeFailures();
    long t0 = System.nanoTime();
    sampler.start();
    rig.publisher.openLoop(Mode.THREADWIRE, thread, messages, PAYLOAD, rate);
    Map<String, String> done = rig.client.awaitDone(Rig.REPLY);
    long end = Rig.heapAfterGc();
    if (slow) {
      Publisher.await(() -> cutAt.get() > 0, 30_000);
    }
    sampler.interrupt();
    sampler.join();
    long failed = rig.publisher.takeFailures();
    long last = Long.parseLong(done.get("last"));
    double perConn = Long.parseLong(done.get("healthyReceived")) / (double) N * 1e9 / (last - t0);
    return new Result(
        perConn,
        Double.parseDouble(done.get("p99")),
        Math.max(0, peak.get() - before),
        Math.max(0, end - before),
        cutAt.get() < 0 ? -1 : (cutAt.get() - t0) / 1_000_000,
        failed);
  }
}
