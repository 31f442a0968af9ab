package io.threadwire.tyrus;

import static io.threadwire.testkit.SendOutcomeAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.threadwire.Message;
import io.threadwire.ThreadId;
import io.threadwire.hub.HubSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("socket")
@DisplayName("Bad input gets its documented error or close code, and disturbs nobody else")
class BadInputTest {

  private static final ThreadId ROOM = ThreadId.of("room-1");
  private final List<AutoCloseable> open = new ArrayList<>();
  private TyrusThreadMessaging server;
  private TestClient bystander;

  @BeforeEach
  void start() {
    server =
        TyrusThreadMessaging.builder(
                TyrusSettings.builder()
                    .port(0)
                    .maxFrameBytes(1024)
                    .rateLimit(new TyrusSettings.RateLimit(1, Duration.ofHours(1), 5, 3))
                    .build())
            .hubSettings(HubSettings.defaults().withMaxThreadsPerConnection(2))
            .accessPolicy((user, thread) -> !thread.value().startsWith("secret"))
            .build();
    server.start();
    open.add(server);
    bystander = client();
    DeliveryTest.join(bystander, ROOM);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private TestClient client() {
    TestClient c = TestClient.connect(server.uri(), Map.of());
    open.add(c);
    return c;
  }

  /** Checks that the bystander still gets messages and the offender's connection still works. */
  private void everyoneStillFine(TestClient offender) throws Exception {
    assertThat(DeliveryTest.get(server.send(ROOM, Message.of("{}")).toCompletableFuture()))
        .isDelivered()
        .hasDeliveredCount(1);
    await().atMost(Duration.ofSeconds(20)).until(() -> !bystander.frames("message").isEmpty());
    if (offender != null) {
      String ref = offender.send("ping");
      assertThat(offender.awaitRef(ref).path("type").asText()).isEqualTo("pong");
    }
  }

  static Stream<Arguments> badFrames() {
    return Stream.of(
        Arguments.of("{not json", "malformed_json"),
        Arguments.of("[1,2]", "malformed_json"),
        Arguments.of("\"join\"", "malformed_json"),
        Arguments.of("{\"type\":\"join\",\"thread\":\"a\"} trailing", "malformed_json"),
        Arguments.of("{\"type\":\"dance\",\"ref\":\"x\"}", "unknown_type"),
        Arguments.of("{\"thread\":\"a\",\"ref\":\"x\"}", "missing_field"),
        Arguments.of("{\"type\":\"join\",\"ref\":\"x\"}", "missing_field"),
        Arguments.of("{\"type\":\"leave\",\"ref\":\"x\"}", "missing_field"),
        Arguments.of(
            "{\"type\":\"join\",\"thread\":\"no spaces!\",\"ref\":\"x\"}", "invalid_thread"),
        Arguments.of("{\"type\":\"join\",\"thread\":\"\",\"ref\":\"x\"}", "invalid_thread"),
        Arguments.of("{\"type\":\"join\",\"thread\":7,\"ref\":\"x\"}", "invalid_field"),
        Arguments.of(
            "{\"type\":\"join\",\"thread\":\"a\",\"since\":-1,\"ref\":\"x\"}", "invalid_field"),
        Arguments.of(
            "{\"type\":\"join\",\"thread\":\"a\",\"since\":1.5,\"ref\":\"x\"}", "invalid_field"),
        Arguments.of("{\"type\":3,\"ref\":\"x\"}", "invalid_field"),
        Arguments.of(
            "{\"type\":\"ping\",\"ref\":" + "\"" + "r".repeat(65) + "\"}", "invalid_field"),
        Arguments.of("{\"type\":\"join\",\"thread\":{},\"ref\":\"x\"}", "invalid_field"),
        Arguments.of("{\"ref\":\"x\",\"type\":\"join\",\"thread\":[\"a\"]}", "invalid_field"),
        Arguments.of(
            "{\"type\":\"join\",\"thread\":\"a\",\"since\":[1],\"ref\":\"x\"}", "invalid_field"),
        Arguments.of(
            "{\"type\":\"join\",\"thread\":\"a\",\"epoch\":{\"a\":1},\"ref\":\"x\"}",
            "invalid_field"),
        Arguments.of("{\"type\":{\"t\":\"join\"},\"ref\":\"x\"}", "invalid_field"),
        Arguments.of("{\"type\":\"ping\",\"ref\":{}}", "invalid_field"),
        Arguments.of("{\"type\":\"ping\",\"ref\":[\"x\"]}", "invalid_field"),
        Arguments.of(
            "{\"type\":\"join\",\"thread\":\"a\",\"since\":99999999999999999999,\"ref\":\"x\"}",
            "invalid_field"),
        Arguments.of("{\"ref\":\"x\",\"type\":\"ping\",\"type\":\"join\"}", "malformed_json"),
        Arguments.of("{\"ref\":\"x\",\"type\":\"ping\" oops", "malformed_json"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("badFrames")
  @DisplayName("a bad frame gets an error frame with a stable code; the connection goes on")
  void badFrame(String frame, String code) throws Exception {
    TestClient c = client();
    c.sendText(frame);
    JsonNode error = c.await(f -> "error".equals(f.path("type").asText()));
    assertThat(error.path("code").asText()).isEqualTo(code);
    assertThat(error.path("reason").asText()).isNotBlank().doesNotContain("Exception");
    if (frame.contains("\"ref\":\"x\"")) {
      assertThat(error.path("ref").asText()).isEqualTo("x");
    }
    everyoneStillFine(c);
  }

  @Test
  @DisplayName("a binary frame gets malformed_json; the connection goes on")
  void binaryFrame() throws Exception {
    TestClient c = client();
    c.sendBinary(new byte[] {1, 2, 3});
    JsonNode error = c.await(f -> "error".equals(f.path("type").asText()));
    assertThat(error.path("code").asText()).isEqualTo("malformed_json");
    everyoneStillFine(c);
  }

  @Test
  @DisplayName("a WebSocket handshake to another path gets a complete 404")
  void wrongPath() {
    Throwable failure =
        TestClient.connectFailure(
            java.net.URI.create(server.uri().toString().replace("/threads", "/other")), Map.of());
    assertThat(failure).isInstanceOf(java.net.http.WebSocketHandshakeException.class);
    assertThat(((java.net.http.WebSocketHandshakeException) failure).getResponse().statusCode())
        .isEqualTo(404);
  }

  @Test
  @DisplayName("joining a forbidden thread is refused and its messages never arrive")
  void forbiddenThread() throws Exception {
    TestClient c = client();
    JsonNode reply = DeliveryTest.join(c, ThreadId.of("secret-1"));
    assertThat(reply.path("type").asText()).isEqualTo("error");
    assertThat(reply.path("code").asText()).isEqualTo("forbidden_thread");
    assertThat(reply.path("thread").asText()).isEqualTo("secret-1");
    assertThat(server.connectionCount(ThreadId.of("secret-1"))).isZero();
    server.send(ThreadId.of("secret-1"), Message.of("{\"secret\":true}"));
    DeliveryTest.join(c, ROOM);
    assertThat(DeliveryTest.get(server.send(ROOM, Message.of("{}")).toCompletableFuture()))
        .hasDeliveredCount(2);
    await().atMost(Duration.ofSeconds(20)).until(() -> c.frames("message").size() == 1);
    assertThat(c.frames("message").get(0).path("thread").asText()).isEqualTo("room-1");
  }

  @Test
  @DisplayName("joining more threads than allowed gets too_many_threads; joined threads go on")
  void tooManyThreads() throws Exception {
    TestClient c = client();
    assertThat(DeliveryTest.join(c, ThreadId.of("t1")).path("type").asText()).isEqualTo("joined");
    assertThat(DeliveryTest.join(c, ThreadId.of("t2")).path("type").asText()).isEqualTo("joined");
    JsonNode third = DeliveryTest.join(c, ThreadId.of("t3"));
    assertThat(third.path("code").asText()).isEqualTo("too_many_threads");
    assertThat(server.connectionCount(ThreadId.of("t3"))).isZero();
    assertThat(DeliveryTest.join(c, ThreadId.of("t1")).path("type").asText())
        .as("joining again is acknowledged, not refused")
        .isEqualTo("joined");
    everyoneStillFine(c);
  }

  @Test
  @DisplayName("leaving is acknowledged and stops delivery; leaving again is harmless")
  void leave() throws Exception {
    TestClient c = client();
    DeliveryTest.join(c, ThreadId.of("t1"));
    assertThat(c.awaitRef(c.send("leave", "thread", "t1")).path("type").asText()).isEqualTo("left");
    assertThat(c.awaitRef(c.send("leave", "thread", "t1")).path("type").asText()).isEqualTo("left");
    assertThat(server.connectionCount(ThreadId.of("t1"))).isZero();
    assertThat(
            DeliveryTest.get(
                server.send(ThreadId.of("t1"), Message.of("{}")).toCompletableFuture()))
        .isQueued();
    everyoneStillFine(c);
    assertThat(c.frames("message")).as("nothing of a thread it left").isEmpty();
  }

  @Test
  @DisplayName("a frame larger than the maximum closes the connection with 1009")
  void frameTooBig() throws Exception {
    TestClient c = client();
    c.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(2000) + "\"}");
    assertThat(c.awaitClose()).isEqualTo(1009);
    everyoneStillFine(null);
  }

  @Test
  @DisplayName("a message in frames each under the maximum but larger in total closes with 1009")
  void fragmentedMessageTooBig() throws Exception {
    TestClient c = client();
    String x = "x".repeat(600);
    c.sendFragments("{\"type\":\"ping\",\"pad\":\"" + x, x, x + "\"}");
    assertThat(c.awaitClose()).isEqualTo(1009);
    everyoneStillFine(null);
  }

  @Test
  @DisplayName("a frame far larger than Tyrus's read buffer is refused from its header with 1009")
  void hugeFrame() throws Exception {
    TestClient c = client();
    c.sendTextNoWait("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(6 * 1024 * 1024) + "\"}");
    assertThat(c.awaitClose()).isEqualTo(1009);
    everyoneStillFine(null);
  }

  @Test
  @DisplayName("frames beyond the rate limit get rate_limited, then abuse closes with 1008")
  void rateLimited() throws Exception {
    TestClient c = client();
    for (int i = 0; i < 5; i++) {
      String ref = c.send("ping");
      assertThat(c.awaitRef(ref).path("type").asText()).isEqualTo("pong");
    }
    c.send("ping");
    JsonNode limited = c.await(f -> "error".equals(f.path("type").asText()));
    assertThat(limited.path("code").asText()).isEqualTo("rate_limited");
    c.send("ping");
    c.send("ping");
    assertThat(c.awaitClose()).isEqualTo(1008);
    everyoneStillFine(null);
  }
}
