package io.threadwire.examples;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.threadwire.startup.StartupFailedException;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the example: loads {@code application.conf} (overridable with {@code -D} system properties
 * and the environment variables it names), starts the app, prints its URLs and runs until Ctrl-C.
 */
public final class Main {

  private Main() {}

  /** Starts the example application and blocks until the JVM is asked to stop. */
  public static void main(String[] args) throws InterruptedException {
    ExampleModule.enableNoDelay(); // before any HttpServer class reads it
    Config config = ConfigFactory.load();
    ExampleApp app;
    try {
      app = ExampleApp.start(config);
    } catch (ConfigException e) {
      System.err.println("invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    } catch (StartupFailedException e) {
      System.err.println(e.getMessage());
      System.exit(1);
      return;
    } catch (UncheckedIOException | IllegalStateException e) {
      // Most often a port in use: say which, and how to pick another.
      System.err.println("could not start: " + describe(e));
      System.err.println(
          "another port? THREADWIRE_HTTP_PORT=9090 THREADWIRE_WS_PORT=9025 (0 = any free port)");
      System.exit(1);
      return;
    }
    if (config.getBoolean(ExampleSettings.PATH + ".exit-with-parent")) {
      exitWithParent();
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  stopped.countDown();
                },
                "threadwire-examples-shutdown"));
    String base = app.pageUri().toString();
    System.out.println();
    System.out.println("Threadwire example is running. Ctrl-C stops it.");
    System.out.println("  demo page     " + base);
    System.out.println("  send          POST " + base + "api/threads/{thread}/messages");
    System.out.println("  agent run     POST " + base + "api/threads/{thread}/agent-runs");
    System.out.println("  live clients  " + app.liveEndpoint());
    System.out.println("  health        " + base + "health/ready  " + base + "health/live");
    System.out.println("  metrics       " + base + "metrics (Prometheus text)");
    System.out.println();
    stopped.await();
  }

  /**
   * Stops the JVM (shutdown hook included) when the process that started it ends. Under {@code mvn
   * exec:exec} that is Maven's JVM, which does not stop its child when it is itself stopped (kill,
   * an IDE's stop button, a CI timeout): without this the app would go on serving, orphaned.
   */
  private static void exitWithParent() {
    ProcessHandle.current()
        .parent()
        .ifPresent(
            parent ->
                parent
                    .onExit()
                    .thenRun(
                        () -> {
                          System.err.println(
                              "the process that started this one ("
                                  + parent.pid()
                                  + ") has ended: stopping");
                          System.exit(0);
                        }));
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
        sb.append(": ").append(c.getMessage());
      }
    }
    return sb.toString();
  }
}
