package io.threadwire.tyrus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("socket")
@DisplayName("Paused readers under a small heap are cut by the global outbound budget, no OOM")
class OutboundBudgetTest {

  private static final Pattern STATS =
      Pattern.compile(
          "stats queued=(\\d+) budget=(\\d+) sum=(\\d+) slow=(\\d+) budgetCuts=(\\d+)"
              + " connections=(\\d+) tooBig=(\\d+) oom=(\\w+)");
  private static final int READERS = 48;

  private Process process;
  private BufferedReader out;
  private Writer in;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    if (process != null) {
      process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
  }

  private String command(String line) throws IOException {
    in.write(line + "\n");
    in.flush();
    String reply = out.readLine();
    if (reply == null) {
      throw new IOException("the server JVM died (exit " + exitCode() + ") on: " + line);
    }
    return reply;
  }

  private String exitCode() {
    try {
      return process.waitFor(10, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "none";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private Matcher stats() throws IOException {
    String reply = command("stats");
    Matcher m = STATS.matcher(reply);
    assertThat(m.matches()).as(reply).isTrue();
    return m;
  }

  /** Connects, joins {@code thread} and then never reads again, with a small receive buffer. */
  private void pausedReader(int port, String thread) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout(20_000);
    s.getOutputStream()
        .write(
            RawClient.request(port, "/threads", "Sec-WebSocket-Version: 13\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    assertThat(RawClient.readHead(s.getInputStream())).startsWith("HTTP/1.1 101");
    String join = "{\"type\":\"join\",\"thread\":\"" + thread + "\",\"ref\":\"j\"}";
    s.getOutputStream()
        .write(RawClient.encode(true, 0x1, join.getBytes(StandardCharsets.UTF_8), true));
    StringBuilder seen = new StringBuilder();
    while (seen.indexOf("\"joined\"") < 0) {
      int b = s.getInputStream().read();
      if (b < 0) {
        throw new IOException("closed before joined: " + seen);
      }
      seen.append((char) b);
    }
  }

  /** Starts {@link BudgetServerMain} in a JVM of its own with a 96 MiB heap; returns its port. */
  private int startServerJvm() throws IOException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    File log = File.createTempFile("budget-server", ".log");
    log.deleteOnExit();
    process =
        new ProcessBuilder(
                java,
                "-Xmx96m",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                cp,
                BudgetServerMain.class.getName())
            .redirectError(log)
            .start();
    out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    String first = out.readLine();
    assertThat(first).as("the server JVM started").isNotNull().startsWith("port ");
    return Integer.parseInt(first.substring(5));
  }

  @Test
  @DisplayName("six endless fragmented binary messages of 64 MiB each under -Xmx96m: 1009, alive")
  void endlessFragmentsUnderSmallHeap() throws Exception {
    int port = startServerJvm();
    List<Thread> attackers = new ArrayList<>();
    List<Integer> codes = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 6; i++) {
      RawClient c = RawClient.open(port);
      sockets.add(c.socket());
      c.awaitText("\"welcome\"");
      Thread t =
          new Thread(
              () -> {
                byte[] chunk = new byte[60_000];
                try {
                  c.frame(false, 0x2, chunk, true);
                  for (long sent = chunk.length; sent < 64L << 20; sent += chunk.length) {
                    c.frame(false, 0x0, chunk, true);
                  }
                } catch (IOException e) {
                  // dropped by the server: fine, the close code is what counts
                }
                try {
                  codes.add(c.awaitClose());
                } catch (IOException e) {
                  codes.add(-2);
                }
              });
      t.start();
      attackers.add(t);
    }
    for (Thread t : attackers) {
      t.join(120_000);
    }
    assertThat(codes)
        .as("every attacker was closed with 1009")
        .containsExactly(1009, 1009, 1009, 1009, 1009, 1009);
    Matcher m = stats();
    assertThat(m.group(7)).as("messages too big").isEqualTo("6");
    assertThat(m.group(8)).as("no OutOfMemoryError").isEqualTo("false");
  }

  @Test
  @DisplayName("48 paused readers flooded with 4 KiB messages under -Xmx96m: cut, exact, alive")
  void pausedReadersUnderSmallHeap() throws Exception {
    int port = startServerJvm();
    Matcher initial = stats();
    long budget = Long.parseLong(initial.group(2));
    assertThat(budget)
        .as("the default budget is a quarter of the heap")
        .isBetween(20L << 20, 26L << 20);
    for (int i = 0; i < READERS; i++) {
      pausedReader(port, "t-" + i);
    }
    assertThat(command("flood " + READERS + " 4000")).isEqualTo("flooded");
    Matcher after = stats();
    System.out.println("OutboundBudgetTest after the flood: " + after.group());
    assertThat(after.group(8)).isEqualTo("false");
    assertThat(Long.parseLong(after.group(4)))
        .as("each connection is counted once however many bounds it hit")
        .isLessThanOrEqualTo(READERS);
    assertThat(Long.parseLong(after.group(5)))
        .as("the budget cut slow consumers: the per-connection bounds alone add up past the heap")
        .isPositive();
    // Once the writes in progress settle, the global count is the sum of the queues' own counts:
    // no frame is shared here, so each is counted once in both.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Matcher m = stats();
              assertThat(m.group(1)).as("global count vs sum of queues").isEqualTo(m.group(3));
            });
    // Readers whose kernel buffers took everything hold nothing on the heap; the rest are cut
    // by their queue bound, the budget or the write timeout. Then nothing is left counted.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Matcher m = stats();
              assertThat(Long.parseLong(m.group(1))).as("nothing queued is left counted").isZero();
              assertThat(Long.parseLong(m.group(3))).as("no connection holds anything").isZero();
            });
    assertThat(command("stats")).contains("oom=false");
    try (Socket s = new Socket("127.0.0.1", port)) {
      assertThat(s.isConnected()).as("the server still takes connections").isTrue();
    }
  }
}
