package io.threadwire.tyrus;

import static io.threadwire.testkit.SendOutcomeAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.threadwire.ConnectionId;
import io.threadwire.Message;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.ThreadId;
import io.threadwire.hub.HubSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("socket")
@DisplayName("Delivery over real sockets")
class DeliveryTest {

  private static final ThreadId ROOM = ThreadId.of("room-1");
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private TyrusThreadMessaging server(TyrusSettings settings) {
    TyrusThreadMessaging m = TyrusThreadMessaging.create(settings, HubSettings.defaults());
    m.start();
    open.add(m);
    return m;
  }

  private TestClient client(TyrusThreadMessaging m) {
    TestClient c = TestClient.connect(m.uri(), Map.of());
    open.add(c);
    return c;
  }

  static SendOutcome get(CompletableFuture<SendOutcome> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  static JsonNode join(TestClient c, ThreadId thread, Object... extra) {
    Object[] fields = new Object[2 + extra.length];
    fields[0] = "thread";
    fields[1] = thread.value();
    System.arraycopy(extra, 0, fields, 2, extra.length);
    return c.awaitRef(c.send("join", fields));
  }

  static List<Long> offsets(TestClient c) {
    return c.frames("message").stream().map(f -> f.path("offset").asLong()).toList();
  }

  @Test
  @DisplayName("two clients in one thread both get every message, in order")
  void twoClientsInOrder() throws Exception {
    TyrusThreadMessaging m = server(TyrusSettings.builder().port(0).build());
    TestClient a = client(m);
    TestClient b = client(m);
    assertThat(join(a, ROOM).path("type").asText()).isEqualTo("joined");
    assertThat(join(b, ROOM).path("type").asText()).isEqualTo("joined");
    List<CompletableFuture<SendOutcome>> sent = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      sent.add(m.send(ROOM, Message.of("{\"n\":" + i + "}")).toCompletableFuture());
    }
    for (CompletableFuture<SendOutcome> f : sent) {
      assertThat(get(f)).isDelivered().hasDeliveredCount(2).hasFailedCount(0);
    }
    List<Long> expected = LongStream.rangeClosed(1, 100).boxed().toList();
    for (TestClient c : List.of(a, b)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> c.frames("message").size() == 100);
      assertThat(offsets(c)).containsExactlyElementsOf(expected);
      assertThat(c.frames("message").get(41).path("payload").path("n").asInt()).isEqualTo(42);
    }
  }

  @Test
  @DisplayName("a client joining later with since recovers history, then gets live messages")
  void lateJoinerRecovers() throws Exception {
    TyrusThreadMessaging m = server(TyrusSettings.builder().port(0).build());
    for (int i = 1; i <= 3; i++) {
      assertThat(get(m.send(ROOM, Message.of("{\"n\":" + i + "}")).toCompletableFuture()))
          .isQueued()
          .hasOffset(i);
    }
    long epoch = join(client(m), ROOM).path("epoch").asLong();
    TestClient late = client(m);
    JsonNode joined = join(late, ROOM, "since", 1, "epoch", epoch);
    assertThat(joined.path("type").asText()).isEqualTo("joined");
    assertThat(joined.path("recovered").asBoolean()).isTrue();
    assertThat(joined.path("replayed").asInt()).isEqualTo(2);
    assertThat(joined.path("missed").asLong()).isZero();
    assertThat(joined.path("offset").asLong()).isEqualTo(3);
    assertThat(get(m.send(ROOM, Message.of("{\"n\":4}")).toCompletableFuture()))
        .isDelivered()
        .hasOffset(4);
    await().atMost(Duration.ofSeconds(20)).until(() -> late.frames("message").size() == 3);
    assertThat(offsets(late)).containsExactly(2L, 3L, 4L);
    List<String> types = late.frames().stream().map(f -> f.path("type").asText()).toList();
    assertThat(types).containsExactly("welcome", "joined", "message", "message", "message");
  }

  @Test
  @DisplayName("joining with since while messages are being sent: every offset once, in order")
  void joinDuringSends() throws Exception {
    TyrusThreadMessaging m = server(TyrusSettings.builder().port(0).build());
    int total = 900; // within the default history of 1000, so recovery is complete
    List<CompletableFuture<SendOutcome>> sent = new ArrayList<>();
    Thread sender =
        new Thread(
            () -> {
              for (int i = 1; i <= total; i++) {
                synchronized (sent) {
                  sent.add(m.send(ROOM, Message.of("{\"n\":" + i + "}")).toCompletableFuture());
                }
                // Paces the load so the join lands mid-stream; the assertions hold either way.
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
              }
            });
    sender.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> m.hub().stats().historyMessages() >= 50);
    TestClient c = client(m);
    JsonNode joined = join(c, ROOM, "since", 0);
    assertThat(joined.path("recovered").asBoolean()).isTrue();
    sender.join(30_000);
    await().atMost(Duration.ofSeconds(20)).until(() -> c.frames("message").size() == total);
    assertThat(offsets(c))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    synchronized (sent) {
      for (CompletableFuture<SendOutcome> f : sent) {
        assertThat(get(f).isAccepted()).isTrue();
      }
    }
  }

  @Test
  @DisplayName("a client whose epoch is stale is told recovery was incomplete and gets everything")
  void staleEpoch() throws Exception {
    TyrusThreadMessaging m = server(TyrusSettings.builder().port(0).build());
    get(m.send(ROOM, Message.of("{\"n\":1}")).toCompletableFuture());
    TestClient c = client(m);
    long epoch = join(c, ROOM).path("epoch").asLong();
    TestClient other = client(m);
    JsonNode joined = join(other, ROOM, "since", 1, "epoch", epoch + 1);
    assertThat(joined.path("recovered").asBoolean()).isFalse();
    await().atMost(Duration.ofSeconds(20)).until(() -> other.frames("message").size() == 1);
  }

  @Test
  @DisplayName("payloads arrive character for character: JSON embedded, other text as a string")
  void payloadsExact() throws Exception {
    TyrusThreadMessaging m = server(TyrusSettings.builder().port(0).build());
    TestClient c = client(m);
    join(c, ROOM);
    List<String> payloads =
        List.of(
            "{\"a\": [1, 2.50, {\"b\" : null}],  \"é\":\"\\u00e9\"}",
            "[ ]",
            "plain text with \"quotes\" and \\ and \n newline",
            "42",
            "{\"broken\": ",
            " {\"padded\":true}");
    for (String p : payloads) {
      get(
          m.send(ROOM, Message.builder(p).id("id-" + p.length()).metadata("k", "v").build())
              .toCompletableFuture());
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> c.frames("message").size() == 6);
    List<String> received =
        c.rawFrames().stream()
            .filter(f -> f.contains("\"type\":\"message\""))
            .map(TestClient::payloadText)
            .toList();
    assertThat(received).containsExactlyElementsOf(payloads);
    JsonNode first = c.frames("message").get(0);
    assertThat(first.path("metadata").path("k").asText()).isEqualTo("v");
    assertThat(first.has("payload")).isTrue();
    assertThat(c.frames("message").get(2).has("text")).isTrue();
  }

  @Test
  @DisplayName("a slow client whose queue overflows is cut off with 1013 and named as failed")
  void slowConsumerQueueFull() throws Exception {
    TyrusThreadMessaging m =
        server(
            TyrusSettings.builder()
                .port(0)
                .maxQueuedBytes(512 * 1024)
                .writeTimeout(Duration.ofMinutes(5))
                .build());
    TestClient fast = client(m);
    TestClient slow = client(m);
    ConnectionId slowId = ConnectionId.of(slow.connectionId());
    join(fast, ROOM);
    join(slow, ROOM);
    slow.pause();
    String big = "{\"pad\":\"" + "x".repeat(64 * 1024) + "\"}";
    List<CompletableFuture<SendOutcome>> sent = new ArrayList<>();
    // Enough to fill loopback socket buffers on both sides and then the 512 KiB queue. Sent in
    // batches of 4 (256 KiB) that the fast client takes before the next, so that only the slow
    // one can ever overflow, however loaded the machine is.
    for (int i = 0; i < 250 && !slow.isClosed() && m.connectionCount(ROOM) == 2; i++) {
      for (int k = 0; k < 4; k++) {
        sent.add(m.send(ROOM, Message.of(big)).toCompletableFuture());
      }
      int expected = sent.size() + 2; // welcome and joined first
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> fast.rawFrames().size() >= expected);
    }
    List<SendOutcome> outcomes = new ArrayList<>();
    for (CompletableFuture<SendOutcome> f : sent) {
      outcomes.add(get(f));
    }
    assertThat(outcomes).allSatisfy(o -> assertThat(o).isDelivered());
    assertThat(outcomes)
        .anySatisfy(o -> assertThat(o).hasDeliveredCount(1).hasFailedConnection(slowId));
    assertThat(m.connectionCount(ROOM)).isEqualTo(1);
    assertThat(get(m.send(ROOM, Message.of("{\"after\":true}")).toCompletableFuture()))
        .isDelivered()
        .hasDeliveredCount(1)
        .hasFailedCount(0);
    int total = sent.size() + 1;
    await().atMost(Duration.ofSeconds(30)).until(() -> fast.rawFrames().size() == total + 2);
    slow.resume();
    assertThat(slow.awaitClose()).isEqualTo(1013);
  }

  @Test
  @DisplayName(
      "since without epoch after a restart: recovered=false, the new history from offset 1, the"
          + " new epoch (issue 12)")
  void sinceWithoutEpochAfterRestart() throws Exception {
    TyrusThreadMessaging before = server(TyrusSettings.builder().port(0).build());
    for (int i = 1; i <= 5; i++) {
      get(before.send(ROOM, Message.of("{\"old\":" + i + "}")).toCompletableFuture());
    }
    TestClient old = client(before);
    JsonNode first = join(old, ROOM, "since", 0);
    long oldEpoch = first.path("epoch").asLong();
    await().atMost(Duration.ofSeconds(20)).until(() -> old.frames("message").size() == 5);
    before.close();
    // The restart: a new history (new epoch) whose offsets 1..5 the client has never seen.
    TyrusThreadMessaging after = server(TyrusSettings.builder().port(0).build());
    for (int i = 1; i <= 7; i++) {
      get(after.send(ROOM, Message.of("{\"new\":" + i + "}")).toCompletableFuture());
    }
    TestClient back = client(after);
    JsonNode joined = join(back, ROOM, "since", 5); // an old client: no epoch
    assertThat(joined.path("type").asText()).isEqualTo("joined");
    assertThat(joined.path("recovered").asBoolean()).isFalse();
    assertThat(joined.path("missed").asLong()).isPositive();
    assertThat(joined.path("epoch").asLong()).isNotEqualTo(oldEpoch);
    assertThat(joined.path("offset").asLong()).isEqualTo(7);
    await().atMost(Duration.ofSeconds(20)).until(() -> back.frames("message").size() == 7);
    assertThat(offsets(back)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
  }

  @Test
  @DisplayName("a slow client whose write stalls past the write timeout is cut off with 1013")
  void slowConsumerWriteTimeout() throws Exception {
    TyrusThreadMessaging m =
        server(TyrusSettings.builder().port(0).writeTimeout(Duration.ofSeconds(1)).build());
    TestClient fast = client(m);
    TestClient slow = client(m);
    ConnectionId slowId = ConnectionId.of(slow.connectionId());
    join(fast, ROOM);
    join(slow, ROOM);
    slow.pause();
    String big = "{\"pad\":\"" + "x".repeat(64 * 1024) + "\"}";
    SendOutcome cut = null;
    for (int i = 0; i < 1000 && cut == null; i++) {
      SendOutcome o = get(m.send(ROOM, Message.of(big)).toCompletableFuture());
      assertThat(o).isDelivered();
      if (o.failedCount() > 0 || o.unconfirmedCount() > 0) {
        cut = o;
      }
    }
    assertThat(cut).as("the slow client was cut off within the loop").isNotNull();
    // The frame in flight when the slow client was cut may have reached it: unconfirmed, not
    // failed; a frame still queued behind it would be failed, and named.
    assertThat(cut).hasDeliveredCount(1);
    assertThat(cut.failedCount() + cut.unconfirmedCount()).isEqualTo(1);
    if (cut.failedCount() > 0) {
      assertThat(cut).hasFailedConnection(slowId);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> m.connectionCount(ROOM) == 1);
    assertThat(get(m.send(ROOM, Message.of("{}")).toCompletableFuture()))
        .isDelivered()
        .hasFailedCount(0);
    slow.resume();
    assertThat(slow.awaitClose()).isEqualTo(1013);
    assertThat(fast.isClosed()).isFalse();
  }

  @Test
  @DisplayName("a stopped server answers sends with ERROR and closes its clients with 1001")
  void stoppedServer() throws Exception {
    TyrusThreadMessaging m = server(TyrusSettings.builder().port(0).build());
    TestClient c = client(m);
    join(c, ROOM);
    m.close();
    assertThat(get(m.send(ROOM, Message.of("{}")).toCompletableFuture())).isError(ErrorKind.CLOSED);
    assertThat(c.awaitClose()).isEqualTo(1001);
  }

  @Test
  @DisplayName("a server not yet started answers sends with ERROR, never an exception")
  void notStarted() throws Exception {
    TyrusThreadMessaging m = TyrusThreadMessaging.create(TyrusSettings.builder().port(0).build());
    open.add(m);
    assertThat(get(m.send(ROOM, Message.of("{}")).toCompletableFuture()))
        .isError(ErrorKind.NOT_STARTED);
  }
}
