package io.threadwire.benchmarks.load;

import io.threadwire.benchmarks.ChurnSendBenchmark;
import io.threadwire.benchmarks.CoreSendBenchmark;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The core send path under JMH with the GC profiler, against its baseline in the same run. */
final class JmhPhase {

  private JmhPhase() {}

  static void run(Options options, Report report) throws RunnerException {
    ChainedOptionsBuilder b =
        new OptionsBuilder()
            .include(CoreSendBenchmark.class.getName())
            .include(ChurnSendBenchmark.class.getName())
            .addProfiler(GCProfiler.class)
            .forks(1)
            .jvmArgs("-Xms1g", "-Xmx1g");
    if (options.quick) {
      b.warmupIterations(1)
          .warmupTime(TimeValue.seconds(1))
          .measurementIterations(2)
          .measurementTime(TimeValue.seconds(1));
    }
    Collection<RunResult> results = new Runner(b.build()).run();
    Map<String, double[]> core = new TreeMap<>((x, y) -> Integer.parseInt(x) - Integer.parseInt(y));
    List<String[]> churn = new ArrayList<>();
    for (RunResult r : results) {
      String bench = r.getParams().getBenchmark();
      String n = r.getParams().getParam("recipients");
      double score = r.getPrimaryResult().getScore();
      double alloc = alloc(r);
      if (bench.endsWith("threadwireSend")) {
        core.computeIfAbsent(n, k -> new double[4])[0] = score;
        core.get(n)[1] = alloc;
      } else if (bench.endsWith("baseline")) {
        core.computeIfAbsent(n, k -> new double[4])[2] = score;
        core.get(n)[3] = alloc;
      } else if (bench.contains("ChurnSendBenchmark")) {
        Result<?> send = r.getSecondaryResults().get("send");
        Result<?> joinLeave = r.getSecondaryResults().get("joinLeave");
        churn.add(
            new String[] {
              n,
              send == null ? "-" : Report.f1(send.getScore()) + " ns",
              joinLeave == null ? "-" : Report.f1(joinLeave.getScore()) + " ns",
              Report.f0(alloc) + " B"
            });
      }
    }
    List<String[]> rows = new ArrayList<>();
    double minAlloc = Double.MAX_VALUE;
    double maxAlloc = 0;
    for (Map.Entry<String, double[]> e : core.entrySet()) {
      double[] v = e.getValue();
      int n = Integer.parseInt(e.getKey());
      rows.add(
          new String[] {
            e.getKey(),
            Report.f1(v[0]) + " ns",
            Report.f1(v[2]) + " ns",
            Report.f2(v[0] / v[2]),
            Report.f0(v[1]) + " B",
            Report.f0(v[3]) + " B"
          });
      minAlloc = Math.min(minAlloc, v[1]);
      maxAlloc = Math.max(maxAlloc, v[1]);
      if (n >= 1000) {
        report.target(
            "core path N=" + n + ": <= 1.5x baseline ns/op",
            Report.f2(v[0] / v[2]) + "x",
            v[0] <= 1.5 * v[2]);
      }
    }
    report.target(
        "core path: <= 64 B/op beyond the message (the benchmark reuses one message, so every"
            + " byte counted is beyond it)",
        Report.f0(maxAlloc) + " B/op",
        maxAlloc <= 64);
    report.target(
        "core path: allocation per send independent of N (spread <= 64 B/op)",
        Report.f0(minAlloc) + " to " + Report.f0(maxAlloc) + " B/op",
        maxAlloc - minAlloc <= 64);
    report.section(
        "Core send path (JMH)",
        "`CoreSendBenchmark`: `threadwireSend` sends one prepared message through `ThreadHub` to"
            + " N connections that acknowledge at once (history on, outcome built); `baseline` is a"
            + " ConcurrentHashMap lookup and a loop handing one shared frame to N sinks. Average"
            + " time, 1 fork, `-prof gc`.");
    report.table(
        new String[] {
          "N", "threadwire ns/op", "baseline ns/op", "ratio", "threadwire B/op", "baseline B/op"
        },
        rows);
    report.note(
        "`ChurnSendBenchmark`: one thread sends to N connections while another joins and leaves"
            + " the same thread.");
    report.table(new String[] {"N", "send", "join+leave", "B/op (group)"}, churn);
  }

  @SuppressWarnings("rawtypes") // JMH's getSecondaryResults() is a map of raw Results
  private static double alloc(RunResult r) {
    for (var e : r.getSecondaryResults().entrySet()) {
      if (e.getKey().endsWith("gc.alloc.rate.norm")) {
        return e.getValue().getScore();
      }
    }
    return Double.NaN;
  }
}
