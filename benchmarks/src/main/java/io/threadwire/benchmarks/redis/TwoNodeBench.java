package io.threadwire.benchmarks.redis;

import io.threadwire.ConnectionId;
import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.hub.ThreadHub;
import io.threadwire.redis.RedisSettings;
import io.threadwire.redis.RedisThreadLog;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.Since;
import io.threadwire.spi.TransportConnection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The two-node section of {@code benchmarks/run.sh}: two hubs in this JVM, each over its own {@link
 * RedisThreadLog} on one key prefix of the Redis at {@code 127.0.0.1:6379}; node B holds {@link
 * #RECIPIENTS} connections of one thread that acknowledge every write at once (no WebSocket: this
 * measures the backplane, not a transport), node A holds none and sends. Measured: the most sends
 * per second A completes with a cluster-wide outcome (closed loop, {@link #WINDOW} in flight), the
 * cross-node deliveries per second that makes, and the cluster-wide outcome latency p50/p99/p99.9
 * at 50% of that rate (open loop, from each send's intended time). The anchor, in the same run, is
 * {@code redis-benchmark} running the same append script with the same arguments.
 *
 * <p>Also printed: the CPU each send cost, this JVM's (both nodes, with how long the JIT compiled
 * during the run) and the Redis server's, which says whether a rate is bound by CPU. {@code
 * -Dbench.anchor=false} skips the anchor (for quick A/B runs of the backplane alone).
 *
 * <p>Prints one Markdown section to standard output. Keys live under a per-run prefix {@code
 * twbench-<random>} and are deleted at the end (only those).
 */
public final class TwoNodeBench {

  static final int RECIPIENTS = 100;
  static final int WINDOW = 64;
  static final int PAYLOAD = 200;
  static final String URI = "redis://127.0.0.1:6379";
  static final int MAX_WARM_UP = 20;
  static final long SETTLED_JIT_MILLIS = 20;

  private TwoNodeBench() {}

  /**
   * Runs the section.
   *
   * @param args {@code [seconds]}, the length of each run (default 3)
   * @throws Exception if Redis is unreachable or a run fails
   */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    String prefix = "twbench-" + UUID.randomUUID().toString().substring(0, 8);
    RedisSettings settings = RedisSettings.builder().uri(URI).keyPrefix(prefix).build();
    RedisThreadLog logA = RedisThreadLog.create(settings);
    RedisThreadLog logB = RedisThreadLog.create(settings);
    ThreadHub a = ThreadHub.builder((t, e, o, m) -> m.payload()).threadLog(logA).build();
    ThreadHub b = ThreadHub.builder((t, e, o, m) -> m.payload()).threadLog(logB).build();
    a.start();
    b.start();
    ThreadId thread = ThreadId.of("bench");
    LongAdder delivered = new LongAdder();
    for (int i = 0; i < RECIPIENTS; i++) {
      Sink c = new Sink(ConnectionId.of("b" + i), delivered);
      b.register(c);
      b.join(c.id(), thread, Since.none());
    }
    try {
      String body = "x".repeat(PAYLOAD);
      // Warm up both JVM paths and the script until the JIT has settled.
      int warmUp = warmUp(a, thread, body);
      LongAdder before = delivered;
      long d0 = before.sum();
      Recorder closed = new Recorder(3);
      Cpu c0 = Cpu.now();
      long t0 = System.nanoTime();
      long[] counts = closedLoop(a, thread, body, seconds * 1_000_000_000L, closed);
      long elapsed = System.nanoTime() - t0;
      Cpu closedCpu = Cpu.now().minus(c0);
      double sendRate = counts[0] * 1e9 / elapsed;
      double crossNode = (delivered.sum() - d0) * 1e9 / elapsed;
      long wrong = counts[1];

      double half = sendRate / 2;
      // The open loop's own paths (its timing, parking) settle too before it is measured.
      for (int i = 0; i < 5 && !openSettled(a, thread, body, half); i++) {
        // another second
      }
      Recorder open = new Recorder(3);
      Cpu o0 = Cpu.now();
      long[] openCounts = openLoop(a, thread, body, half, seconds, open);
      Cpu openCpu = Cpu.now().minus(o0);
      Histogram h = open.getIntervalHistogram();

      double anchor =
          Boolean.parseBoolean(System.getProperty("bench.anchor", "true"))
              ? redisBenchmark(prefix, thread, body)
              : Double.NaN;
      System.out.println(
          report(
              seconds,
              warmUp,
              sendRate,
              crossNode,
              wrong + openCounts[1],
              half,
              h,
              anchor,
              openCounts,
              closedCpu.per(counts[0]),
              openCpu.per(openCounts[0])));
    } finally {
      a.close();
      b.close();
      deleteKeys(prefix);
    }
  }

  /**
   * Runs the closed loop in one-second slices until two slices in a row in which the JIT compilers
   * worked for under {@link #SETTLED_JIT_MILLIS} (at most {@link #MAX_WARM_UP} slices): a run
   * measured while C2 still compiles the send path measures the compiler, which shares the
   * benchmark's cores. Returns the seconds it took.
   */
  private static int warmUp(ThreadHub a, ThreadId thread, String body) throws InterruptedException {
    java.lang.management.CompilationMXBean jit =
        java.lang.management.ManagementFactory.getCompilationMXBean();
    int slices = 0;
    int settled = 0;
    while (slices < MAX_WARM_UP && settled < 2) {
      long before = jit.getTotalCompilationTime();
      closedLoop(a, thread, body, 1_000_000_000L, new Recorder(3));
      slices++;
      settled = jit.getTotalCompilationTime() - before < SETTLED_JIT_MILLIS ? settled + 1 : 0;
    }
    return slices;
  }

  /** Runs the open loop for one second; returns true if the JIT compiled under the threshold. */
  private static boolean openSettled(ThreadHub a, ThreadId thread, String body, double perSecond)
      throws InterruptedException {
    java.lang.management.CompilationMXBean jit =
        java.lang.management.ManagementFactory.getCompilationMXBean();
    long before = jit.getTotalCompilationTime();
    openLoop(a, thread, body, perSecond, 1, new Recorder(3));
    return jit.getTotalCompilationTime() - before < SETTLED_JIT_MILLIS;
  }

  /** Sends for {@code nanos} with WINDOW in flight; returns {sends, outcomes not as expected}. */
  private static long[] closedLoop(
      ThreadHub a, ThreadId thread, String body, long nanos, Recorder latency)
      throws InterruptedException {
    Semaphore inFlight = new Semaphore(WINDOW);
    AtomicLong wrong = new AtomicLong();
    long start = System.nanoTime();
    long sent = 0;
    while (System.nanoTime() - start < nanos) {
      inFlight.acquire();
      long t = System.nanoTime();
      a.send(thread, Message.of(body), SendOptions.defaults())
          .whenComplete(
              (o, e) -> {
                latency.recordValue(Math.max(0, System.nanoTime() - t));
                if (!expected(o, e)) {
                  wrong.incrementAndGet();
                }
                inFlight.release();
              });
      sent++;
    }
    inFlight.acquire(WINDOW);
    return new long[] {sent, wrong.get()};
  }

  /** Sends at {@code perSecond} for {@code seconds}, open loop; returns {sends, not expected}. */
  private static long[] openLoop(
      ThreadHub a, ThreadId thread, String body, double perSecond, int seconds, Recorder latency)
      throws InterruptedException {
    long count = (long) (perSecond * seconds);
    double period = 1e9 / perSecond;
    AtomicLong wrong = new AtomicLong();
    AtomicLong done = new AtomicLong();
    long start = System.nanoTime();
    long i = 0;
    while (i < count) {
      long due = start + (long) (i * period);
      long now = System.nanoTime();
      if (due > now) {
        LockSupport.parkNanos(due - now);
        continue;
      }
      a.send(thread, Message.of(body), SendOptions.defaults())
          .whenComplete(
              (o, e) -> {
                latency.recordValue(Math.max(0, System.nanoTime() - due));
                if (!expected(o, e)) {
                  wrong.incrementAndGet();
                }
                done.incrementAndGet();
              });
      i++;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (done.get() < count && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
    return new long[] {count, wrong.get() + (count - done.get())};
  }

  /** DELIVERED to every recipient on B, with B's report in (nodes 1 of 1). */
  private static boolean expected(SendOutcome o, Throwable e) {
    return e == null
        && o.status() == SendOutcome.Status.DELIVERED
        && o.deliveredCount() == RECIPIENTS
        && o.remote().map(r -> r.nodesExpected() == 1 && r.nodesConfirmed() == 1).orElse(false);
  }

  /** Runs the append script under redis-benchmark with a send's arguments; returns calls/s. */
  private static double redisBenchmark(String prefix, ThreadId thread, String body)
      throws IOException, InterruptedException, NoSuchAlgorithmException {
    String sha = scriptSha();
    String tag = prefix + ":{" + thread.value() + "-anchor}";
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "redis-benchmark",
                "-h",
                "127.0.0.1",
                "-p",
                "6379",
                "-n",
                "200000",
                "-c",
                Integer.toString(WINDOW),
                "-q",
                "EVALSHA",
                sha,
                "4",
                tag + ":meta",
                tag + ":stream",
                tag + ":idz",
                tag + ":idh",
                "append",
                tag + ":ch",
                Long.toString(System.currentTimeMillis()),
                "600000",
                "1000",
                "67108864",
                "1800000",
                "DROP_OLDEST",
                "",
                "120000",
                "1000",
                Integer.toString(PAYLOAD),
                "anchor",
                "0",
                body));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("redis-benchmark failed: " + out);
    }
    // "EVALSHA ...: 123456.79 requests per second, p50=0.215 msec"
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("([0-9.]+) requests per second").matcher(out);
    double last = Double.NaN;
    while (m.find()) {
      last = Double.parseDouble(m.group(1));
    }
    if (Double.isNaN(last) || out.contains("ERR")) {
      throw new IOException("redis-benchmark gave no rate: " + out);
    }
    return last;
  }

  private static String scriptSha() throws IOException, NoSuchAlgorithmException {
    try (InputStream in =
        RedisThreadLog.class.getResourceAsStream("/io/threadwire/redis/thread-log.lua")) {
      if (in == null) {
        throw new IOException("thread-log.lua not on the class path");
      }
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(in.readAllBytes()));
    }
  }

  private static void deleteKeys(String prefix) throws IOException, InterruptedException {
    new ProcessBuilder(
            "sh",
            "-c",
            "redis-cli -h 127.0.0.1 -p 6379 --scan --pattern '"
                + prefix
                + ":*' | xargs -r redis-cli -h 127.0.0.1 -p 6379 del > /dev/null")
        .inheritIO()
        .start()
        .waitFor();
  }

  private static String report(
      int seconds,
      int warmUp,
      double sendRate,
      double crossNode,
      long wrong,
      double half,
      Histogram h,
      double anchor,
      long[] openCounts,
      String closedCpu,
      String openCpu) {
    double p50 = h.getValueAtPercentile(50) / 1e6;
    double p99 = h.getValueAtPercentile(99) / 1e6;
    double p999 = h.getValueAtPercentile(99.9) / 1e6;
    StringBuilder b = new StringBuilder();
    b.append("## Two nodes over Redis\n\n")
        .append("Two hubs in one JVM, each over its own `RedisThreadLog` on one key prefix of the")
        .append(" Redis at 127.0.0.1:6379 (loopback, unpinned, shared with this JVM's cores);")
        .append(" node B holds ")
        .append(RECIPIENTS)
        .append(" connections of one thread that acknowledge every write at once (no WebSocket:")
        .append(" the backplane's cost alone), node A none; every send goes through A with ")
        .append(PAYLOAD)
        .append(" B payloads, so every delivery crosses nodes and every outcome waits for B's")
        .append(" delivery report. ")
        .append(seconds)
        .append(" s per run, after a warm-up of ")
        .append(warmUp)
        .append(" s (closed loop, until two seconds in a row in which the JIT compiled for under ")
        .append(SETTLED_JIT_MILLIS)
        .append(" ms, at most ")
        .append(MAX_WARM_UP)
        .append(" s). The anchor is `redis-benchmark -c ")
        .append(WINDOW)
        .append("` running the same append script (EVALSHA, same argument shapes) in the same run.")
        .append(" An outcome counts as expected when it is DELIVERED to all ")
        .append(RECIPIENTS)
        .append(" with nodes 1/1.\n\n")
        .append("| measure | value |\n|---|---|\n")
        .append(
            row("max send rate, closed loop, " + WINDOW + " in flight", f(sendRate) + " sends/s"))
        .append(row("cross-node deliveries", f(crossNode) + " /s"))
        .append(row("redis-benchmark, the script alone", f(anchor) + " calls/s"))
        .append(
            row(
                "cluster-wide outcome latency at 50% (" + f(half) + " sends/s, open loop)",
                String.format(
                    Locale.ROOT, "p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms", p50, p99, p999)))
        .append(row("outcomes not as expected", Long.toString(wrong)))
        .append(row("CPU per send, closed loop", closedCpu))
        .append(row("CPU per send, open loop at 50%", openCpu))
        .append("\n| target | measured | |\n|---|---|---|\n")
        .append(target("outcome p50 <= 1 ms", String.format(Locale.ROOT, "%.3f ms", p50), p50 <= 1))
        .append(target("outcome p99 <= 5 ms", String.format(Locale.ROOT, "%.3f ms", p99), p99 <= 5))
        .append(
            target(
                "send rate >= 50% of the script's redis-benchmark rate",
                String.format(Locale.ROOT, "%.1f%%", 100 * sendRate / anchor),
                sendRate >= anchor / 2))
        .append(target("every outcome DELIVERED to all, nodes 1/1", wrong + " not", wrong == 0));
    return b.toString();
  }

  private static String row(String name, String value) {
    return "| " + name + " | " + value + " |\n";
  }

  private static String target(String name, String measured, boolean met) {
    return "| " + name + " | " + measured + " | " + (met ? "met" : "**missed**") + " |\n";
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  /**
   * CPU used so far: this JVM's (both nodes, JIT and GC included), its Java threads' (the nodes'
   * work without the JIT compilers and GC), how long the JIT compiled, and the Redis server's
   * ({@code INFO cpu}; it counts every client of that Redis, so other users of it show up here).
   */
  private record Cpu(long jvmNanos, long javaNanos, long jitMillis, double redisSeconds) {
    static Cpu now() {
      long jvm =
          ((com.sun.management.OperatingSystemMXBean)
                  java.lang.management.ManagementFactory.getOperatingSystemMXBean())
              .getProcessCpuTime();
      long jit =
          java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
      java.lang.management.ThreadMXBean threads =
          java.lang.management.ManagementFactory.getThreadMXBean();
      long java = 0;
      for (long id : threads.getAllThreadIds()) {
        java += Math.max(0, threads.getThreadCpuTime(id));
      }
      return new Cpu(jvm, java, jit, redisCpu());
    }

    Cpu minus(Cpu o) {
      return new Cpu(
          jvmNanos - o.jvmNanos,
          javaNanos - o.javaNanos,
          jitMillis - o.jitMillis,
          redisSeconds - o.redisSeconds);
    }

    String per(long sends) {
      return String.format(
          Locale.ROOT,
          "JVM %.0f us, of which Java threads %.0f us (JIT compiling %,d ms of the run), Redis %.0f"
              + " us",
          jvmNanos / 1e3 / Math.max(1, sends),
          javaNanos / 1e3 / Math.max(1, sends),
          jitMillis,
          redisSeconds * 1e6 / Math.max(1, sends));
    }

    private static double redisCpu() {
      try {
        Process p =
            new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", "6379", "info", "cpu")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        double sum = 0;
        for (String line : out.split("\r?\n")) {
          if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
            sum += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
          }
        }
        return sum;
      } catch (IOException | RuntimeException e) {
        return Double.NaN;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Double.NaN;
      }
    }
  }

  /** A connection that acknowledges every write at once and counts it. */
  private record Sink(ConnectionId id, LongAdder delivered) implements TransportConnection {
    @Override
    public UserId user() {
      return UserId.anonymous();
    }

    @Override
    public void send(Frame frame, DeliveryCallback callback) {
      delivered.increment();
      callback.delivered(this);
    }
  }
}
