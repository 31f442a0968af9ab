package io.threadwire.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Runs {@link Main} as a person does, in its own JVM, configured through the environment. */
@DisplayName("Main, run in its own JVM")
class MainProcessTest {

  @Test
  @DisplayName("prints the URLs, serves them, and stops cleanly on SIGTERM (as on Ctrl-C)")
  void runsAndStops() throws Exception {
    Path err = Files.createTempFile("threadwire-main-", ".err");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName())
            .redirectError(err.toFile());
    // The environment variables application.conf names: free ports, the default transport.
    pb.environment().put("THREADWIRE_HTTP_PORT", "0");
    pb.environment().put("THREADWIRE_WS_PORT", "0");
    Process process = pb.start();
    List<String> out = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> readLines(process, out), "main-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> out.stream().anyMatch(l -> l.contains("health")) || !process.isAlive());
      String page = urlAfter(out, "demo page");
      assertThat(page).startsWith("http://127.0.0.1:").endsWith("/");
      assertThat(out).anyMatch(l -> l.contains("POST " + page + "api/threads/{thread}/messages"));
      assertThat(urlAfter(out, "live clients")).startsWith("ws://127.0.0.1:").endsWith("/threads");

      HttpResponse<String> ready =
          TestApps.CLIENT.send(
              HttpRequest.newBuilder(URI.create(page + "health/ready")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);

      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
      assertThat(Files.readString(err)).contains("INFO ExampleApp - stopped");
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(err);
    }
  }

  @Test
  @DisplayName(
      "run as exec:exec runs it, it exits when its parent (the Maven JVM) is killed, freeing its"
          + " port")
  void exitsWithItsParent() throws Exception {
    // A shell stands in for Maven's JVM: it starts the app as exec:exec does (the pom passes
    // -Dthreadwire.examples.exit-with-parent=true) and is then killed with SIGKILL, which no
    // shutdown hook of the parent survives.
    Path err = Files.createTempFile("threadwire-main-", ".err");
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash",
                "-c",
                "\"$0\" \"$@\" & echo \"child $!\"; wait",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dthreadwire.examples.exit-with-parent=true",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName())
            .redirectError(err.toFile());
    pb.environment().put("THREADWIRE_HTTP_PORT", "0");
    pb.environment().put("THREADWIRE_WS_PORT", "0");
    Process parent = pb.start();
    List<String> out = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> readLines(parent, out), "main-stdout");
    reader.setDaemon(true);
    reader.start();
    ProcessHandle app = null;
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> out.stream().anyMatch(l -> l.contains("health")) || !parent.isAlive());
      long pid =
          Long.parseLong(
              out.stream()
                  .filter(l -> l.startsWith("child "))
                  .findFirst()
                  .orElseThrow()
                  .substring(6)
                  .trim());
      app = ProcessHandle.of(pid).orElseThrow();
      URI page = URI.create(urlAfter(out, "demo page"));
      assertThat(app.isAlive()).isTrue();

      parent.destroyForcibly();
      assertThat(parent.waitFor(30, TimeUnit.SECONDS)).isTrue();

      ProcessHandle running = app;
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(running.isAlive()).as("the app JVM").isFalse());
      assertThatThrownBy(
              () -> new java.net.Socket(page.getHost(), page.getPort()).close(), "port released")
          .isInstanceOf(java.net.ConnectException.class);
    } finally {
      parent.destroyForcibly();
      if (app != null) {
        app.destroyForcibly();
      }
      Files.deleteIfExists(err);
    }
  }

  private static String urlAfter(List<String> lines, String label) {
    return lines.stream()
        .filter(l -> l.trim().startsWith(label))
        .map(l -> l.trim().substring(label.length()).trim())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no '" + label + "' line in " + lines));
  }

  private static void readLines(Process process, List<String> out) {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        out.add(line);
      }
    } catch (IOException e) {
      // the process ended
    }
  }
}
