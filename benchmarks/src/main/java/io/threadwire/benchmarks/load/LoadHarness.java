package io.threadwire.benchmarks.load;

/**
 * Runs every benchmark behind Threadwire's performance claims and prints one Markdown report: the
 * machine, the JDK, each figure, each ratio and each target met or missed. Run it through {@code
 * benchmarks/run.sh}; {@code --quick} for a short smoke run, {@code --no-jmh} to skip JMH.
 */
public final class LoadHarness {

  private LoadHarness() {}

  /** Runs the benchmarks; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Report report = new Report();
    report.header("Threadwire benchmark results" + (options.quick ? " (quick run)" : ""));
    long start = System.nanoTime();
    if (options.jmh) {
      JmhPhase.run(options, report);
    }
    try (Rig rig = Rig.start()) {
      double max = Double.NaN;
      if (options.runs("fanout")) {
        FanOutPhase fan = new FanOutPhase(rig, options, report);
        fan.run(); // and latency, at N = 1,000, if it is to run
        max =
            fan.perSecond(
                Publisher.Mode.THREADWIRE, SlowConsumerPhase.N, SlowConsumerPhase.PAYLOAD);
      }
      if (options.runs("slow")) {
        SlowConsumerPhase.run(rig, options, report, max);
      }
      if (options.runs("replay")) {
        ReplayPhase.run(rig, options, report);
      }
      if (options.runs("memory")) {
        MemoryPhase.run(options, report);
      }
    }
    report.note(
        String.format(
            java.util.Locale.ROOT, "Whole run: %.1f minutes.", (System.nanoTime() - start) / 60e9));
    String text = report.render();
    System.out.println(text);
    java.nio.file.Files.createDirectories(options.out.toAbsolutePath().getParent());
    report.write(options.out);
    System.err.println("report written to " + options.out.toAbsolutePath());
  }
}
