package io.threadwire.micrometer;

import io.micrometer.core.instrument.Counter;
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

/**
 * The counters and the timer of one registry, every one registered up front: the event path indexes
 * an array and increments, never looks a meter up or allocates a tag.
 */
final class Meters {

  /** The {@code error} tag of a send that is not an error. */
  static final String NO_ERROR = "none";

  private final Counter[] sendsByStatus = new Counter[Status.values().length];
  private final Counter[] errorsByKind = new Counter[ErrorKind.values().length];
  private final Counter[] joinsByStatus = new Counter[JoinResult.Status.values().length];
  final Counter[] handshakesRefused = new Counter[HandshakeRefusal.values().length];
  private final Timer latency;
  private final Counter deliveries;
  private final Counter writesFailed;
  private final Counter writesTimedOut;
  private final Counter replays;
  private final Counter replayedMessages;
  private final Counter gaps;
  final Counter slowConsumers;
  final Counter rateLimited;

  Meters(MeterRegistry registry, ThreadwireMetrics.Settings settings) {
    Tags common = settings.tags();
    for (Status s : Status.values()) {
      if (s != Status.ERROR) {
        sendsByStatus[s.ordinal()] = sends(registry, common, tag(s), NO_ERROR);
      }
    }
    for (ErrorKind k : ErrorKind.values()) {
      errorsByKind[k.ordinal()] = sends(registry, common, tag(Status.ERROR), tag(k));
    }
    for (JoinResult.Status s : JoinResult.Status.values()) {
      joinsByStatus[s.ordinal()] =
          Counter.builder("threadwire.joins")
              .description("Joins answered by the hub, by result")
              .tags(common)
              .tag("status", tag(s))
              .register(registry);
    }
    for (HandshakeRefusal r : HandshakeRefusal.values()) {
      handshakesRefused[r.ordinal()] =
          Counter.builder("threadwire.handshakes.refused")
              .description("WebSocket handshakes refused, by reason")
              .tags(common)
              .tag("reason", tag(r))
              .register(registry);
    }
    Timer.Builder timer =
        Timer.builder("threadwire.send.latency")
            .description("Time from a call to send to its outcome")
            .tags(common)
            .publishPercentileHistogram(settings.percentileHistogram());
    if (settings.percentiles().length > 0) {
      timer.publishPercentiles(settings.percentiles());
    }
    latency = timer.register(registry);
    deliveries = counter(registry, common, "threadwire.deliveries", "Writes acknowledged");
    writesFailed =
        counter(registry, common, "threadwire.writes.failed", "Connections whose write failed");
    writesTimedOut =
        counter(
            registry,
            common,
            "threadwire.writes.timed.out",
            "Connections that had not answered when a send timed out");
    replays =
        counter(registry, common, "threadwire.replays", "Joins that replayed missed messages");
    replayedMessages =
        counter(
            registry,
            common,
            "threadwire.replayed.messages",
            "Messages replayed to joining clients");
    gaps = counter(registry, common, "threadwire.gaps", "Joins told that recovery was incomplete");
    slowConsumers =
        counter(
            registry,
            common,
            "threadwire.slow.consumers",
            "Connections cut off as slow consumers (queue full or write timed out)");
    rateLimited =
        counter(
            registry,
            common,
            "threadwire.frames.rate.limited",
            "Client frames refused by the rate limit");
  }

  void sendCompleted(SendOutcome outcome, long latencyNanos) {
    Status status = outcome.status();
    Counter c =
        status == Status.ERROR
            ? errorsByKind[outcome.errorKind().orElse(ErrorKind.INTERNAL).ordinal()]
            : sendsByStatus[status.ordinal()];
    c.increment();
    latency.record(latencyNanos, TimeUnit.NANOSECONDS);
    int delivered = outcome.deliveredCount();
    if (delivered > 0) {
      deliveries.increment(delivered);
    }
    int failed = outcome.failedCount();
    if (failed > 0) {
      writesFailed.increment(failed);
    }
    int timedOut = outcome.timedOutCount();
    if (timedOut > 0) {
      writesTimedOut.increment(timedOut);
    }
  }

  void joined(JoinResult result) {
    joinsByStatus[result.status().ordinal()].increment();
    if (result.status() != JoinResult.Status.JOINED) {
      return;
    }
    if (result.replayed() > 0) {
      replays.increment();
      replayedMessages.increment(result.replayed());
    }
    if (!result.recovered()) {
      gaps.increment();
    }
  }

  private static Counter sends(MeterRegistry registry, Tags common, String status, String error) {
    return Counter.builder("threadwire.sends")
        .description("Sends by outcome status and error kind")
        .tags(common)
        .tag("status", status)
        .tag("error", error)
        .register(registry);
  }

  private static Counter counter(MeterRegistry registry, Tags common, String name, String what) {
    return Counter.builder(name).description(what).tags(common).register(registry);
  }

  /** Returns an enum constant as a tag value: lower case, as Micrometer's conventions ask. */
  static String tag(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
