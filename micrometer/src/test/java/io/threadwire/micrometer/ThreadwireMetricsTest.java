package io.threadwire.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.inmemory.Fault;
import io.threadwire.inmemory.InMemoryClient;
import io.threadwire.inmemory.InMemoryThreadMessaging;
import io.threadwire.spi.MessagingListener.HandshakeRefusal;
import io.threadwire.spi.Since;
import io.threadwire.spi.TransportStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ThreadwireMetricsTest {

  private static final ThreadId ROOM = ThreadId.of("room");

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final ThreadwireMetrics metrics =
      ThreadwireMetrics.builder().statsMaxAge(Duration.ZERO).latencySampleInterval(1).build();
  private final InMemoryThreadMessaging messaging =
      InMemoryThreadMessaging.builder().listener(metrics.listener()).build();

  ThreadwireMetricsTest() {
    metrics.monitor(messaging.hub()::stats);
    metrics.bindTo(registry);
    messaging.start();
  }

  @AfterEach
  void close() {
    messaging.close();
  }

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  private SendOutcome send(String payload) {
    return messaging.sendAndWait(ROOM, Message.of(payload), SendOptions.defaults());
  }

  @Nested
  @DisplayName("sends")
  class Sends {

    @Test
    @DisplayName("are counted by outcome status, and timed, once each")
    void countedByStatus() {
      send("kept for later"); // QUEUED: nobody joined yet
      messaging.sendAndWait(ThreadId.of("other"), Message.of("x"), SendOptions.transientSend());
      InMemoryClient a = messaging.connect(UserId.of("a"));
      InMemoryClient b = messaging.connect(UserId.of("b"));
      a.join(ROOM);
      b.join(ROOM);
      send("to both");
      send("to both again");

      assertThat(count("threadwire.sends", "status", "queued", "error", "none")).isEqualTo(1);
      assertThat(count("threadwire.sends", "status", "no_recipients", "error", "none"))
          .isEqualTo(1);
      assertThat(count("threadwire.sends", "status", "delivered", "error", "none")).isEqualTo(2);
      // The transient send to a thread nobody tracks ends before the log: counted, not timed.
      assertThat(registry.get("threadwire.send.latency").functionTimer().count()).isEqualTo(3);
      assertThat(
              registry
                  .get("threadwire.send.latency")
                  .functionTimer()
                  .totalTime(TimeUnit.NANOSECONDS))
          .isPositive();
      assertThat(count("threadwire.deliveries")).isEqualTo(4);
      assertThat(count("threadwire.writes.failed")).isZero();
    }

    @Test
    @DisplayName("that fail are counted by error kind, and failed writes by connection")
    void errorsByKind() {
      InMemoryClient broken = messaging.connect(UserId.of("a"), Fault.FAIL_WRITES);
      InMemoryClient healthy = messaging.connect(UserId.of("b"));
      broken.join(ROOM);
      healthy.join(ROOM);
      assertThat(send("partly").deliveredCount()).isEqualTo(1);
      assertThat(count("threadwire.writes.failed")).isEqualTo(1);

      messaging.close();
      assertThat(send("too late").status()).isEqualTo(SendOutcome.Status.ERROR);
      assertThat(count("threadwire.sends", "status", "error", "error", "closed")).isEqualTo(1);
      assertThat(count("threadwire.sends", "status", "error", "error", "timeout")).isZero();
    }
  }

  @Nested
  @DisplayName("per-thread counting")
  class PerThread {

    @Test
    @DisplayName("a scrape after the senders finished sees every send of every thread")
    void everyThreadCounted() throws Exception {
      messaging.connect(UserId.of("a")).join(ROOM);
      int threads = 4;
      int sends = 500;
      List<Thread> started = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread th =
            new Thread(
                () -> {
                  for (int i = 0; i < sends; i++) {
                    send("x");
                  }
                });
        th.start();
        started.add(th);
      }
      for (Thread th : started) {
        th.join();
      }
      send("and one from here");
      assertThat(count("threadwire.sends", "status", "delivered", "error", "none"))
          .isEqualTo(threads * sends + 1);
      assertThat(count("threadwire.deliveries")).isEqualTo(threads * sends + 1);
      assertThat(registry.get("threadwire.send.latency").functionTimer().count())
          .isEqualTo(threads * sends + 1);
    }

    @Test
    @DisplayName("a thread that sent before the binder was bound is counted once it is")
    void recorderTakenBeforeBinding() {
      ThreadwireMetrics late = ThreadwireMetrics.builder().latencySampleInterval(1).build();
      InMemoryThreadMessaging m =
          InMemoryThreadMessaging.builder().listener(late.listener()).build();
      m.start();
      try {
        m.connect(UserId.of("a")).join(ROOM);
        m.sendAndWait(ROOM, Message.of("dropped"), SendOptions.defaults());
        MeterRegistry later = new SimpleMeterRegistry();
        late.bindTo(later);
        m.sendAndWait(ROOM, Message.of("counted"), SendOptions.defaults());
        assertThat(
                later.get("threadwire.sends").tag("status", "delivered").functionCounter().count())
            .isEqualTo(1);
        assertThat(later.get("threadwire.send.latency").functionTimer().count()).isEqualTo(1);
      } finally {
        m.close();
      }
    }
  }

  @Nested
  @DisplayName("latency sampling")
  class Sampling {

    @Test
    @DisplayName("by default times one send in 64: every send counted, fewer timed")
    void sampled() {
      MeterRegistry other = new SimpleMeterRegistry();
      ThreadwireMetrics sampled = ThreadwireMetrics.create();
      assertThat(sampled.listener().latencySampleInterval()).isEqualTo(64);
      sampled.bindTo(other);
      InMemoryThreadMessaging m =
          InMemoryThreadMessaging.builder().listener(sampled.listener()).build();
      m.start();
      try {
        m.connect(UserId.of("a")).join(ROOM); // sends that reach the log (early exits are untimed)
        for (int i = 0; i < 6400; i++) {
          m.sendAndWait(ROOM, Message.of("x"), SendOptions.transientSend());
        }
      } finally {
        m.close();
      }
      assertThat(other.get("threadwire.sends").tag("status", "delivered").functionCounter().count())
          .isEqualTo(6400);
      // 100 expected; the bounds are 7.5 standard deviations wide.
      assertThat(other.get("threadwire.send.latency").functionTimer().count())
          .isBetween(25.0, 175.0);
    }

    @Test
    @DisplayName("an untimed send (latency -1) is counted but not timed; a bad interval is refused")
    void untimed() {
      metrics.listener().sendCompleted(SendOutcome.noRecipients(), -1);
      assertThat(count("threadwire.sends", "status", "no_recipients", "error", "none"))
          .isEqualTo(1);
      assertThat(registry.get("threadwire.send.latency").functionTimer().count()).isZero();
      assertThatThrownBy(() -> ThreadwireMetrics.builder().latencySampleInterval(3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("power of two");
    }
  }

  @Nested
  @DisplayName("joins")
  class Joins {

    @Test
    @DisplayName("count replays and replayed messages, and gaps when recovery is incomplete")
    void replaysAndGaps() {
      send("one");
      send("two");
      InMemoryClient a = messaging.connect(UserId.of("a"));
      a.join(ROOM, Since.offset(0)); // replays both
      InMemoryClient b = messaging.connect(UserId.of("b"));
      b.join(ROOM, Since.position(99, 1)); // another epoch: a gap, everything replayed
      InMemoryClient c = messaging.connect(UserId.of("c"));
      c.join(ROOM); // no since: nothing replayed, no gap
      c.join(ROOM); // already joined

      assertThat(count("threadwire.joins", "status", "joined")).isEqualTo(3);
      assertThat(count("threadwire.joins", "status", "already_joined")).isEqualTo(1);
      assertThat(count("threadwire.replays")).isEqualTo(2);
      assertThat(count("threadwire.replayed.messages")).isEqualTo(4);
      assertThat(count("threadwire.gaps")).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("gauges")
  class Gauges {

    @Test
    @DisplayName("read connections, threads, memberships and history from the hub")
    void readTheHub() {
      send("12345");
      InMemoryClient a = messaging.connect(UserId.of("a"));
      a.join(ROOM);
      a.join(ThreadId.of("second"));
      messaging.connect(UserId.of("b"));

      assertThat(gauge("threadwire.connections")).isEqualTo(2);
      assertThat(gauge("threadwire.threads")).isEqualTo(2);
      assertThat(gauge("threadwire.memberships")).isEqualTo(2);
      assertThat(gauge("threadwire.history.messages")).isEqualTo(1);
      assertThat(gauge("threadwire.history.bytes")).isPositive();

      a.close();
      assertThat(gauge("threadwire.connections")).isEqualTo(1);
      assertThat(gauge("threadwire.memberships")).isZero();
    }

    @Test
    @DisplayName("read the transport's outbound queues")
    void readTheTransport() {
      MeterRegistry other = new SimpleMeterRegistry();
      ThreadwireMetrics m = ThreadwireMetrics.create();
      m.monitor(messaging.hub()::stats, new FixedQueues(7, 700));
      m.bindTo(other);
      assertThat(other.get("threadwire.outbound.queued.frames").gauge().value()).isEqualTo(7);
      assertThat(other.get("threadwire.outbound.queued.bytes").gauge().value()).isEqualTo(700);
    }

    @Test
    @DisplayName("serve one snapshot for the configured age, so a scrape walks the hub once")
    void snapshotIsKept() {
      MeterRegistry other = new SimpleMeterRegistry();
      int[] walks = {0};
      ThreadwireMetrics m = ThreadwireMetrics.builder().statsMaxAge(Duration.ofHours(1)).build();
      m.monitor(
          () -> {
            walks[0]++;
            return messaging.hub().stats();
          });
      m.bindTo(other);
      other.get("threadwire.connections").gauge().value();
      other.get("threadwire.threads").gauge().value();
      other.get("threadwire.history.bytes").gauge().value();
      assertThat(walks[0]).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("transport events")
  class TransportEvents {

    @Test
    @DisplayName("count slow consumers, rate-limited frames and refused handshakes by reason")
    void counted() {
      metrics.listener().slowConsumerCutOff();
      metrics.listener().frameRateLimited();
      metrics.listener().frameRateLimited();
      metrics.listener().handshakeRefused(HandshakeRefusal.NOT_AUTHENTICATED);
      metrics.listener().handshakeRefused(HandshakeRefusal.ORIGIN_NOT_ALLOWED);
      metrics.listener().handshakeRefused(HandshakeRefusal.NOT_AUTHENTICATED);

      assertThat(count("threadwire.slow.consumers")).isEqualTo(1);
      assertThat(count("threadwire.frames.rate.limited")).isEqualTo(2);
      assertThat(count("threadwire.handshakes.refused", "reason", "not_authenticated"))
          .isEqualTo(2);
      assertThat(count("threadwire.handshakes.refused", "reason", "origin_not_allowed"))
          .isEqualTo(1);
      assertThat(count("threadwire.handshakes.refused", "reason", "limit_reached")).isZero();
    }

    @Test
    @DisplayName("before the binder is bound are dropped, never fail")
    void unboundIsSilent() {
      ThreadwireMetrics unbound = ThreadwireMetrics.create();
      unbound.listener().slowConsumerCutOff();
      unbound.listener().sendCompleted(SendOutcome.noRecipients(), 10);
      MeterRegistry later = new SimpleMeterRegistry();
      unbound.bindTo(later);
      assertThat(later.get("threadwire.slow.consumers").functionCounter().count()).isZero();
      assertThat(later.get("threadwire.send.latency").functionTimer().count()).isZero();
    }
  }

  @Nested
  @DisplayName("naming")
  class Naming {

    @Test
    @DisplayName("every meter is dot-separated lower case under threadwire, with bounded tags")
    void conventions() {
      Set<String> tagKeys =
          registry.getMeters().stream()
              .flatMap(meter -> meter.getId().getTags().stream())
              .map(Tag::getKey)
              .collect(Collectors.toSet());
      assertThat(tagKeys).containsExactlyInAnyOrder("status", "error", "reason");
      for (Meter meter : registry.getMeters()) {
        assertThat(meter.getId().getName()).matches("threadwire(\\.[a-z]+)+");
      }
      assertThat(registry.find("threadwire.sends").functionCounters())
          .hasSize(3 + SendOutcome.ErrorKind.values().length);
    }

    @Test
    @DisplayName("configured percentiles and common tags appear on the latency timer")
    void percentilesAndTags() {
      MeterRegistry other = new SimpleMeterRegistry();
      ThreadwireMetrics withPercentiles =
          ThreadwireMetrics.builder().percentiles(0.5, 0.99).tags(Tags.of("role", "api")).build();
      withPercentiles.bindTo(other);
      withPercentiles.listener().sendCompleted(SendOutcome.noRecipients(), 2_000_000);
      assertThat(other.get("threadwire.send.latency").tag("role", "api").timer().count())
          .isEqualTo(1);
      assertThat(
              other
                  .get("threadwire.sends")
                  .tag("role", "api")
                  .tag("status", "no_recipients")
                  .functionCounter()
                  .count())
          .isEqualTo(1);
      assertThat(other.find("threadwire.send.latency.percentile").gauges()).hasSize(2);
    }

    @Test
    @DisplayName("refuses a second registry and a percentile outside [0, 1]")
    void refusals() {
      assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("CompositeMeterRegistry");
      assertThatThrownBy(() -> ThreadwireMetrics.builder().percentiles(1.5))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1.5");
    }
  }

  private record FixedQueues(long queuedFrames, long queuedBytes) implements TransportStats {}
}
