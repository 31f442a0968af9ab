package io.threadwire.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Proves that {@code TESTING=1} changes nothing: the outage scenario runs in fresh JVMs with and
 * without the variable and must end the same way, ready, with "nobody joins the probe thread".
 */
@DisplayName("TESTING=1 changes nothing")
class TestingFlagIndependenceTest {

  @Test
  @DisplayName("the outage scenario ends the same, ready, with TESTING=1 set and with it unset")
  void sameWithAndWithoutTesting() throws Exception {
    Forked unset = fork(env -> env.remove("TESTING"), "config", fullClassPath(), "info");
    Forked set = fork(env -> env.put("TESTING", "1"), "config", fullClassPath(), "info");

    for (Forked run : List.of(unset, set)) {
      assertThat(run.exit).as(run.describe()).isZero();
      assertThat(run.result())
          .as(run.describe())
          .isEqualTo(
              "RESULT status=READY messaging=READY attempts=1"
                  + " reason=messaging accepted the probe (nobody joins the probe thread; client connections elsewhere are not counted)");
      // On success: exactly one INFO line, the one-line summary; no report lines at INFO.
      assertThat(run.stderrLines(" INFO io.threadwire.startup."))
          .as(run.describe())
          .singleElement()
          .asString()
          .contains("Threadwire startup READY in ")
          .contains(
              "1 check ready (messaging: messaging accepted the probe (nobody joins the probe thread; client connections elsewhere are not counted))");
      assertThat(run.stderrLines("DEBUG")).as(run.describe()).isEmpty();
    }
    assertThat(unset.stdout).contains("ENV TESTING=null");
    assertThat(set.stdout).contains("ENV TESTING=1");
    assertThat(set.result()).isEqualTo(unset.result());
  }

  @Test
  @DisplayName(
      "runs without the optional Typesafe Config and Guice jars, and logs the full report at DEBUG")
  void withoutOptionalDependencies() throws Exception {
    List<String> minimal =
        fullClassPath().stream()
            .filter(e -> !Path.of(e).getFileName().toString().matches("(config|guice)-.*\\.jar"))
            .toList();
    assertThat(minimal).hasSizeLessThan(fullClassPath().size());

    Forked run = fork(env -> env.put("TESTING", "1"), "plain", minimal, "debug");

    assertThat(run.exit).as(run.describe()).isZero();
    assertThat(run.result()).as(run.describe()).startsWith("RESULT status=READY messaging=READY");
    assertThat(run.stderr)
        .as(run.describe())
        .contains("DEBUG io.threadwire.startup.StartupSequence - Threadwire readiness report:")
        .contains("  1. messaging READY in ");
  }

  interface EnvChange {
    void apply(Map<String, String> env);
  }

  record Forked(int exit, String stdout, String stderr) {
    String result() {
      return stdout.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse("no RESULT");
    }

    List<String> stderrLines(String marker) {
      return stderr.lines().filter(l -> l.contains(marker)).toList();
    }

    String describe() {
      return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  static Forked fork(EnvChange env, String mode, List<String> classPath, String logLevel)
      throws IOException, InterruptedException, ExecutionException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=" + logLevel);
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classPath));
    command.add(OutageScenarioMain.class.getName());
    command.add(mode);
    ProcessBuilder pb = new ProcessBuilder(command);
    env.apply(pb.environment());
    Process p = pb.start();
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    // A guard against a hung child, far above what the scenario needs; not a speed assertion.
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the forked JVM did not end within 120s: " + command);
    }
    return new Forked(p.exitValue(), out.get(), err.get());
  }

  private static CompletableFuture<String> drain(InputStream in) {
    CompletableFuture<String> text = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                text.completeExceptionally(e);
              }
            },
            "fork-drain");
    t.setDaemon(true);
    t.start();
    return text;
  }

  /**
   * Returns the test class path as entries. Surefire may hand the JVM a manifest-only jar; it also
   * publishes the real class path, which is preferred.
   */
  static List<String> fullClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    return Arrays.stream(cp.split(File.pathSeparator))
        .filter(e -> !e.isBlank())
        .collect(Collectors.toList());
  }
}
