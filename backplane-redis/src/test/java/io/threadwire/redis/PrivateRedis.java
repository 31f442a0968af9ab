package io.threadwire.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * A {@code redis-server} of the test's own on a free loopback port, without persistence ({@code
 * --save "" --appendonly no}), so a test may stop and restart it, or kill its clients, without
 * touching the shared Redis. Stopped by its own process handle.
 */
final class PrivateRedis implements AutoCloseable {

  final int port;
  private Process process;

  private PrivateRedis(int port) {
    this.port = port;
  }

  static PrivateRedis start() {
    PrivateRedis r = new PrivateRedis(freePort());
    r.startServer();
    return r;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  void startServer() {
    try {
      process =
          new ProcessBuilder(
                  "redis-server",
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "no")
              .redirectErrorStream(true)
              .redirectOutput(new File("target/private-redis-" + port + ".log"))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis-server (is it on PATH?)", e);
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> "PONG".equals(command(c -> c.sync().ping())));
  }

  /** Stops the server abruptly (SIGKILL of its own pid): nothing is saved. */
  void stopServer() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  <T> T command(java.util.function.Function<StatefulRedisConnection<String, String>, T> f) {
    RedisClient c = RedisClient.create(uri());
    try (StatefulRedisConnection<String, String> conn = c.connect()) {
      return f.apply(conn);
    } finally {
      c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      stopServer();
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
