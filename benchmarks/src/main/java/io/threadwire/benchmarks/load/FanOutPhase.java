package io.threadwire.benchmarks.load;

import io.threadwire.ThreadId;
import io.threadwire.benchmarks.load.Publisher.Mode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * End-to-end fan-out over loopback: the three modes against the same sessions, interleaved A/B/C
 * per repetition, medians reported; then open-loop latency at half the measured maximum.
 */
final class FanOutPhase {

  static final int[] SIZES = {10, 1_000, 10_000};
  static final int[] PAYLOADS = {200, 2_048};
  static final int WINDOW = 64;

  private final Rig rig;
  private final Options options;
  private final Report report;

  /** Medians per thread size, payload and mode. */
  final Map<String, EnumMap<Mode, Run>> medians = new LinkedHashMap<>();

  FanOutPhase(Rig rig, Options options, Report report) {
    this.rig = rig;
    this.options = options;
    this.report = report;
  }

  /** One run, or the median of runs: deliveries per second, per server CPU-second, what failed. */
  record Run(double perSecond, double perCpuSecond, long lostOrReordered, long failedWrites) {}

  static String group(int n) {
    return "g" + n;
  }

  static ThreadId thread(int n) {
    return ThreadId.of("t" + n);
  }

  /** Connects every group: each thread size gets its own connections. */
  void connect() throws IOException, InterruptedException {
    for (int n : SIZES) {
      long start = System.nanoTime();
      rig.connect(group(n), n, thread(n).value());
      if (!rig.awaitMembers(thread(n), n)) {
        throw new IOException("thread " + thread(n) + " did not reach " + n + " members");
      }
      System.err.printf("connected %d clients to %s in %.1f s%n", n, thread(n), secs(start));
    }
  }

  void run() throws IOException, InterruptedException {
    List<String[]> rows = new ArrayList<>();
    for (int n : SIZES) {
      for (int payload : PAYLOADS) {
        int messages = Math.max(20, options.deliveriesPerRun / n);
        EnumMap<Mode, List<Double>> rates = new EnumMap<>(Mode.class);
        EnumMap<Mode, List<Double>> cpu = new EnumMap<>(Mode.class);
        EnumMap<Mode, long[]> bad = new EnumMap<>(Mode.class);
        for (Mode m : Mode.values()) {
          rates.put(m, new ArrayList<>());
          cpu.put(m, new ArrayList<>());
          bad.put(m, new long[2]);
          once(m, n, messages, payload); // warm-up, discarded
        }
        for (int rep = 0; rep < options.repetitions; rep++) {
          for (Mode m : Mode.values()) {
            Run r = once(m, n, messages, payload);
            rates.get(m).add(r.perSecond);
            cpu.get(m).add(r.perCpuSecond);
            bad.get(m)[0] += r.lostOrReordered;
            bad.get(m)[1] += r.failedWrites;
          }
        }
        EnumMap<Mode, Run> med = new EnumMap<>(Mode.class);
        for (Mode m : Mode.values()) {
          med.put(
              m,
              new Run(
                  Report.median(rates.get(m)),
                  Report.median(cpu.get(m)),
                  bad.get(m)[0],
                  bad.get(m)[1]));
        }
        medians.put(n + "/" + payload, med);
        Run tw = med.get(Mode.THREADWIRE);
        Run naive = med.get(Mode.NAIVE);
        Run raw = med.get(Mode.RAWFRAME);
        rows.add(
            new String[] {
              Report.f0(n),
              payload + " B",
              Integer.toString(messages),
              Report.f0(tw.perSecond),
              Report.f0(naive.perSecond),
              Report.f0(raw.perSecond),
              Report.f2(tw.perSecond / naive.perSecond),
              Report.f2(tw.perSecond / raw.perSecond),
              Report.f0(tw.perCpuSecond),
              Report.f0(naive.perCpuSecond),
              Report.f0(raw.perCpuSecond),
              tw.lostOrReordered + naive.lostOrReordered + raw.lostOrReordered + "",
            });
        System.err.printf(
            "fan-out N=%d %dB: threadwire %.0f/s naive %.0f/s rawframe %.0f/s%n",
            n, payload, tw.perSecond, naive.perSecond, raw.perSecond);
        report.target(
            "fan-out N=" + n + ", " + payload + " B: threadwire >= 2.0x naive",
            Report.f2(tw.perSecond / naive.perSecond) + "x",
            tw.perSecond >= 2.0 * naive.perSecond);
        report.target(
            "fan-out N=" + n + ", " + payload + " B: threadwire >= 0.9x rawframe",
            Report.f2(tw.perSecond / raw.perSecond) + "x",
            tw.perSecond >= 0.9 * raw.perSecond);
      }
    }
    report.section(
        "End-to-end fan-out over loopback",
        "One server JVM (this one), one lean NIO load client process; the three modes write to the"
            + " same sessions, interleaved threadwire/naive/rawframe in each of "
            + options.repetitions
            + " repetitions after one discarded warm-up round; medians. At most "
            + WINDOW
            + " messages in flight (a message is in flight until every recipient's write has"
            + " completed). Deliveries/s = frames the client received / (last receipt - first"
            + " publish); per CPU-second = frames / server process CPU time over the run.");
    report.table(
        new String[] {
          "N",
          "payload",
          "msgs/run",
          "threadwire/s",
          "naive/s",
          "rawframe/s",
          "tw/naive",
          "tw/raw",
          "tw per CPU-s",
          "naive per CPU-s",
          "raw per CPU-s",
          "lost+reordered"
        },
        rows);
  }

  private Run once(Mode mode, int n, int messages, int payload)
      throws IOException, InterruptedException {
    rig.client.command("run " + group(n) + " " + messages + " 120000", Rig.REPLY);
    rig.publisher.takeFailures();
    long cpu0 = Rig.cpuNanos();
    long t0 = System.nanoTime();
    rig.publisher.closedLoop(mode, thread(n), messages, payload, WINDOW);
    Map<String, String> done = rig.client.awaitDone(Rig.REPLY);
    long cpu = Rig.cpuNanos() - cpu0;
    long received = Long.parseLong(done.get("received"));
    long last = Long.parseLong(done.get("last"));
    long bad =
        Long.parseLong(done.get("reordered"))
            + Long.parseLong(done.get("gaps"))
            + Math.max(0, Long.parseLong(done.get("expected")) - received);
    if ("true".equals(done.get("timedout"))) {
      System.err.println("run timed out: " + done);
    }
    return new Run(
        received * 1e9 / Math.max(1, last - t0),
        received * 1e9 / Math.max(1, cpu),
        bad,
        rig.publisher.takeFailures());
  }

  /**
   * Open-loop latency at half the measured threadwire maximum for each thread size (the target),
   * and at half the rawframe maximum: the load a server writing one frame per system call could
   * carry at all, where the target's cost model (N frame writes per message) holds.
   */
  void latency() throws IOException, InterruptedException {
    List<String[]> rows = new ArrayList<>();
    for (int n : SIZES) {
      Run tw = medians.get(n + "/200").get(Mode.THREADWIRE);
      Run raw = medians.get(n + "/200").get(Mode.RAWFRAME);
      double perFrame = 1e9 / raw.perSecond;
      double bound = 1.5 * n * perFrame + 1e6;
      latencyRow(rows, n, "50% of threadwire max", 0.5 * tw.perSecond / n, perFrame, bound, true);
      latencyRow(rows, n, "50% of rawframe max", 0.5 * raw.perSecond / n, perFrame, bound, false);
    }
    report.section(
        "Latency at 50% of the measured maximum",
        "Open-loop publishing through the port, 200 B payloads, "
            + options.latencySeconds
            + " s per row, at half the median threadwire rate measured above (the target), and at"
            + " half the rawframe rate (the load a server writing one frame per system call could"
            + " carry). Each message carries its intended send time (System.nanoTime,"
            + " CLOCK_MONOTONIC, shared by both processes); the client records receipt minus"
            + " intended time in an HdrHistogram, so a stall counts against every message due"
            + " during it (no coordinated omission). Raw frame cost = 1 / rawframe deliveries/s;"
            + " p99 bound = 1.5 x N x raw frame cost + 1 ms.");
    report.table(
        new String[] {
          "N",
          "load",
          "msgs/s",
          "msgs",
          "p50",
          "p99",
          "p99.9",
          "max",
          "raw frame cost",
          "p99 bound",
          "lost / reordered"
        },
        rows);
  }

  private void latencyRow(
      List<String[]> rows,
      int n,
      String load,
      double rate,
      double perFrame,
      double bound,
      boolean target)
      throws IOException, InterruptedException {
    int messages = (int) Math.max(50, Math.min(400_000, rate * options.latencySeconds));
    rig.client.command("run " + group(n) + " " + messages + " 120000", Rig.REPLY);
    rig.publisher.takeFailures();
    rig.publisher.openLoop(Mode.THREADWIRE, thread(n), messages, 200, rate);
    Map<String, String> done = rig.client.awaitDone(Rig.REPLY);
    double p99 = Double.parseDouble(done.get("p99"));
    long lost =
        Long.parseLong(done.get("expected"))
            - Long.parseLong(done.get("received"))
            + Long.parseLong(done.get("gaps"));
    long reordered = Long.parseLong(done.get("reordered"));
    rows.add(
        new String[] {
          Report.f0(n),
          load,
          Report.f1(rate),
          Integer.toString(messages),
          Report.ms(Double.parseDouble(done.get("p50"))),
          Report.ms(p99),
          Report.ms(Double.parseDouble(done.get("p999"))),
          Report.ms(Double.parseDouble(done.get("max"))),
          Report.ms(perFrame),
          Report.ms(bound),
          lost + " / " + reordered
        });
    System.err.printf("latency N=%d at %s: p99 %.3f ms%n", n, load, p99 / 1e6);
    if (target) {
      report.target(
          "p99 at 50% load, N="
              + n
              + " <= 1.5 x N x raw frame cost + 1 ms ("
              + Report.ms(bound)
              + ")",
          Report.ms(p99),
          p99 <= bound);
    }
    report.target(
        "latency N=" + n + " at " + load + ": zero lost or reordered",
        lost + " lost, " + reordered + " reordered",
        lost == 0 && reordered == 0);
  }

  private static double secs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
