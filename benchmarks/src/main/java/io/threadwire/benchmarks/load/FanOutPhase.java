package io.threadwire.benchmarks.load;

import io.threadwire.ThreadId;
import io.threadwire.benchmarks.load.Publisher.Mode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * End-to-end fan-out over loopback against the C epoll client ({@code src/main/c/fanclient.c}, one
 * thread, pinned to its own core; the server JVM pinned to the other): Threadwire, naive Tyrus
 * {@code sendText} on Threadwire's own sessions, and the idiomatic Netty 4.2 broadcast server
 * ({@link NettyBroadcast}), interleaved in every repetition (the order rotates), each run a closed
 * loop of at least {@link Options#runSeconds}; then open-loop latency at 10% and 50% of the
 * measured maximum at N = 1,000, 200 B, for Threadwire and Netty.
 */
final class FanOutPhase {

  static final int WINDOW = 64;
  static final int LATENCY_N = 1_000;

  private final Rig rig;
  private final Options options;
  private final Report report;

  /** Summaries per "N/payload" and mode. */
  final Map<String, EnumMap<Mode, Summary>> results = new LinkedHashMap<>();

  FanOutPhase(Rig rig, Options options, Report report) {
    this.rig = rig;
    this.options = options;
    this.report = report;
  }

  /** One run: deliveries per second, server CPU nanoseconds per delivery, what went wrong. */
  record Run(
      double perSecond, double cpuNanosPerDelivery, long lost, long reordered, double seconds) {}

  /** The median and range of the repetitions, and the totals of what went wrong. */
  record Summary(
      double median,
      double min,
      double max,
      double cpuNanosPerDelivery,
      long lost,
      long reordered,
      double minSeconds) {}

  static String group(Mode m, int n) {
    return m.name().toLowerCase(java.util.Locale.ROOT) + n;
  }

  static ThreadId thread(int n) {
    return ThreadId.of("fan" + n);
  }

  /** The delivery rate of {@code mode} at {@code n}, 200 B, or NaN if not measured. */
  double perSecond(Mode mode, int n) {
    return perSecond(mode, n, 200);
  }

  /** The delivery rate of {@code mode} at {@code n} and {@code payload}, or NaN. */
  double perSecond(Mode mode, int n, int payload) {
    EnumMap<Mode, Summary> r = results.get(n + "/" + payload);
    return r == null ? Double.NaN : r.get(mode).median;
  }

  /** Client groups connected now: THREADWIRE (also used by NAIVE) and NETTY. */
  private final java.util.EnumSet<Mode> connected = java.util.EnumSet.noneOf(Mode.class);

  /** Sizes at which one group at a time is connected, since both do not fit the fd limit. */
  private final List<Integer> oneAtATime = new ArrayList<>();

  /**
   * Returns whether both servers' connections of a size fit this process's (and the client's)
   * open-file limit at once, with room for everything else.
   */
  private static boolean bothFit(int n) {
    long max =
        ((com.sun.management.UnixOperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getMaxFileDescriptorCount();
    return 2L * n + 2_000 <= max;
  }

  /**
   * Makes sure the client group {@code mode}'s frames arrive on is connected; where both servers'
   * groups do not fit the open-file limit, closes the other first.
   */
  private void ensure(Mode mode, int n) throws IOException, InterruptedException {
    Mode g = mode == Mode.NAIVE ? Mode.THREADWIRE : mode;
    if (connected.contains(g)) {
      return;
    }
    if (!bothFit(n)) {
      for (Mode other : List.copyOf(connected)) {
        closeGroup(other, n);
      }
    }
    connectGroup(g, n);
  }

  void run() throws IOException, InterruptedException {
    List<String[]> rows = new ArrayList<>();
    List<Mode> order = new ArrayList<>(options.modes);
    for (int n : options.sizes) {
      if (bothFit(n)) {
        for (Mode m : order) {
          ensure(m, n);
        }
      } else {
        oneAtATime.add(n);
      }
      for (int payload : options.payloads) {
        EnumMap<Mode, List<Run>> runs = new EnumMap<>(Mode.class);
        for (Mode m : Mode.values()) {
          runs.put(m, new ArrayList<>());
        }
        for (Mode m : order) {
          once(m, n, payload, (long) (options.warmupSeconds * 1e9)); // warm-up, discarded
        }
        for (int rep = 0; rep < options.repetitions; rep++) {
          for (Mode m : order) {
            Run r = once(m, n, payload, (long) (options.runSeconds * 1e9));
            runs.get(m).add(r);
            System.err.printf(
                "fan-out N=%d %dB rep %d %s: %.0f/s, %.0f ns CPU/delivery, %.1f s, lost %d,"
                    + " reordered %d%n",
                n,
                payload,
                rep + 1,
                m,
                r.perSecond,
                r.cpuNanosPerDelivery,
                r.seconds,
                r.lost,
                r.reordered);
          }
          Collections.rotate(order, 1);
        }
        EnumMap<Mode, Summary> s = new EnumMap<>(Mode.class);
        for (Mode m : Mode.values()) {
          s.put(m, summarise(runs.get(m)));
        }
        results.put(n + "/" + payload, s);
        Summary tw = s.get(Mode.THREADWIRE);
        Summary naive = s.get(Mode.NAIVE);
        Summary netty = s.get(Mode.NETTY);
        rows.add(
            new String[] {
              Report.f0(n),
              payload + " B",
              range(tw),
              range(netty),
              range(naive),
              Report.f2(tw.median / netty.median),
              Report.f0(tw.cpuNanosPerDelivery),
              Report.f0(netty.cpuNanosPerDelivery),
              Report.f0(naive.cpuNanosPerDelivery),
              Report.f1(Math.min(tw.minSeconds, Math.min(netty.minSeconds, naive.minSeconds))),
              (tw.lost + netty.lost + naive.lost)
                  + " / "
                  + (tw.reordered + netty.reordered + naive.reordered)
            });
        report.target(
            "fan-out N=" + n + ", " + payload + " B: threadwire >= 1.2x Netty",
            Report.f2(tw.median / netty.median) + "x",
            tw.median >= 1.2 * netty.median);
        report.target(
            "fan-out N=" + n + ", " + payload + " B: zero lost or reordered (all servers)",
            (tw.lost + netty.lost + naive.lost)
                + " lost, "
                + (tw.reordered + netty.reordered + naive.reordered)
                + " reordered",
            tw.lost + netty.lost + naive.lost + tw.reordered + netty.reordered + naive.reordered
                == 0);
      }
      if (n == LATENCY_N && options.runs("latency")) {
        latency();
      }
      close(n);
    }
    for (int payload : options.payloads) {
      if (!results.containsKey("1000/" + payload) || !results.containsKey("10000/" + payload)) {
        continue;
      }
      double at1k = results.get("1000/" + payload).get(Mode.THREADWIRE).median;
      double at10k = results.get("10000/" + payload).get(Mode.THREADWIRE).median;
      report.target(
          "threadwire N=10,000 within 20% of N=1,000, " + payload + " B",
          Report.f2(at10k / at1k) + "x",
          at10k >= 0.8 * at1k);
    }
    report.section(
        "End-to-end fan-out over loopback",
        "Setup: "
            + ClientProcess.pinning()
            + ". The load client is src/main/c/fanclient.c (gcc -O2): one thread, one epoll set, it"
            + " checks every frame's seq per connection (a lower seq counts as reordered, a jump"
            + " counts the skipped ones as lost, missing frames at the end count as lost). Three"
            + " servers in this JVM against the same client, interleaved, the order rotating"
            + " each repetition: threadwire (the Tyrus adapter through the port), netty (an"
            + " idiomatic Netty 4.2.18 broadcast server, one NIO event loop: one frame,"
            + " retainedDuplicate per channel, void promises, one flush per channel per batch,"
            + " writability respected) and naive (getAsyncRemote().sendText per session on"
            + " threadwire's sessions). Each run is a closed loop of at least "
            + options.runSeconds
            + " s with at most "
            + WINDOW
            + " messages in flight, after one discarded warm-up run of "
            + options.warmupSeconds
            + " s per server; "
            + options.repetitions
            + " repetitions; median [min-max]. Deliveries/s = frames the client received / (last"
            + " receipt - first publish). CPU/delivery = this process's CPU time over the run"
            + " (OperatingSystemMXBean.getProcessCpuTime: the server, its publisher thread, GC and"
            + " JIT) / frames received."
            + (oneAtATime.isEmpty()
                ? ""
                : " At N = "
                    + oneAtATime
                    + " both servers' connections do not fit the open-file limit of one process"
                    + " (hard limit here), so each server's clients are connected before its runs"
                    + " and closed before the other's: the runs stay interleaved, on fresh"
                    + " connections."));
    report.table(
        new String[] {
          "N",
          "payload",
          "threadwire deliveries/s",
          "netty deliveries/s",
          "naive deliveries/s",
          "tw/netty",
          "tw ns CPU/delivery",
          "netty ns CPU/delivery",
          "naive ns CPU/delivery",
          "shortest run s",
          "lost / reordered"
        },
        rows);
  }

  private void connectGroup(Mode g, int n) throws IOException, InterruptedException {
    long start = System.nanoTime();
    if (g == Mode.THREADWIRE) {
      rig.fanClient.command(
          "connect "
              + group(Mode.THREADWIRE, n)
              + " "
              + rig.server.boundPort()
              + " "
              + n
              + " "
              + thread(n).value(),
          Rig.REPLY);
      if (!rig.awaitMembers(thread(n), n)) {
        throw new IOException("thread " + thread(n) + " did not reach " + n + " members");
      }
    } else {
      rig.fanClient.command(
          "connect " + group(Mode.NETTY, n) + " " + rig.netty.port() + " " + n + " -", Rig.REPLY);
      if (!Publisher.await(() -> rig.netty.members() == n, 60_000)) {
        throw new IOException("netty did not reach " + n + " members");
      }
    }
    connected.add(g);
    System.err.printf(
        "connected %d %s clients in %.1f s%n", n, g, (System.nanoTime() - start) / 1e9);
  }

  private void closeGroup(Mode g, int n) throws IOException, InterruptedException {
    rig.fanClient.command("close " + group(g, n), Rig.REPLY);
    if (g == Mode.THREADWIRE) {
      Publisher.await(() -> rig.server.connectionCount(thread(n)) == 0, 30_000);
    } else {
      Publisher.await(() -> rig.netty.members() == 0, 30_000);
    }
    connected.remove(g);
  }

  void close(int n) throws IOException, InterruptedException {
    for (Mode g : List.copyOf(connected)) {
      closeGroup(g, n);
    }
  }

  /** The client group a mode's frames arrive on: naive writes to threadwire's sessions. */
  private static String clientGroup(Mode m, int n) {
    return group(m == Mode.NAIVE ? Mode.THREADWIRE : m, n);
  }

  private Run once(Mode mode, int n, int payload, long nanos)
      throws IOException, InterruptedException {
    ensure(mode, n);
    String g = clientGroup(mode, n);
    rig.fanClient.command("run " + g, Rig.REPLY);
    rig.publisher.takeFailures();
    long cpu0 = Rig.cpuNanos();
    long t0 = System.nanoTime();
    int sent = rig.publisher.closedLoopFor(mode, thread(n), nanos, payload, WINDOW);
    rig.fanClient.command("stop " + g + " " + sent + " 120000", Rig.REPLY);
    Map<String, String> done = rig.fanClient.awaitDone(Rig.REPLY);
    long cpu = Rig.cpuNanos() - cpu0;
    long received = Long.parseLong(done.get("received"));
    long last = Long.parseLong(done.get("last"));
    if ("true".equals(done.get("timedout"))) {
      System.err.println("run timed out: " + done);
    }
    long failures = rig.publisher.takeFailures();
    if (failures > 0) {
      System.err.println(mode + " reported " + failures + " failed writes");
    }
    return new Run(
        received * 1e9 / Math.max(1, last - t0),
        (double) cpu / Math.max(1, received),
        Long.parseLong(done.get("lost")),
        Long.parseLong(done.get("reordered")),
        (last - t0) / 1e9);
  }

  private static Summary summarise(List<Run> runs) {
    if (runs.isEmpty()) { // a mode left out with --modes
      return new Summary(
          Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, Double.POSITIVE_INFINITY);
    }
    List<Double> rates = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    long lost = 0;
    long reordered = 0;
    double minSeconds = Double.MAX_VALUE;
    for (Run r : runs) {
      rates.add(r.perSecond);
      cpu.add(r.cpuNanosPerDelivery);
      lost += r.lost;
      reordered += r.reordered;
      minSeconds = Math.min(minSeconds, r.seconds);
    }
    return new Summary(
        Report.median(rates),
        Collections.min(rates),
        Collections.max(rates),
        Report.median(cpu),
        lost,
        reordered,
        minSeconds);
  }

  /**
   * Moves the calling thread (only it) to the CPUs {@code cpus} with {@code taskset -p}; returns
   * the CPU list it had. Linux only: the thread's id comes from {@code /proc/thread-self}.
   */
  static String pinThisThread(String cpus) throws IOException, InterruptedException {
    String self =
        java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self")).toString();
    String tid = self.substring(self.lastIndexOf('/') + 1);
    String before = taskset("-pc", tid).replaceAll("(?s).*: *", "").trim();
    taskset("-pc", cpus, tid);
    return before;
  }

  private static String taskset(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("taskset");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("taskset " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  /** The maximum the latency rates are taken from: --latency-max if given, else the measured. */
  private double maximum(Mode m, int n) {
    if (options.latencyMax.length == 2) {
      return options.latencyMax[m == Mode.NETTY ? 1 : 0];
    }
    return perSecond(m, n);
  }

  /** A nanosecond field of the client's done line, in milliseconds, or "-" if absent. */
  private static String msOf(Map<String, String> done, String key) {
    String v = done.get(key);
    return v == null ? "-" : String.format(java.util.Locale.ROOT, "%.3f", Long.parseLong(v) / 1e6);
  }

  private static String range(Summary s) {
    return Report.f0(s.median) + " [" + Report.f0(s.min) + "-" + Report.f0(s.max) + "]";
  }

  /** What one open-loop latency row measured: the client's done line and the server's side. */
  private record LatencyRow(
      Map<String, String> done,
      long cpuNanos,
      long gcCount,
      long gcMillis,
      org.HdrHistogram.Histogram wake,
      org.HdrHistogram.Histogram handed,
      org.HdrHistogram.Histogram outcome) {

    long field(String key) {
      return Long.parseLong(done.getOrDefault(key, "0"));
    }

    String ms(String key) {
      return done.containsKey(key) ? Report.ms(field(key)) : "-";
    }
  }

  /** Publishes one open-loop row of {@code messages} at {@code rate} and collects what it saw. */
  private LatencyRow openLoopRow(Mode m, int n, int messages, double rate)
      throws IOException, InterruptedException {
    ensure(m, n);
    String g = clientGroup(m, n);
    rig.fanClient.command("run " + g + " ts", Rig.REPLY);
    rig.publisher.takeFailures();
    rig.publisher.takeOutcomeLatency();
    long cpu0 = Rig.cpuNanos();
    long[] gc0 = gc();
    String restore = options.publisherCpu.isEmpty() ? null : pinThisThread(options.publisherCpu);
    try {
      rig.publisher.openLoop(m, thread(n), messages, 200, rate);
    } finally {
      if (restore != null) {
        pinThisThread(restore);
      }
    }
    rig.fanClient.command("stop " + g + " " + messages + " 120000", Rig.REPLY);
    Map<String, String> done = rig.fanClient.awaitDone(Rig.REPLY);
    long cpu = Rig.cpuNanos() - cpu0;
    long[] gc1 = gc();
    if (m == Mode.THREADWIRE) {
      Publisher.await(() -> rig.publisher.pendingOutcomes() == 0, 10_000);
    }
    return new LatencyRow(
        done,
        cpu,
        gc1[0] - gc0[0],
        gc1[1] - gc0[1],
        rig.publisher.wakeLateness(),
        rig.publisher.sendReturned(),
        rig.publisher.takeOutcomeLatency());
  }

  /** Returns the collections so far and their accumulated time in milliseconds, all collectors. */
  private static long[] gc() {
    long count = 0;
    long millis = 0;
    for (java.lang.management.GarbageCollectorMXBean b :
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, b.getCollectionCount());
      millis += Math.max(0, b.getCollectionTime());
    }
    return new long[] {count, millis};
  }

  /**
   * Open-loop latency at {@link Options#latencyLoads} (10% and 50%) of each server's measured
   * maximum, N = 1,000, 200 B: message i is due at start + i / rate and carries that intended time,
   * and the client measures receipt minus intended time for every frame, so a stall counts against
   * every message due during it. Each row follows a discarded warm-up row at the same rate.
   */
  private void latency() throws IOException, InterruptedException {
    List<String[]> rows = new ArrayList<>();
    int n = LATENCY_N;
    double nettyMax = maximum(Mode.NETTY, n);
    double bound = 1.5 * n * (1e9 / nettyMax) + 1e6;
    for (double load : options.latencyLoads) {
      for (Mode m : new Mode[] {Mode.THREADWIRE, Mode.NETTY}) {
        if (!options.modes.contains(m)) {
          continue;
        }
        double rate = load * maximum(m, n) / n;
        int messages = (int) Math.max(50, rate * options.latencySeconds);
        // Warm-up at the same rate, discarded: the open-loop path compiled, the queues settled.
        openLoopRow(m, n, (int) Math.max(20, rate * options.warmupSeconds), rate);
        LatencyRow r = openLoopRow(m, n, messages, rate);
        Map<String, String> done = r.done();
        long received = r.field("received");
        long reads = r.field("reads");
        System.err.printf(
            "latency breakdown %s at %.0f%%: server CPU %.0f ns/delivery (%.2f cores), %.1f"
                + " frames per client read, %d collections %d ms; (ms, from the intended send time): publisher awake"
                + " p50 %.3f p99 %.3f; send returned p50 %.3f p99 %.3f; outcome p50 %.3f p99 %.3f;"
                + " client: socket arrival of all frames p50 %s p99 %s p99.9 %s; per message first"
                + " arrival p50 %s p99 %s, last arrival p50 %s p99 %s, first receipt p50 %s p99"
                + " %s, last receipt p50 %s p99 %s; first arrival min %s; fan-out spread (last"
                + " - first arrival) min %s p10 %s p50 %s p99 %s%n",
            m,
            load * 100,
            (double) r.cpuNanos() / Math.max(1, received),
            r.cpuNanos() / (messages / rate * 1e9),
            (double) received / Math.max(1, reads),
            r.gcCount(),
            r.gcMillis(),
            r.wake().getValueAtPercentile(50) / 1e6,
            r.wake().getValueAtPercentile(99) / 1e6,
            r.handed().getValueAtPercentile(50) / 1e6,
            r.handed().getValueAtPercentile(99) / 1e6,
            r.outcome().getValueAtPercentile(50) / 1e6,
            r.outcome().getValueAtPercentile(99) / 1e6,
            r.ms("k50"),
            r.ms("k99"),
            r.ms("k999"),
            r.ms("fk50"),
            r.ms("fk99"),
            r.ms("lk50"),
            r.ms("lk99"),
            r.ms("fr50"),
            r.ms("fr99"),
            r.ms("lr50"),
            r.ms("lr99"),
            r.ms("fkmin"),
            r.ms("sk0"),
            r.ms("sk10"),
            r.ms("sk50"),
            r.ms("sk99"));
        double p99 = Double.parseDouble(done.get("p99"));
        long lost = r.field("lost");
        long reordered = r.field("reordered");
        rows.add(
            new String[] {
              m.name().toLowerCase(java.util.Locale.ROOT),
              Math.round(load * 100) + "% of its max",
              Report.f1(rate),
              Integer.toString(messages),
              Report.ms(Double.parseDouble(done.get("p50"))),
              Report.ms(p99),
              Report.ms(Double.parseDouble(done.get("p999"))),
              Report.ms(Double.parseDouble(done.get("max"))),
              r.ms("fk50") + " / " + r.ms("fk99"),
              r.ms("lk50") + " / " + r.ms("lk99"),
              r.ms("sk0") + " / " + r.ms("sk50"),
              Report.f0((double) r.cpuNanos() / Math.max(1, received)),
              Report.f1((double) received / Math.max(1, reads)),
              r.gcCount() + " / " + r.gcMillis() + " ms",
              lost + " / " + reordered
            });
        System.err.printf(
            "latency %s N=%d at %.0f%%: %.1f msgs/s p50 %.3f p99 %.3f p99.9 %.3f ms%n",
            m,
            n,
            load * 100,
            rate,
            Double.parseDouble(done.get("p50")) / 1e6,
            p99 / 1e6,
            Double.parseDouble(done.get("p999")) / 1e6);
        if (m == Mode.THREADWIRE && load == 0.5) {
          report.target(
              "p99 at 50% load, N=1,000 <= 1.5 x N / netty deliveries/s + 1 ms ("
                  + Report.ms(bound)
                  + ")",
              Report.ms(p99),
              p99 <= bound);
        }
        report.target(
            "latency " + m + " at " + Math.round(load * 100) + "%: zero lost or reordered",
            lost + " lost, " + reordered + " reordered",
            lost == 0 && reordered == 0);
      }
    }
    String floor = writeFloor(n);
    report.section(
        "Latency at fixed loads",
        "Same pinned setup ("
            + ClientProcess.pinning()
            + "), N = 1,000, 200 B payloads, open loop for "
            + options.latencySeconds
            + " s per row, after a discarded warm-up row of "
            + options.warmupSeconds
            + " s at the same rate, at "
            + loads()
            + " of each server's "
            + (options.latencyMax.length == 2
                ? "maximum as given with --latency-max ("
                    + Report.f0(options.latencyMax[0])
                    + " / "
                    + Report.f0(options.latencyMax[1])
                    + " deliveries/s)"
                : "median maximum measured above")
            + ". Each message carries its intended send time (System.nanoTime = CLOCK_MONOTONIC,"
            + " read by the C client as well); latency = receipt - intended time, for every frame"
            + " of every recipient (no coordinated omission), log-linear histogram with 1/64"
            + " relative precision. p99 bound = 1.5 x N x (1 / netty deliveries/s) + 1 ms = "
            + Report.ms(bound)
            + ". Where the time goes: the client also reads each socket's kernel receive"
            + " timestamp (SO_TIMESTAMPNS; on loopback, taken inside the server's write call), so"
            + " per message \"first copy\" = the first of its 1,000 copies to reach a client"
            + " socket - intended time (publisher wake-up, hub, flusher wake-up, first write),"
            + " \"last copy\" = the last one's (the whole fan-out written), spread = last - first;"
            + " server CPU per delivery = the server process's CPU time over the row / frames;"
            + " frames/read = frames per client read (1 = no batching); GCs / time = the"
            + " server JVM's collections during the row and their total time"
            + " (GarbageCollectorMXBean)."
            + floor);
    report.table(
        new String[] {
          "server",
          "load",
          "msgs/s",
          "msgs",
          "p50",
          "p99",
          "p99.9",
          "max",
          "first copy p50 / p99",
          "last copy p50 / p99",
          "spread min / p50",
          "server ns CPU/delivery",
          "frames/read",
          "GCs / time",
          "lost / reordered"
        },
        rows);
  }

  private String loads() {
    List<String> out = new ArrayList<>();
    for (double l : options.latencyLoads) {
      out.add(Math.round(l * 100) + "%");
    }
    return String.join(" and ", out);
  }

  /**
   * Runs {@code src/main/c/writefloor.c} (built by run.sh; path in {@code -Dbench.writefloor}): one
   * write of one message frame to each of {@code n} loopback connections, writer on the server's
   * core, reader on the client's, 200 isolated rounds; returns a sentence for the report, or an
   * empty string if the tool is not there.
   */
  private static String writeFloor(int n) throws IOException, InterruptedException {
    String binary = System.getProperty("bench.writefloor", "benchmarks/target/writefloor");
    if (!java.nio.file.Files.isExecutable(java.nio.file.Path.of(binary))) {
      return "";
    }
    int frameBytes =
        io.threadwire.tyrus.BenchAccess.messageFrame(
                    thread(n), 1, "m1", Publisher.payload(1, System.nanoTime(), 200))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                .length
            + 4;
    String serverCpu = ClientProcess.SERVER_CPU.isEmpty() ? "-1" : ClientProcess.SERVER_CPU;
    String clientCpu = ClientProcess.CLIENT_CPU.isEmpty() ? "-1" : ClientProcess.CLIENT_CPU;
    Process p =
        new ProcessBuilder(
                binary,
                Integer.toString(n),
                Integer.toString(frameBytes),
                "200",
                "5000",
                serverCpu,
                clientCpu)
            .redirectErrorStream(true)
            .start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      System.err.println("writefloor failed: " + out);
      return "";
    }
    System.err.print(out);
    String wall = null;
    String cpu = null;
    for (String line : out.split("\n")) {
      if (line.startsWith("round wall ms:")) {
        wall = line.substring("round wall ms:".length()).trim();
      } else if (line.startsWith("round cpu  ms:")) {
        cpu = line.substring("round cpu  ms:".length()).trim();
      }
    }
    return " The floor under any server here (src/main/c/writefloor.c, no JVM): one write of one "
        + frameBytes
        + " B frame to each of "
        + Report.f0(n)
        + " loopback TCP connections from the server's core, the reader on the client's, 200"
        + " isolated rounds, takes (ms per round) wall "
        + wall
        + ", writer CPU "
        + cpu
        + "; on loopback the writer's core also runs the receive side of TCP. With one write per"
        + " recipient, a message's last copy leaves at least that long after its first.";
  }
}
