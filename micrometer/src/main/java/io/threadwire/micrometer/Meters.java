package io.threadwire.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.SendOutcome.Status;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.MessagingListener.HandshakeRefusal;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The meters of one registry, every one registered up front. A send only adds to the sending (or
 * completing) thread's own cell of {@link SendCounts}: the send counters are {@link
 * FunctionCounter}s summing those cells at scrape time, and without percentiles the latency timer
 * is a {@link FunctionTimer} over two more slots (timed sends and their total time), so a send pays
 * a few plain adds (the hub hands over the thread's cell, see {@link MeterListener}), never a
 * thread-local lookup, an atomic instruction, a meter lookup, a tag or an allocation. The rarer
 * events (joins, cut-offs, refusals) add to {@link LongAdder}s. Percentiles or a histogram need
 * Micrometer's own {@link Timer}, which costs more per send (it keeps a decaying maximum and a
 * histogram).
 */
final class Meters {

  /** The {@code error} tag of a send that is not an error. */
  static final String NO_ERROR = "none";

  // The send path's counters, one slot each in a per-thread cell: sends by status (ERROR's slot
  // unused), then by error kind, then the totals below.
  private static final int ERRORS = Status.values().length;
  private static final int DELIVERIES = ERRORS + ErrorKind.values().length;
  private static final int WRITES_FAILED = DELIVERIES + 1;
  private static final int WRITES_TIMED_OUT = DELIVERIES + 2;
  private static final int TIMED_SENDS = DELIVERIES + 3;
  private static final int LATENCY_NANOS = DELIVERIES + 4;

  /** The slots of a cell of the send counters. */
  static final int SEND_SLOTS = LATENCY_NANOS + 1;

  private final SendCounts sends; // the listener's, written by its recorders

  private final LongAdder[] joinsByStatus = adders(JoinResult.Status.values().length);
  final LongAdder[] handshakesRefused = adders(HandshakeRefusal.values().length);
  private final Timer latencyTimer; // null unless percentiles or a histogram are published
  private final LongAdder replays = new LongAdder();
  private final LongAdder replayedMessages = new LongAdder();
  private final LongAdder gaps = new LongAdder();
  final LongAdder slowConsumers = new LongAdder();
  final LongAdder rateLimited = new LongAdder();

  Meters(MeterRegistry registry, ThreadwireMetrics.Settings settings, SendCounts sends) {
    this.sends = sends;
    Tags common = settings.tags();
    String sendsHelp = "Sends by outcome status and error kind";
    for (Status s : Status.values()) {
      if (s != Status.ERROR) {
        slot(registry, "threadwire.sends", sendsHelp, s.ordinal())
            .tags(common)
            .tag("status", tag(s))
            .tag("error", NO_ERROR)
            .register(registry);
      }
    }
    for (ErrorKind k : ErrorKind.values()) {
      slot(registry, "threadwire.sends", sendsHelp, ERRORS + k.ordinal())
          .tags(common)
          .tag("status", tag(Status.ERROR))
          .tag("error", tag(k))
          .register(registry);
    }
    for (JoinResult.Status s : JoinResult.Status.values()) {
      counter(
              registry,
              "threadwire.joins",
              "Joins answered by the hub, by result",
              joinsByStatus[s.ordinal()])
          .tags(common)
          .tag("status", tag(s))
          .register(registry);
    }
    for (HandshakeRefusal r : HandshakeRefusal.values()) {
      counter(
              registry,
              "threadwire.handshakes.refused",
              "WebSocket handshakes refused, by reason",
              handshakesRefused[r.ordinal()])
          .tags(common)
          .tag("reason", tag(r))
          .register(registry);
    }
    String latencyHelp = "Time from a call to send to its outcome";
    if (settings.percentiles().length > 0 || settings.percentileHistogram()) {
      Timer.Builder timer =
          Timer.builder("threadwire.send.latency")
              .description(latencyHelp)
              .tags(common)
              .publishPercentileHistogram(settings.percentileHistogram());
      if (settings.percentiles().length > 0) {
        timer.publishPercentiles(settings.percentiles());
      }
      latencyTimer = timer.register(registry);
    } else {
      latencyTimer = null;
      FunctionTimer.builder(
              "threadwire.send.latency",
              this,
              m -> m.sends.sum(TIMED_SENDS),
              m -> (double) m.sends.sum(LATENCY_NANOS),
              TimeUnit.NANOSECONDS)
          .description(latencyHelp)
          .tags(common)
          .register(registry);
    }
    slot(registry, "threadwire.deliveries", "Writes acknowledged", DELIVERIES)
        .tags(common)
        .register(registry);
    slot(registry, "threadwire.writes.failed", "Connections whose write failed", WRITES_FAILED)
        .tags(common)
        .register(registry);
    slot(
            registry,
            "threadwire.writes.timed.out",
            "Recipients whose write was unconfirmed when the send outcome completed (deadline or cut)",
            WRITES_TIMED_OUT)
        .tags(common)
        .register(registry);
    simple(registry, common, "threadwire.replays", "Joins that replayed missed messages", replays);
    simple(
        registry,
        common,
        "threadwire.replayed.messages",
        "Messages replayed to joining clients",
        replayedMessages);
    simple(registry, common, "threadwire.gaps", "Joins told that recovery was incomplete", gaps);
    simple(
        registry,
        common,
        "threadwire.slow.consumers",
        "Connections cut off as slow consumers (queue full or write timed out)",
        slowConsumers);
    simple(
        registry,
        common,
        "threadwire.frames.rate.limited",
        "Client frames refused by the rate limit",
        rateLimited);
  }

  /**
   * Counts one send into {@code cell}, the current thread's cell of {@link #sends}: a few plain
   * (opaque) adds, no atomic instruction, no allocation.
   */
  void sendCompleted(long[] cell, SendOutcome outcome, long latency) {
    Status status = outcome.status();
    int slot =
        status == Status.ERROR
            ? ERRORS + outcome.errorKind().orElse(ErrorKind.INTERNAL).ordinal()
            : status.ordinal();
    SendCounts.add(cell, slot, 1);
    if (latency >= 0) {
      if (latencyTimer == null) {
        SendCounts.add(cell, TIMED_SENDS, 1);
        SendCounts.add(cell, LATENCY_NANOS, latency);
      } else {
        latencyTimer.record(latency, TimeUnit.NANOSECONDS);
      }
    }
    int delivered = outcome.deliveredCount();
    if (delivered > 0) {
      SendCounts.add(cell, DELIVERIES, delivered);
    }
    int failed = outcome.failedCount();
    if (failed > 0) {
      SendCounts.add(cell, WRITES_FAILED, failed);
    }
    int unconfirmed = outcome.unconfirmedCount();
    if (unconfirmed > 0) {
      SendCounts.add(cell, WRITES_TIMED_OUT, unconfirmed);
    }
  }

  void joined(JoinResult result) {
    joinsByStatus[result.status().ordinal()].increment();
    if (result.status() != JoinResult.Status.JOINED) {
      return;
    }
    if (result.replayed() > 0) {
      replays.increment();
      replayedMessages.add(result.replayed());
    }
    if (!result.recovered()) {
      gaps.increment();
    }
  }

  private FunctionCounter.Builder<SendCounts> slot(
      MeterRegistry registry, String name, String what, int slot) {
    return FunctionCounter.builder(name, sends, c -> c.sum(slot)).description(what);
  }

  private static FunctionCounter.Builder<LongAdder> counter(
      MeterRegistry registry, String name, String what, LongAdder adder) {
    return FunctionCounter.builder(name, adder, LongAdder::sum).description(what);
  }

  private static void simple(
      MeterRegistry registry, Tags common, String name, String what, LongAdder adder) {
    counter(registry, name, what, adder).tags(common).register(registry);
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }

  /** Returns an enum constant as a tag value: lower case, as Micrometer's conventions ask. */
  static String tag(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
