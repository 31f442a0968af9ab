package io.threadwire.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The one table of figures a run prints: Markdown, so it can be committed as RESULTS.md. */
final class Report {

  private final StringBuilder out = new StringBuilder();
  private final List<String[]> targets = new ArrayList<>();

  /** Starts the report with the date, the machine and the JDK. */
  void header(String title) {
    out.append("# ").append(title).append("\n\n");
    out.append("Run on ").append(LocalDate.now()).append(".\n\n");
    table(
        new String[] {"machine", ""},
        List.of(
            new String[] {"CPU", cpuModel() + ", " + Runtime.getRuntime().availableProcessors()},
            new String[] {"memory", memTotal()},
            new String[] {
              "OS", System.getProperty("os.name") + " " + System.getProperty("os.version")
            },
            new String[] {
              "JDK",
              System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
            }));
  }

  /** Adds a section heading and a sentence or two of method. */
  void section(String title, String method) {
    out.append("## ").append(title).append("\n\n").append(method).append("\n\n");
  }

  /** Adds a Markdown table. */
  void table(String[] header, List<String[]> rows) {
    out.append("| ").append(String.join(" | ", header)).append(" |\n|");
    for (int i = 0; i < header.length; i++) {
      out.append("---|");
    }
    out.append('\n');
    for (String[] row : rows) {
      out.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    out.append('\n');
  }

  /** Adds a free paragraph. */
  void note(String text) {
    out.append(text).append("\n\n");
  }

  /** Records a target, its measured value and whether it was met, for the summary table. */
  void target(String target, String measured, boolean met) {
    targets.add(new String[] {target, measured, met ? "met" : "**missed**"});
  }

  /** Returns the whole report, the targets summary last. */
  String render() {
    StringBuilder all = new StringBuilder(out);
    all.append("## Targets\n\n| target | measured | |\n|---|---|---|\n");
    for (String[] t : targets) {
      all.append("| ").append(String.join(" | ", t)).append(" |\n");
    }
    return all.toString();
  }

  void write(Path file) throws IOException {
    Files.writeString(file, render(), StandardCharsets.UTF_8);
  }

  static String f0(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  static String f1(double v) {
    return String.format(Locale.ROOT, "%,.1f", v);
  }

  static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** Formats nanoseconds as milliseconds with three decimals. */
  static String ms(double nanos) {
    return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException | RuntimeException e) {
      return "unknown CPU";
    }
  }

  private static String memTotal() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
      return lines
          .filter(l -> l.startsWith("MemTotal"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
