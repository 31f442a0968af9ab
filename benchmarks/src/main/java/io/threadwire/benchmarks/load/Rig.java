package io.threadwire.benchmarks.load;

import io.threadwire.HistoryPolicies;
import io.threadwire.HistoryPolicy;
import io.threadwire.ThreadId;
import io.threadwire.hub.HubSettings;
import io.threadwire.tyrus.TyrusSettings;
import io.threadwire.tyrus.TyrusThreadMessaging;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The server under test, in this JVM, and the load client process connected to it. Settings are the
 * adapter's defaults except where the benchmark needs room: no idle disconnects during a long run,
 * and a history large enough for the replay phase on {@code replay.*} threads.
 */
final class Rig implements AutoCloseable {

  static final String HOST = "127.0.0.1";
  static final String PATH = "/threads";
  static final Duration REPLY = Duration.ofMinutes(3);

  final TyrusThreadMessaging server;
  final ClientProcess client;
  final NettyBroadcast netty;
  final ClientProcess fanClient;
  final Publisher publisher;

  private Rig(
      TyrusThreadMessaging server,
      ClientProcess client,
      NettyBroadcast netty,
      ClientProcess fanClient) {
    this.server = server;
    this.client = client;
    this.netty = netty;
    this.fanClient = fanClient;
    this.publisher = new Publisher(server, netty);
  }

  static Rig start() throws IOException {
    TyrusSettings settings =
        TyrusSettings.builder()
            .host(HOST)
            .port(0)
            .path(PATH)
            .idleTimeout(Duration.ofMinutes(30))
            .pingInterval(Duration.ofMinutes(10))
            // Room for the replay phase's 10,000-message recovery; the default bound is sized
            // for the default history of 1,000.
            .maxQueuedFrames(20_000)
            .build();
    HistoryPolicy replay =
        HistoryPolicy.defaults()
            .withMaxMessages(20_000)
            .withMaxBytes(64L << 20)
            .withMaxAge(Duration.ofMinutes(30));
    HubSettings hub =
        HubSettings.defaults()
            .withHistoryPolicies(
                HistoryPolicies.uniform(HistoryPolicy.defaults()).withPrefix("replay.", replay));
    TyrusThreadMessaging server = TyrusThreadMessaging.create(settings, hub);
    server.start();
    NettyBroadcast netty;
    try {
      netty = NettyBroadcast.start(HOST, PATH);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the Netty baseline", e);
    }
    return new Rig(
        server,
        ClientProcess.start(HOST, server.boundPort(), PATH),
        netty,
        ClientProcess.startFanClient());
  }

  /** Connects {@code count} client connections as {@code group}, each joined to {@code threads}. */
  void connect(String group, int count, String threads) throws IOException, InterruptedException {
    client.command("connect " + group + " " + count + " " + threads, REPLY);
  }

  /** Waits until {@code thread} has {@code members} connections on the server side. */
  boolean awaitMembers(ThreadId thread, int members) {
    return Publisher.await(() -> server.connectionCount(thread) == members, 60_000);
  }

  /** Returns the live heap after full collections, in bytes. */
  static long heapAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /**
   * Returns the exact size of the live objects on the heap, in bytes: the total of a class
   * histogram taken by {@code jcmd GC.class_histogram}, which collects first. Exact, unlike the
   * heap's used figure, which moves by megabytes with region fragmentation.
   */
  static long liveBytes() throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(
                jcmd.toString(), Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String total = null;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("Total")) {
          total = line;
        }
      }
    }
    if (p.waitFor() != 0 || total == null) {
      throw new IOException("jcmd GC.class_histogram failed; is this a JDK (needs bin/jcmd)?");
    }
    String[] words = total.trim().split("\\s+");
    return Long.parseLong(words[2]);
  }

  /**
   * Returns {@link #liveBytes()} once two readings a moment apart agree within 64 KiB: a server
   * closed just before may still be releasing what it held.
   */
  static long settledLiveBytes() throws IOException, InterruptedException {
    long previous = liveBytes();
    for (int i = 0; i < 40; i++) {
      Thread.sleep(250);
      long now = liveBytes();
      if (Math.abs(now - previous) < 64 * 1024) {
        return now;
      }
      previous = now;
    }
    return previous;
  }

  /** Returns the heap in use right after the latest collection of each pool, in bytes. */
  static long heapAfterLastGc() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
        sum += pool.getCollectionUsage().getUsed();
      }
    }
    return sum;
  }

  /** Returns this process's CPU time in nanoseconds. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  @Override
  public void close() {
    fanClient.close();
    client.close();
    netty.close();
    server.close();
  }
}
