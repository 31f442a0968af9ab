package io.threadwire.benchmarks.load;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The load client, {@link LoadClient}, in a process of its own, driven line by line over its
 * standard input and output. The client shares the machine's two cores with the server, which is
 * why it is a lean NIO client and not a WebSocket library per connection.
 */
final class ClientProcess implements AutoCloseable {

  private final Process process;
  private final BufferedWriter in;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private ClientProcess(Process process) {
    this.process = process;
    this.in =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("err client output: " + e);
              }
              lines.add("err client exited");
            },
            "load-client-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * The core the load clients are pinned to ({@code -Dbench.clientCpu}, set by run.sh), or empty
   * when run unpinned.
   */
  static final String CLIENT_CPU = System.getProperty("bench.clientCpu", "");

  /** The core this server JVM was pinned to by run.sh, or empty. */
  static final String SERVER_CPU = System.getProperty("bench.serverCpu", "");

  /** Returns how the processes are pinned, for the report. */
  static String pinning() {
    return CLIENT_CPU.isEmpty()
        ? "**unpinned** (no taskset or fewer than 2 cores): client and server share the cores"
        : "server JVM pinned to CPU "
            + SERVER_CPU
            + " and the load client to CPU "
            + CLIENT_CPU
            + " with taskset";
  }

  private static List<String> pinned() {
    List<String> cmd = new ArrayList<>();
    if (!CLIENT_CPU.isEmpty()) {
      cmd.add("taskset");
      cmd.add("-c");
      cmd.add(CLIENT_CPU);
    }
    return cmd;
  }

  /**
   * Starts the C epoll fan-out client ({@code src/main/c/fanclient.c}, built by run.sh; path in
   * {@code -Dbench.fanclient}), pinned to the client core.
   */
  static ClientProcess startFanClient() throws IOException {
    String binary = System.getProperty("bench.fanclient", "benchmarks/target/fanclient");
    if (!java.nio.file.Files.isExecutable(Path.of(binary))) {
      throw new IOException("no fan-out client at " + binary + "; run through benchmarks/run.sh");
    }
    List<String> cmd = pinned();
    cmd.add(binary);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    return new ClientProcess(pb.start());
  }

  /** Starts a client against {@code ws://host:port/path} on this JVM's class path. */
  static ClientProcess start(String host, int port, String path) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = pinned();
    cmd.add(java);
    cmd.add("-Xms512m");
    cmd.add("-Xmx1g");
    cmd.add("-XX:+UseParallelGC");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(LoadClient.class.getName());
    cmd.add(host);
    cmd.add(Integer.toString(port));
    cmd.add(path);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    return new ClientProcess(pb.start());
  }

  /** Sends one command and returns its reply, which must start with {@code ok}. */
  String command(String line, Duration timeout) throws IOException, InterruptedException {
    in.write(line);
    in.newLine();
    in.flush();
    String reply = next(timeout);
    if (!reply.startsWith("ok")) {
      throw new IOException("client refused '" + line + "': " + reply);
    }
    return reply;
  }

  /** Waits for the {@code done} line of a {@code run}, parsed into its fields. */
  Map<String, String> awaitDone(Duration timeout) throws IOException, InterruptedException {
    String line = next(timeout);
    if (!line.startsWith("done")) {
      throw new IOException("expected a done line, got: " + line);
    }
    return fields(line);
  }

  private String next(Duration timeout) throws IOException, InterruptedException {
    String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new IOException("the load client did not answer within " + timeout);
    }
    return line;
  }

  /** Parses the {@code key=value} words of a reply line. */
  static Map<String, String> fields(String line) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String word : line.split(" ")) {
      int eq = word.indexOf('=');
      if (eq > 0) {
        out.put(word.substring(0, eq), word.substring(eq + 1));
      }
    }
    return out;
  }

  @Override
  public void close() {
    try {
      in.write("quit");
      in.newLine();
      in.flush();
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
