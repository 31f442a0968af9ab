package io.threadwire.tyrus;

import static io.threadwire.testkit.SendOutcomeAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.threadwire.ConnectionId;
import io.threadwire.Message;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.hub.HubSettings;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.TransportConnection;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The codes of {@code PROTOCOL.md} that answer a failure of the server rather than bad input:
 * {@code unavailable}, {@code internal_error} and close 1011, each provoked through public API.
 */
@Tag("socket")
@DisplayName("Server-side failures get their documented error or close code")
class ServerFailureTest {

  private static final ThreadId ROOM = ThreadId.of("room-1");
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private TyrusThreadMessaging server(TyrusThreadMessaging.Builder builder) {
    TyrusThreadMessaging m = builder.build();
    m.start();
    open.add(m);
    return m;
  }

  private TestClient client(TyrusThreadMessaging m) {
    TestClient c = TestClient.connect(m.uri(), Map.of());
    open.add(c);
    return c;
  }

  private static void stillWorks(TestClient c) {
    String ref = c.send("ping");
    assertThat(c.awaitRef(ref).path("type").asText()).isEqualTo("pong");
  }

  @Test
  @DisplayName("a join once the hub has stopped gets unavailable; the stop then closes with 1001")
  void unavailable() throws Exception {
    TyrusThreadMessaging m =
        server(TyrusThreadMessaging.builder(TyrusSettings.builder().port(0).build()));
    TestClient c = client(m);
    c.connectionId();
    // What a stopping server's connections see between the hub's close and their own: the hub no
    // longer takes joins while the socket is still open.
    m.hub().close();

    String ref = c.send("join", "thread", ROOM.value());
    JsonNode reply = c.awaitRef(ref);

    assertThat(reply.path("type").asText()).isEqualTo("error");
    assertThat(reply.path("code").asText()).isEqualTo("unavailable");
    assertThat(reply.path("thread").asText()).isEqualTo(ROOM.value());
    assertThat(reply.path("reason").asText()).isNotBlank().doesNotContain("Exception");
    assertThat(m.connectionCount(ROOM)).isZero();
    stillWorks(c);
    assertThat(DeliveryTest.get(m.send(ROOM, Message.of("{}")).toCompletableFuture()))
        .isError(ErrorKind.CLOSED);
    m.close();
    assertThat(c.awaitClose()).isEqualTo(1001);
  }

  @Test
  @DisplayName(
      "an unexpected failure while processing a join gets internal_error; the connection goes on")
  void internalError() throws Exception {
    // A clock that fails on demand stands in for any unexpected failure inside the hub's join (a
    // bug, a broken history store): the join reads the clock; maintenance, which also would, is
    // kept out of the way.
    FailingClock clock = new FailingClock();
    TyrusThreadMessaging m =
        server(
            TyrusThreadMessaging.builder(TyrusSettings.builder().port(0).build())
                .clock(clock)
                .hubSettings(HubSettings.defaults().withMaintenanceInterval(Duration.ofHours(1))));
    TestClient c = client(m);
    c.connectionId();

    clock.failing = true;
    JsonNode reply;
    try {
      reply = DeliveryTest.join(c, ROOM);
    } finally {
      clock.failing = false;
    }

    assertThat(reply.path("type").asText()).isEqualTo("error");
    assertThat(reply.path("code").asText()).isEqualTo("internal_error");
    assertThat(reply.path("reason").asText())
        .isNotBlank()
        .doesNotContain("Exception")
        .doesNotContain(FailingClock.MESSAGE);
    assertThat(m.connectionCount(ROOM)).isZero();
    stillWorks(c);
    assertThat(DeliveryTest.join(c, ROOM).path("type").asText()).isEqualTo("joined");
    assertThat(DeliveryTest.get(m.send(ROOM, Message.of("{}")).toCompletableFuture()))
        .isDelivered()
        .hasDeliveredCount(1);
  }

  @Test
  @DisplayName("a connection the server cannot set up is closed with 1011 before any frame")
  void setupFailureCloses1011() throws Exception {
    TyrusThreadMessaging m =
        server(TyrusThreadMessaging.builder(TyrusSettings.builder().port(0).build()));
    // Registration on the hub is the setup step that can fail, and only for a connection id already
    // taken: occupy the id the next connection will get (ids are sequential within the JVM).
    long last = Long.parseLong(ConnectionId.next().value().substring(2));
    m.hub().register(new Squatter(ConnectionId.of("c-" + (last + 1))));

    TestClient refused = client(m);

    assertThat(refused.awaitClose()).isEqualTo(1011);
    assertThat(refused.frames()).as("not even the welcome").isEmpty();
    TestClient next = client(m);
    assertThat(DeliveryTest.join(next, ROOM).path("type").asText()).isEqualTo("joined");
    assertThat(DeliveryTest.get(m.send(ROOM, Message.of("{}")).toCompletableFuture()))
        .isDelivered()
        .hasDeliveredCount(1);
  }

  /** A clock that throws while {@link #failing} is set. */
  private static final class FailingClock extends Clock {
    static final String MESSAGE = "clock source unavailable";
    volatile boolean failing;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      if (failing) {
        throw new IllegalStateException(MESSAGE);
      }
      return Instant.now();
    }

    @Override
    public long millis() {
      return instant().toEpochMilli();
    }
  }

  /** A connection of the host's own, registered on the server's hub under a chosen id. */
  private record Squatter(ConnectionId id) implements TransportConnection {
    @Override
    public UserId user() {
      return UserId.anonymous();
    }

    @Override
    public void send(Frame frame, DeliveryCallback callback) {
      callback.failed(this, new IOException("not a real connection"));
    }
  }
}
