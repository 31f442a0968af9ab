package io.threadwire.benchmarks.load;

import java.nio.file.Path;

/** Command-line options of {@link LoadHarness}. */
final class Options {

  boolean jmh = true;
  String only = "fanout,latency,slow,replay,memory";
  boolean quick;
  int repetitions = 3;
  double runSeconds = 3.0;
  double warmupSeconds = 1.5;
  int latencySeconds = 5;

  /**
   * The deliveries/s the latency phase takes as each server's maximum (threadwire, netty) instead
   * of the ones just measured; empty to use the measured ones. For A/B runs at fixed rates on a
   * noisy machine, where the measured maximum moves from run to run.
   */
  double[] latencyMax = {};

  /**
   * The CPU list (taskset syntax) the open-loop publisher thread is moved to for the latency phase;
   * empty to leave it with the rest of the server JVM.
   */
  String publisherCpu = "";

  /** The loads of the latency phase, as fractions of each server's maximum. */
  double[] latencyLoads = {0.1, 0.5};

  int slowSeconds = 20;
  int memoryConnections = 10_000;
  int replayMessages = 10_000;
  Path out = Path.of("benchmarks/target/RESULTS.md");
  int[] sizes = {100, 1_000, 10_000};
  int[] payloads = {200, 2_048};
  java.util.EnumSet<Publisher.Mode> modes = java.util.EnumSet.allOf(Publisher.Mode.class);

  static Options parse(String[] args) {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--no-jmh" -> o.jmh = false;
        case "--quick" -> {
          o.quick = true;
          o.repetitions = 1;
          o.runSeconds = 1.0;
          o.warmupSeconds = 0.5;
          o.latencySeconds = 2;
          o.slowSeconds = 6;
          o.memoryConnections = 2_000;
        }
        case "--repetitions" -> o.repetitions = Integer.parseInt(args[++i]);
        case "--run-seconds" -> o.runSeconds = Double.parseDouble(args[++i]);
        case "--out" -> o.out = Path.of(args[++i]);
        case "--only" -> o.only = args[++i];
        case "--sizes" -> o.sizes = ints(args[++i]);
        case "--latency-max" ->
            o.latencyMax =
                java.util.Arrays.stream(args[++i].split(","))
                    .mapToDouble(v -> Double.parseDouble(v.trim()))
                    .toArray();
        case "--latency-loads" ->
            o.latencyLoads =
                java.util.Arrays.stream(args[++i].split(","))
                    .mapToDouble(v -> Double.parseDouble(v.trim()))
                    .toArray();
        case "--publisher-cpu" -> o.publisherCpu = args[++i];
        case "--latency-seconds" -> o.latencySeconds = Integer.parseInt(args[++i]);
        case "--payloads" -> o.payloads = ints(args[++i]);
        case "--modes" -> {
          o.modes = java.util.EnumSet.noneOf(Publisher.Mode.class);
          for (String m : args[++i].split(",")) {
            o.modes.add(Publisher.Mode.valueOf(m.trim().toUpperCase(java.util.Locale.ROOT)));
          }
        }
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; known: --no-jmh, --quick, --repetitions N, --run-seconds S, --out FILE, --sizes 100,1000, --payloads 200,2048, --modes threadwire,netty,naive, --latency-max TW,NETTY (deliveries/s), --latency-seconds S, --latency-loads 0.1,0.5, --publisher-cpu CPUS, --only PHASES (comma-separated of "
                    + "fanout,latency,slow,replay,memory; latency and slow need fanout)");
      }
    }
    return o;
  }

  private static int[] ints(String list) {
    return java.util.Arrays.stream(list.split(","))
        .map(String::trim)
        .mapToInt(Integer::parseInt)
        .toArray();
  }

  /** Returns true if {@code phase} is to run. */
  boolean runs(String phase) {
    return java.util.Arrays.asList(only.split(",")).contains(phase);
  }
}
