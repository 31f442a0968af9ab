package io.threadwire.benchmarks.load;

import io.threadwire.Message;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.tyrus.BenchAccess;
import io.threadwire.tyrus.BenchAccess.Member;
import io.threadwire.tyrus.TyrusThreadMessaging;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Publishes a run of messages to one thread in one of the fan-out modes, against the same sessions.
 * Every mode carries the same frame text ({@code seq} and the intended send time {@code t} first in
 * the payload), so the client does the same work whatever the mode.
 */
final class Publisher {

  /** The three ways of fanning a message out, compared side by side. */
  enum Mode {
    /** The Tyrus adapter through the {@code ThreadMessaging} port. */
    THREADWIRE,
    /** A list of sessions and {@code getAsyncRemote().sendText} per session. */
    NAIVE,
    /**
     * The same frame text through the idiomatic Netty 4.2 broadcast server, {@link NettyBroadcast}.
     */
    NETTY
  }

  private final TyrusThreadMessaging server;
  private final NettyBroadcast netty;
  private final LongAdder failed = new LongAdder();
  private final LongAdder unconfirmed = new LongAdder();

  /** Send-to-outcome latency of THREADWIRE sends, from each message's intended send time. */
  private final Recorder outcomeLatency = new Recorder(3);

  private final AtomicInteger pending = new AtomicInteger();

  /**
   * Open loop: how late the publisher got to each message (nanoseconds from its intended send time
   * to the start of its publish: the park's wake-up and the core's scheduling).
   */
  private final Histogram wakeLateness = new Histogram(3);

  /**
   * Open loop: nanoseconds from each message's intended send time until the server's send call
   * returned (for THREADWIRE the hub has queued it to every recipient; for NETTY the broadcast task
   * is handed to the event loop).
   */
  private final Histogram sendReturned = new Histogram(3);

  Publisher(TyrusThreadMessaging server, NettyBroadcast netty) {
    this.server = server;
    this.netty = netty;
  }

  /**
   * Returns the number of writes not confirmed delivered (failed, or unconfirmed: since issue 12
   * the frames of a cut connection's write in flight count unconfirmed) since the last call, and
   * resets it.
   */
  long takeFailures() {
    return failed.sumThenReset();
  }

  /** Returns the number of writes counted unconfirmed since the last call, and resets it. */
  long takeUnconfirmed() {
    return unconfirmed.sumThenReset();
  }

  /**
   * Returns the send-to-outcome latencies (nanoseconds, from each message's intended send time) of
   * the THREADWIRE sends completed since the last call, and starts a new interval.
   */
  Histogram takeOutcomeLatency() {
    return outcomeLatency.getIntervalHistogram();
  }

  /** The latest open loop's lateness of the publisher per message; see {@link #openLoop}. */
  Histogram wakeLateness() {
    return wakeLateness.copy();
  }

  /** The latest open loop's time from intended send time until the send call returned. */
  Histogram sendReturned() {
    return sendReturned.copy();
  }

  /** Returns how many THREADWIRE sends have not completed their outcome yet. */
  int pendingOutcomes() {
    return pending.get();
  }

  /**
   * Sends messages as fast as {@code window} in flight allow until {@code nanos} have passed since
   * the first; returns how many were sent (seq 1 to that) once the last is handed over.
   */
  int closedLoopFor(Mode mode, ThreadId thread, long nanos, int payloadBytes, int window)
      throws InterruptedException {
    Semaphore inFlight = new Semaphore(window);
    List<Member> members = mode == Mode.NAIVE ? BenchAccess.members(server, thread) : List.of();
    long start = System.nanoTime();
    int seq = 0;
    while (System.nanoTime() - start < nanos) {
      inFlight.acquire();
      seq++;
      publish(mode, thread, members, seq, System.nanoTime(), payloadBytes, inFlight::release);
    }
    inFlight.acquire(window);
    return seq;
  }

  /**
   * Sends {@code count} messages open-loop at {@code perSecond}: message i is due at start + i /
   * rate and carries that intended time, so a stall delays the receipt of every message due during
   * it, and the client's histogram sees it (no coordinated omission).
   */
  void openLoop(Mode mode, ThreadId thread, int count, int payloadBytes, double perSecond) {
    List<Member> members = mode == Mode.NAIVE ? BenchAccess.members(server, thread) : List.of();
    wakeLateness.reset();
    sendReturned.reset();
    long start = System.nanoTime();
    double period = 1e9 / perSecond;
    int seq = 1;
    while (seq <= count) {
      long now = System.nanoTime();
      long due = start + (long) ((seq - 1) * period);
      if (due > now) {
        // Sleep, never spin: a spinning publisher would take one of the two cores from the
        // server and the client. Messages that fell due meanwhile go out together, each still
        // carrying its own intended time.
        LockSupport.parkNanos(due - now);
        continue;
      }
      wakeLateness.recordValue(now - due);
      publish(mode, thread, members, seq, due, payloadBytes, () -> {});
      sendReturned.recordValue(Math.max(0, System.nanoTime() - due));
      seq++;
    }
  }

  private void publish(
      Mode mode,
      ThreadId thread,
      List<Member> members,
      int seq,
      long intendedNanos,
      int payloadBytes,
      Runnable done) {
    String payload = payload(seq, intendedNanos, payloadBytes);
    switch (mode) {
      case THREADWIRE -> {
        Message m = Message.builder(payload).id("m" + seq).build();
        pending.incrementAndGet();
        server
            .send(thread, m)
            .whenComplete(
                (o, e) -> {
                  outcomeLatency.recordValue(Math.max(0, System.nanoTime() - intendedNanos));
                  if (e != null || o.status() == SendOutcome.Status.ERROR) {
                    failed.increment();
                  } else {
                    failed.add(o.failedCount());
                    unconfirmed.add(o.unconfirmedCount());
                  }
                  pending.decrementAndGet();
                  done.run();
                });
      }
      case NAIVE -> {
        String text = BenchAccess.messageFrame(thread, seq, "m" + seq, payload);
        AtomicInteger left = new AtomicInteger(members.size());
        for (Member member : members) {
          member
              .session()
              .getAsyncRemote()
              .sendText(
                  text,
                  result -> {
                    if (!result.isOK()) {
                      failed.increment();
                    }
                    if (left.decrementAndGet() == 0) {
                      done.run();
                    }
                  });
        }
        if (members.isEmpty()) {
          done.run();
        }
      }
      case NETTY ->
          netty.broadcast(BenchAccess.messageFrame(thread, seq, "m" + seq, payload), done);
    }
  }

  /** Returns a JSON object of exactly {@code bytes} characters with seq and t first. */
  static String payload(int seq, long intendedNanos, int bytes) {
    StringBuilder b = new StringBuilder(bytes + 16);
    b.append("{\"seq\":").append(seq).append(",\"t\":").append(intendedNanos).append(",\"pad\":\"");
    int pad = bytes - b.length() - 2;
    for (int i = 0; i < pad; i++) {
      b.append('x');
    }
    return b.append("\"}").toString();
  }

  /** Waits until {@code condition} holds or {@code timeoutMillis} pass; returns whether it held. */
  static boolean await(java.util.function.BooleanSupplier condition, long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      LockSupport.parkNanos(5_000_000);
    }
    return true;
  }
}
