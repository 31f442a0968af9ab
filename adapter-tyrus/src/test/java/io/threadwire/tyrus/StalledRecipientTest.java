package io.threadwire.tyrus;

import static io.threadwire.testkit.SendOutcomeAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.threadwire.Message;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.hub.HubSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 1, over real sockets: a client that stops reading (small receive buffer) among
 * healthy ones must not hold the outcomes of the thread's sends until its write times out.
 */
@Tag("socket")
@DisplayName("One stalled recipient among healthy ones, over real Tyrus sockets")
class StalledRecipientTest {

  private static final ThreadId ROOM = ThreadId.of("room-1");
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** Connects, joins {@link #ROOM} and then never reads again, with a small receive buffer. */
  private Socket stalledReader(int port) throws IOException {
    Socket s = new Socket();
    open.add(s);
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout(20_000);
    s.getOutputStream()
        .write(
            RawClient.request(port, "/threads", "Sec-WebSocket-Version: 13\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    assertThat(RawClient.readHead(s.getInputStream())).startsWith("HTTP/1.1 101");
    String join = "{\"type\":\"join\",\"thread\":\"" + ROOM.value() + "\",\"ref\":\"j\"}";
    s.getOutputStream()
        .write(RawClient.encode(true, 0x1, join.getBytes(StandardCharsets.UTF_8), true));
    StringBuilder seen = new StringBuilder();
    while (seen.indexOf("\"joined\"") < 0) {
      int b = s.getInputStream().read();
      if (b < 0) {
        throw new IOException("closed before joined: " + seen);
      }
      seen.append((char) b);
    }
    return s;
  }

  @Test
  @DisplayName(
      "the healthy clients' outcomes complete at the outcome deadline with the stalled write"
          + " unconfirmed, long before the write timeout cuts it")
  void stalledRecipientIsUnconfirmed() throws Exception {
    // The write timeout (60 s) is far beyond the outcome deadline (300 ms) and the wait below
    // (30 s): an outcome that completes while the stalled client is still connected did not
    // wait for the slow-consumer policy.
    TyrusSettings transport =
        TyrusSettings.builder()
            .port(0)
            .writeTimeout(Duration.ofSeconds(60))
            .maxQueuedBytes(256L * 1024 * 1024)
            .maxQueuedFrames(100_000)
            .build();
    TyrusThreadMessaging m =
        TyrusThreadMessaging.create(
            transport, HubSettings.defaults().withOutcomeDeadline(Duration.ofMillis(300)));
    m.start();
    open.add(m);
    TestClient a = TestClient.connect(m.uri(), Map.of());
    open.add(a);
    TestClient b = TestClient.connect(m.uri(), Map.of());
    open.add(b);
    DeliveryTest.join(a, ROOM);
    DeliveryTest.join(b, ROOM);
    stalledReader(m.uri().getPort());
    // The raw reader's join is handled on the server's thread: wait (bounded) until it counts.
    await().atMost(10, TimeUnit.SECONDS).until(() -> m.connectionCount(ROOM) == 3);

    String payload = "\"" + "x".repeat(32 * 1024) + "\"";
    SendOutcome stalled = null;
    int sent = 0;
    // Fill the stalled client's socket buffers until its write stays pending: from then on its
    // writes are unconfirmed. Bounded: 64 MiB is far past any loopback buffering.
    while (stalled == null && sent < 2048) {
      sent++;
      SendOutcome o =
          m.send(ROOM, Message.of(payload)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(o).isDelivered().hasFailedCount(0);
      if (o.unconfirmedCount() > 0) {
        stalled = o;
      } else {
        assertThat(o).hasDeliveredCount(3);
      }
    }
    assertThat(stalled).as("a write stayed pending after %d sends", sent).isNotNull();
    assertThat(stalled).hasDeliveredCount(2).hasUnconfirmedCount(1).hasFailedCount(0);
    // More sends to the thread are not held up either: each completes, the stalled write
    // unconfirmed, while the stalled client is still connected (not cut yet).
    for (int i = 0; i < 3; i++) {
      SendOutcome o =
          m.send(ROOM, Message.of(payload)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(o).isDelivered().hasDeliveredCount(2).hasUnconfirmedCount(1).hasFailedCount(0);
    }
    assertThat(m.connectionCount(ROOM)).isEqualTo(3);
    int total = sent + 3;
    for (TestClient c : List.of(a, b)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> c.frames("message").size() == total);
    }
  }
}
