package io.threadwire.tyrus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.threadwire.Message;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.MessagingListener;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("socket")
@DisplayName("The server tells its MessagingListener what only the transport sees")
class TransportEventsTest {

  private static final ThreadId ROOM = ThreadId.of("room");
  private final Recording events = new Recording();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private TyrusThreadMessaging server(TyrusSettings settings) {
    TyrusThreadMessaging m =
        TyrusThreadMessaging.builder(settings)
            .authenticator(
                HandshakeAuthenticator.bearerTokens(
                    token -> token.equals("ok") ? Optional.of(UserId.of("ada")) : Optional.empty()))
            .listener(events)
            .build();
    m.start();
    open.add(m);
    return m;
  }

  private TestClient client(TyrusThreadMessaging m) {
    TestClient c = TestClient.connect(m.uri(), Map.of("Authorization", "Bearer ok"));
    open.add(c);
    return c;
  }

  @Test
  @DisplayName("refused handshakes by reason: origin, credentials, path")
  void handshakesRefused() {
    TyrusThreadMessaging m =
        server(TyrusSettings.builder().port(0).allowedOrigins(List.of("http://good")).build());
    URI uri = m.uri();
    assertThat(
            TestClient.connectFailure(
                uri, Map.of("Authorization", "Bearer ok", "Origin", "http://evil")))
        .isNotNull();
    assertThat(TestClient.connectFailure(uri, Map.of("Authorization", "Bearer nope"))).isNotNull();
    assertThat(TestClient.connectFailure(uri, Map.of())).isNotNull();
    assertThat(
            TestClient.connectFailure(
                uri.resolve("/elsewhere"), Map.of("Authorization", "Bearer ok")))
        .isNotNull();
    assertThat(
            TestClient.connectFailure(
                uri, Map.of("Authorization", "Bearer ok", "Origin", "http://good")))
        .isNull();

    assertThat(events.refused(MessagingListener.HandshakeRefusal.ORIGIN_NOT_ALLOWED)).isEqualTo(1);
    assertThat(events.refused(MessagingListener.HandshakeRefusal.NOT_AUTHENTICATED)).isEqualTo(2);
    assertThat(events.refused(MessagingListener.HandshakeRefusal.UNKNOWN_PATH)).isEqualTo(1);
    assertThat(events.refused(MessagingListener.HandshakeRefusal.OTHER)).isZero();
  }

  @Test
  @DisplayName("every frame refused by the rate limit, the ones before the abuse close included")
  void rateLimited() {
    TyrusThreadMessaging m =
        server(
            TyrusSettings.builder()
                .port(0)
                .rateLimit(new TyrusSettings.RateLimit(1, Duration.ofHours(1), 5, 3))
                .build());
    TestClient c = client(m);
    for (int i = 0; i < 5; i++) {
      assertThat(c.awaitRef(c.send("ping")).path("type").asText()).isEqualTo("pong");
    }
    assertThat(events.rateLimited.get()).isZero();
    c.send("ping");
    c.send("ping");
    c.send("ping");
    assertThat(c.awaitClose()).isEqualTo(1008);
    assertThat(events.rateLimited.get()).isEqualTo(3);
  }

  @Test
  @DisplayName("a slow consumer cut off for a full queue, once; sends and joins come from the hub")
  void slowConsumer() throws Exception {
    TyrusThreadMessaging m =
        server(
            TyrusSettings.builder()
                .port(0)
                .maxQueuedBytes(512 * 1024)
                .writeTimeout(Duration.ofMinutes(5))
                .build());
    TestClient fast = client(m);
    TestClient slow = client(m);
    DeliveryTest.join(fast, ROOM);
    DeliveryTest.join(slow, ROOM);
    slow.pause();
    String big = "{\"pad\":\"" + "x".repeat(64 * 1024) + "\"}";
    List<CompletableFuture<SendOutcome>> sent = new ArrayList<>();
    // As in DeliveryTest: batches the fast client takes before the next, so only the slow one
    // can overflow.
    for (int i = 0; i < 250 && !slow.isClosed() && m.connectionCount(ROOM) == 2; i++) {
      for (int k = 0; k < 4; k++) {
        sent.add(m.send(ROOM, Message.of(big)).toCompletableFuture());
      }
      int expected = sent.size() + 2;
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> fast.rawFrames().size() >= expected);
    }
    for (CompletableFuture<SendOutcome> f : sent) {
      DeliveryTest.get(f);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> events.slowConsumers.get() == 1);
    assertThat(m.connectionCount(ROOM)).isEqualTo(1);
    assertThat(events.sends.get()).isEqualTo(sent.size());
    assertThat(events.joins.get()).isEqualTo(2);
    slow.resume();
    assertThat(slow.awaitClose()).isEqualTo(1013);
    assertThat(events.slowConsumers.get()).isEqualTo(1);
  }

  @Test
  @DisplayName("the outbound queue gauges read zero when every frame is written")
  void queuesDrain() {
    TyrusThreadMessaging m = server(TyrusSettings.builder().port(0).build());
    TestClient c = client(m);
    DeliveryTest.join(c, ROOM);
    m.sendAndWait(ROOM, Message.of("{}"), io.threadwire.SendOptions.defaults());
    await().atMost(Duration.ofSeconds(10)).until(() -> !c.frames("message").isEmpty());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> m.transportStats().queuedFrames() == 0 && m.transportStats().queuedBytes() == 0);
  }

  /** Counts what it hears. */
  private static final class Recording implements MessagingListener {
    final AtomicInteger sends = new AtomicInteger();
    final AtomicInteger joins = new AtomicInteger();
    final AtomicInteger slowConsumers = new AtomicInteger();
    final AtomicInteger rateLimited = new AtomicInteger();
    final Map<HandshakeRefusal, AtomicInteger> refused = new ConcurrentHashMap<>();

    @Override
    public void sendCompleted(SendOutcome outcome, long latencyNanos) {
      sends.incrementAndGet();
    }

    @Override
    public void joined(JoinResult result) {
      joins.incrementAndGet();
    }

    @Override
    public void slowConsumerCutOff() {
      slowConsumers.incrementAndGet();
    }

    @Override
    public void frameRateLimited() {
      rateLimited.incrementAndGet();
    }

    @Override
    public void handshakeRefused(HandshakeRefusal reason) {
      refused.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
    }

    int refused(HandshakeRefusal reason) {
      AtomicInteger n = refused.get(reason);
      return n == null ? 0 : n.get();
    }
  }
}
