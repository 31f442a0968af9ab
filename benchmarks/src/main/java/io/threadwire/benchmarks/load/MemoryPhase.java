package io.threadwire.benchmarks.load;

import io.threadwire.tyrus.BenchAccess;
import io.threadwire.tyrus.BenchAccess.BareServer;
import java.io.IOException;
import java.util.List;

/**
 * Memory per idle connection and per membership, against bare Tyrus sessions on the same kind of
 * container. Each figure is the live heap after full collections, marginal over the second half of
 * the connections: the first half warms every pool and cache, so one-time costs do not count as
 * per-connection costs.
 */
final class MemoryPhase {

  private MemoryPhase() {}

  static void run(Options options, Report report) throws IOException, InterruptedException {
    int n = options.memoryConnections;
    int half = n / 2;
    double barePer;
    try (BareServer server = BenchAccess.startBare(Rig.HOST, "/bare");
        ClientProcess client = ClientProcess.start(Rig.HOST, server.port(), "/bare")) {
      client.command("connect bare1 " + half + " +ping", Rig.REPLY);
      long h1 = Rig.settledLiveBytes();
      client.command("connect bare2 " + half + " +ping", Rig.REPLY);
      barePer = (double) (Rig.settledLiveBytes() - h1) / half;
      client.command("close bare1", Rig.REPLY);
      client.command("close bare2", Rig.REPLY);
    }
    // Each case on a fresh server: pools that closed connections leave behind would otherwise
    // serve the next case's connections, and hide part of their cost.
    double plainPer;
    try (Rig fresh = Rig.start()) {
      plainPer = marginal(fresh, "plain", half, "+ping");
    }
    double joinedPer;
    try (Rig fresh = Rig.start()) {
      joinedPer = marginal(fresh, "joined", half, "m.1,m.2,m.3");
    }
    long memberships = 3L * n;
    double perConnAbove = plainPer - barePer;
    double perMembership = (joinedPer - plainPer) / 3;
    report.section(
        "Memory",
        n
            + " idle connections per case, each case on a fresh server in this JVM. Live objects on this JVM's heap (the total of a"
            + " `jcmd GC.class_histogram`, which collects first),"
            + " marginal over the second "
            + half
            + " connections (the first half warms pools and caches). Every connection has made one"
            + " request (a ping, or its joins) and had its answer, so that no case still holds"
            + " its HTTP upgrade state: bare Tyrus sessions (an"
            + " endpoint that ignores everything, on the same bound Grizzly container), Threadwire"
            + " connections joined to nothing, and Threadwire connections each joined to the same 3"
            + " threads ("
            + memberships
            + " memberships).");
    report.table(
        new String[] {"case", "heap per connection", "above bare Tyrus"},
        List.of(
            new String[] {"bare Tyrus session", Report.f0(barePer) + " B", "-"},
            new String[] {
              "Threadwire, no thread", Report.f0(plainPer) + " B", Report.f0(perConnAbove) + " B"
            },
            new String[] {
              "Threadwire, 3 threads",
              Report.f0(joinedPer) + " B",
              Report.f0(joinedPer - barePer) + " B (" + Report.f0(perMembership) + " B/membership)"
            }));
    report.target(
        "memory: <= 1 KiB per connection above bare Tyrus",
        Report.f0(perConnAbove) + " B",
        perConnAbove <= 1024);
    report.target(
        "memory: <= 128 B per membership", Report.f0(perMembership) + " B", perMembership <= 128);
  }

  /** Returns the live heap per connection of the second {@code half} joined to {@code threads}. */
  private static double marginal(Rig rig, String name, int half, String threads)
      throws IOException, InterruptedException {
    rig.connect(name + "1", half, threads);
    awaitConnections(rig, half);
    long h1 = Rig.settledLiveBytes();
    rig.connect(name + "2", half, threads);
    awaitConnections(rig, 2 * half);
    double per = (double) (Rig.settledLiveBytes() - h1) / half;
    rig.client.command("close " + name + "1", Rig.REPLY);
    rig.client.command("close " + name + "2", Rig.REPLY);
    awaitConnections(rig, 0);
    return per;
  }

  private static void awaitConnections(Rig rig, int n) throws IOException {
    // Closing ones count too, or what they still hold would blur the next figure.
    if (!Publisher.await(
        () ->
            rig.server.hub().stats().connections() == n
                && BenchAccess.openTcpConnections(rig.server) == n,
        120_000)) {
      throw new IOException(
          "expected " + n + " connections, have " + rig.server.hub().stats().connections());
    }
  }
}
