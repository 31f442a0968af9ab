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
      if (options.runs("fanout")) {
        FanOutPhase fan = new FanOutPhase(rig, options, report);
        fan.connect();
        fan.run();
        if (options.runs("latency")) {
          fan.latency();
        }
        if (options.runs("slow")) {
          SlowConsumerPhase.run(rig, options, report, fan);
        }
        for (int n : FanOutPhase.SIZES) {
          rig.client.command("close " + FanOutPhase.group(n), Rig.REPLY);
        }
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
