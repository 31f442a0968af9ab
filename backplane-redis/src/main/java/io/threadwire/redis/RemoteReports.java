package io.threadwire.redis;

import io.threadwire.spi.DeliveryReport;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The sending node's side of cluster-wide outcomes: one {@link Collector} per send in flight,
 * opened before the script runs (a report may arrive before the script's answer), told by the
 * answer how many other nodes received the entry, and completed when they all reported or the
 * outcome deadline passed, whichever is first. Reports are {@code "<token> <delivered> <failed>
 * <unconfirmed>"} on this node's report channel.
 */
final class RemoteReports {

  private final ConcurrentHashMap<Long, Collector> pending = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final long deadlineMillis;

  RemoteReports(ScheduledExecutorService timer, long deadlineMillis) {
    this.timer = timer;
    this.deadlineMillis = deadlineMillis;
  }

  /** Opens the collector of the send with {@code token}, or returns null if one is open. */
  Collector open(long token) {
    Collector c = new Collector(token);
    return pending.putIfAbsent(token, c) == null ? c : null;
  }

  /**
   * A message arrived on this node's report channel: one report a line; unknown or late ones, and
   * lines that are not reports, are dropped.
   */
  void received(byte[] message) {
    String all = new String(message, StandardCharsets.US_ASCII);
    int from = 0;
    while (from < all.length()) {
      int nl = all.indexOf('\n', from);
      int to = nl < 0 ? all.length() : nl;
      receivedLine(all.substring(from, to));
      from = to + 1;
    }
  }

  private void receivedLine(String line) {
    String[] f = line.split(" ");
    if (f.length != 4) {
      return;
    }
    Collector c;
    DeliveryReport r;
    try {
      c = pending.get(Long.parseLong(f[0]));
      r = DeliveryReport.of(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]));
    } catch (IllegalArgumentException e) {
      return;
    }
    if (c != null) {
      c.add(r);
    }
  }

  /** One report's line: {@code <token> <delivered> <failed> <unconfirmed>}. */
  static String line(long token, DeliveryReport r) {
    return token + " " + r.delivered() + " " + r.failed() + " " + r.unconfirmed();
  }

  /** The log closes: every send still waiting answers with what arrived so far. */
  void closeAll() {
    for (Collector c : pending.values()) {
      c.finish();
    }
  }

  /** Sends in flight, for tests. */
  int open() {
    return pending.size();
  }

  /** The reports of one send. */
  final class Collector {
    final long token;
    final CompletableFuture<DeliveryReport> future = new CompletableFuture<>();
    private DeliveryReport sum = DeliveryReport.none(); // guarded by this
    private int expected = -1; // guarded by this; -1 until the script answered
    private ScheduledFuture<?> timeout; // guarded by this

    Collector(long token) {
      this.token = token;
    }

    /** The script answered: {@code nodes} other nodes received the entry. */
    CompletableFuture<DeliveryReport> expect(int nodes) {
      boolean done;
      synchronized (this) {
        expected = nodes;
        done = sum.nodes() >= nodes;
        if (!done) {
          timeout = timer.schedule(this::finish, deadlineMillis, TimeUnit.MILLISECONDS);
        }
      }
      if (done) {
        finish();
      }
      return future;
    }

    /** The send failed or stored nothing: no report will be wanted. */
    void cancel() {
      pending.remove(token, this);
      future.complete(DeliveryReport.none());
    }

    private void add(DeliveryReport r) {
      boolean done;
      synchronized (this) {
        sum = sum.plus(r);
        done = expected >= 0 && sum.nodes() >= expected;
      }
      if (done) {
        finish();
      }
    }

    private void finish() {
      DeliveryReport result;
      synchronized (this) {
        if (timeout != null) {
          timeout.cancel(false);
        }
        result = sum;
      }
      pending.remove(token, this);
      future.complete(result);
    }
  }
}
