package io.threadwire.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.threadwire.HistoryPolicy;
import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.SendOutcome.Status;
import io.threadwire.ThreadId;
import io.threadwire.ThreadMessaging.State;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.Since;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadHubTest {

  private static final ThreadId ROOM = ThreadId.of("room");
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private ThreadHub hub = hub(HubSettings.defaults());

  private ThreadHub hub(HubSettings settings) {
    return ThreadHub.builder((t, e, o, m) -> t + "/" + o + "/" + m.payload())
        .settings(settings)
        .clock(clock)
        .build();
  }

  @AfterEach
  void close() {
    hub.close();
  }

  private static SendOutcome get(java.util.concurrent.CompletionStage<SendOutcome> s) {
    return s.toCompletableFuture().join();
  }

  @Test
  void sendBeforeStartIsNotStartedError() {
    SendOutcome o = get(hub.send(ROOM, Message.of("x")));
    assertThat(o.errorKind()).contains(ErrorKind.NOT_STARTED);
    assertThat(hub.state()).isEqualTo(State.NEW);
  }

  @Test
  void cannotRestartAfterClose() {
    hub.start();
    hub.close();
    hub.close();
    assertThatThrownBy(hub::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void encodesOnceAndSharesTheFrame() {
    int[] encodes = {0};
    hub =
        ThreadHub.builder(
                (t, e, o, m) -> {
                  encodes[0]++;
                  return m.payload();
                })
            .clock(clock)
            .build();
    hub.start();
    TestConnection a = new TestConnection("a", "u1");
    TestConnection b = new TestConnection("b", "u2");
    hub.register(a);
    hub.register(b);
    hub.join(a.id(), ROOM, Since.none());
    hub.join(b.id(), ROOM, Since.none());
    assertThat(get(hub.send(ROOM, Message.of("x"))).deliveredCount()).isEqualTo(2);
    assertThat(encodes[0]).isEqualTo(1);
    assertThat(a.frames.get(0)).isSameAs(b.frames.get(0));
  }

  @Test
  void encodingFailureIsAnErrorAndSendsNothing() {
    hub =
        ThreadHub.builder(
                (t, e, o, m) -> {
                  throw new IllegalStateException("cannot encode");
                })
            .clock(clock)
            .build();
    hub.start();
    TestConnection c = new TestConnection("c", "u");
    hub.register(c);
    hub.join(c.id(), ROOM, Since.none());
    SendOutcome o = get(hub.send(ROOM, Message.of("x")));
    assertThat(o.errorKind()).contains(ErrorKind.ENCODING_FAILED);
    assertThat(o.reason()).contains("could not encode").contains("kept in history at offset 1");
    assertThat(c.frames).isEmpty();
  }

  @Test
  void joinedIsAnnouncedBeforeReplay() {
    hub.start();
    get(hub.send(ROOM, Message.of("1")));
    get(hub.send(ROOM, Message.of("2")));
    TestConnection c = new TestConnection("c", "u");
    hub.register(c);
    JoinResult r = hub.join(c.id(), ROOM, Since.offset(0));
    assertThat(r.status()).isEqualTo(JoinResult.Status.JOINED);
    assertThat(r.replayed()).isEqualTo(2);
    assertThat(c.joins).containsExactly(r);
    assertThat(c.offsets()).containsExactly(1L, 2L);
    assertThat(hub.join(c.id(), ROOM, Since.offset(0)).status())
        .isEqualTo(JoinResult.Status.ALREADY_JOINED);
    assertThat(c.offsets()).containsExactly(1L, 2L);
  }

  @Test
  void aStaleEpochReplaysEverythingAndReportsTheGap() {
    hub.start();
    get(hub.send(ROOM, Message.of("1")));
    TestConnection c = new TestConnection("c", "u");
    hub.register(c);
    JoinResult r = hub.join(c.id(), ROOM, Since.position(12345, 7));
    assertThat(r.recovered()).isFalse();
    assertThat(r.missed()).isPositive();
    assertThat(c.offsets()).containsExactly(1L);
  }

  @Test
  void unregisterLeavesEveryThread() {
    hub.start();
    TestConnection c = new TestConnection("c", "u");
    hub.register(c);
    hub.join(c.id(), ThreadId.of("a"), Since.none());
    hub.join(c.id(), ThreadId.of("b"), Since.none());
    assertThat(hub.joinedThreads(c.id())).hasSize(2);
    hub.unregister(c.id());
    assertThat(hub.connectionCount(ThreadId.of("a"))).isZero();
    assertThat(hub.connectionCount(ThreadId.of("b"))).isZero();
    assertThat(hub.joinedThreads(c.id())).isEmpty();
    assertThatThrownBy(() -> hub.join(c.id(), ROOM, Since.none()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not registered");
  }

  @Test
  void registeringTheSameIdTwiceIsRefused() {
    hub.register(new TestConnection("c", "u"));
    assertThatThrownBy(() -> hub.register(new TestConnection("c", "u")))
        .hasMessageContaining("already registered");
  }

  @Test
  void closeCompletesSendsInFlight() {
    hub.start();
    TestConnection c = new TestConnection("c", "u");
    c.hold = true;
    hub.register(c);
    hub.join(c.id(), ROOM, Since.none());
    CompletableFuture<SendOutcome> f = hub.send(ROOM, Message.of("x")).toCompletableFuture();
    assertThat(f.isDone()).isFalse();
    assertThat(hub.stats().inFlightSends()).isEqualTo(1);
    hub.close();
    assertThat(f.join().errorKind()).contains(ErrorKind.CLOSED);
    assertThat(f.join().offset()).hasValue(1);
    assertThat(f.join().unconfirmedCount()).isEqualTo(1);
    assertThat(f.join().failedCount()).isZero();
  }

  @Test
  void lateAcknowledgementsAfterTimeoutAreIgnored() {
    hub.start();
    TestConnection c = new TestConnection("c", "u");
    c.hold = true;
    hub.register(c);
    hub.join(c.id(), ROOM, Since.none());
    CompletableFuture<SendOutcome> f =
        hub.send(ROOM, Message.of("x"), SendOptions.defaults().withTimeout(Duration.ofMillis(1)))
            .toCompletableFuture();
    hub.close();
    SendOutcome first = f.join();
    c.held.forEach(cb -> cb.delivered(c));
    assertThat(f.join()).isSameAs(first);
  }

  @Test
  void idempotencyKeysAreForgottenAfterTheWindow() {
    ManualTime time = new ManualTime();
    hub =
        ThreadHub.builder((t, e, o, m) -> m.payload())
            .settings(HubSettings.defaults().withIdempotency(Duration.ofMinutes(1), 10))
            .clock(time)
            .build();
    hub.start();
    Message m = Message.builder("x").idempotencyKey("k").build();
    assertThat(get(hub.send(ROOM, m)).offset()).hasValue(1);
    assertThat(get(hub.send(ROOM, m)).isDuplicate()).isTrue();
    time.advance(Duration.ofMinutes(2));
    hub.runMaintenance();
    SendOutcome again = get(hub.send(ROOM, m));
    assertThat(again.isDuplicate()).isFalse();
    assertThat(again.offset()).hasValue(2);
  }

  @Test
  void idempotencyKeysAreBoundedPerThread() {
    hub = hub(HubSettings.defaults().withIdempotency(Duration.ofMinutes(1), 3));
    hub.start();
    for (int i = 0; i < 10; i++) {
      get(hub.send(ROOM, Message.builder("x").idempotencyKey("k" + i).build()));
    }
    assertThat(hub.stats().idempotencyKeys()).isEqualTo(3);
    SendOutcome oldest = get(hub.send(ROOM, Message.builder("x").idempotencyKey("k0").build()));
    assertThat(oldest.isDuplicate()).isFalse();
  }

  @Test
  void historyOffAndTransientSendsGetNoOffset() {
    hub = hub(HubSettings.defaults().withHistoryPolicy(HistoryPolicy.disabled()));
    hub.start();
    TestConnection c = new TestConnection("c", "u");
    hub.register(c);
    hub.join(c.id(), ROOM, Since.none());
    SendOutcome o = get(hub.send(ROOM, Message.of("x")));
    assertThat(o.status()).isEqualTo(Status.DELIVERED);
    assertThat(o.offset()).isEmpty();
    assertThat(c.frames.get(0).offset()).isZero();
  }

  @Test
  void aTransientSendToAnUnknownThreadCreatesNoState() {
    hub.start();
    for (int i = 0; i < 100; i++) {
      get(hub.send(ThreadId.of("probe-" + i), Message.of("x"), SendOptions.transientSend()));
    }
    assertThat(hub.stats().threads()).isZero();
  }

  @Test
  void invalidSettingsNameTheSetting() {
    assertThatThrownBy(() -> HubSettings.defaults().withSendTimeout(Duration.ZERO))
        .hasMessageContaining("sendTimeout");
    assertThatThrownBy(() -> HubSettings.defaults().withMaxThreadsPerConnection(0))
        .hasMessageContaining("maxThreadsPerConnection");
    assertThatThrownBy(() -> HistoryPolicy.defaults().withMaxMessages(0))
        .hasMessageContaining("maxMessages");
  }

  /** A minimal manual clock; the published one lives in the test kit, which depends on core. */
  static final class ManualTime extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
