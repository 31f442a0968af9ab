package io.threadwire.tyrus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.threadwire.Message;
import io.threadwire.ThreadId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("socket")
@DisplayName("Frame-level abuse over raw sockets is refused with the RFC close codes")
class FrameAbuseTest {

  private static final ThreadId ROOM = ThreadId.of("room-1");
  private static final int MAX = 64 * 1024;
  private TyrusThreadMessaging server;
  private TestClient bystander;

  private void start(TyrusSettings.Builder settings) {
    server = TyrusThreadMessaging.create(settings.port(0).build());
    server.start();
    bystander = TestClient.connect(server.uri(), Map.of());
    DeliveryTest.join(bystander, ROOM);
  }

  private static TyrusSettings.Builder generous() {
    return TyrusSettings.builder()
        .maxFrameBytes(MAX)
        .rateLimit(new TyrusSettings.RateLimit(100_000, Duration.ofSeconds(1), 100_000, 100));
  }

  @AfterEach
  void stop() {
    if (bystander != null) {
      bystander.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private RawClient open() throws IOException {
    RawClient c = RawClient.open(server.boundPort());
    c.awaitText("\"welcome\"");
    return c;
  }

  /** Checks that the bystander still receives, so the abuse disturbed nobody else. */
  private void bystanderStillReceives() {
    int before = bystander.frames("message").size();
    server.send(ROOM, Message.of("{\"still\":\"here\"}"));
    await().atMost(Duration.ofSeconds(20)).until(() -> bystander.frames("message").size() > before);
  }

  @Test
  @DisplayName("endless binary continuation frames are capped across fragments: close 1009")
  void endlessBinaryFragments() throws Exception {
    start(generous());
    try (RawClient attacker = open()) {
      long sent = 0;
      byte[] chunk = new byte[60_000];
      try {
        attacker.frame(false, 0x2, chunk, true);
        sent += chunk.length;
        while (sent < 64L * 1024 * 1024) {
          attacker.frame(false, 0x0, chunk, true);
          sent += chunk.length;
        }
      } catch (IOException e) {
        // the server closed the connection under us: what the test expects
      }
      assertThat(attacker.awaitClose()).isEqualTo(1009);
    }
    // The server closes as soon as a fragment's header passes the limit, then discards what
    // the attacker still sends until its close frame: nothing past the limit is buffered. The
    // heap itself is checked under -Xmx96m in OutboundBudgetTest.
    assertThat(server.stats().messagesTooBig()).isEqualTo(1);
    bystanderStillReceives();
  }

  @Test
  @DisplayName("a text message passing the limit across fragments also closes with 1009")
  void textFragmentsOverLimit() throws Exception {
    start(generous());
    try (RawClient attacker = open()) {
      byte[] chunk = new byte[40_000];
      java.util.Arrays.fill(chunk, (byte) 'x');
      attacker.frame(false, 0x1, chunk, true);
      attacker.frame(false, 0x0, chunk, true);
      assertThat(attacker.awaitClose()).isEqualTo(1009);
    }
    bystanderStillReceives();
  }

  @Test
  @DisplayName("a message under the limit in many fragments counts every fragment: close 1008")
  void rateLimitCountsFragments() throws Exception {
    start(generous().rateLimit(new TyrusSettings.RateLimit(1, Duration.ofHours(1), 5, 3)));
    try (RawClient c = open()) {
      byte[] part = "{\"type\":\"ping\",\"pad\":\"".getBytes(StandardCharsets.UTF_8);
      c.frame(false, 0x1, part, true);
      for (int i = 0; i < 20; i++) {
        c.frame(false, 0x0, "x".getBytes(StandardCharsets.UTF_8), true);
      }
      c.frame(true, 0x0, "\"}".getBytes(StandardCharsets.UTF_8), true);
      assertThat(c.awaitClose()).isEqualTo(1008);
    }
    bystanderStillReceives();
  }

  @Test
  @DisplayName("a binary frame over the rate limit is answered rate_limited, as documented")
  void binaryOverRateLimit() throws Exception {
    start(generous().rateLimit(new TyrusSettings.RateLimit(1, Duration.ofHours(1), 2, 100)));
    try (RawClient c = open()) {
      for (int i = 0; i < 3; i++) {
        c.frame(true, 0x2, new byte[] {1, 2, 3}, true);
      }
      assertThat(c.awaitText("\"error\"").text()).contains("\"malformed_json\"");
      assertThat(c.awaitText("\"error\"").text()).contains("\"malformed_json\"");
      assertThat(c.awaitText("\"error\"").text()).contains("\"rate_limited\"");
    }
  }

  @Test
  @DisplayName("an unmasked client frame closes the connection with 1002 (RFC 6455, 5.1)")
  void unmaskedFrame() throws Exception {
    start(generous());
    try (RawClient c = open()) {
      c.frame(
          true, 0x1, "{\"type\":\"ping\",\"ref\":\"u\"}".getBytes(StandardCharsets.UTF_8), false);
      assertThat(c.awaitClose()).isEqualTo(1002);
    }
    assertThat(server.stats().protocolViolations()).isEqualTo(1);
    bystanderStillReceives();
  }

  @Test
  @DisplayName("a continuation frame with no message started closes with 1002")
  void strayContinuation() throws Exception {
    start(generous());
    try (RawClient c = open()) {
      c.frame(true, 0x0, "x".getBytes(StandardCharsets.UTF_8), true);
      assertThat(c.awaitClose()).isEqualTo(1002);
    }
    bystanderStillReceives();
  }

  @Test
  @DisplayName("a text message that is not valid UTF-8 closes with 1007")
  void invalidUtf8() throws Exception {
    start(generous());
    try (RawClient c = open()) {
      c.frame(true, 0x1, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, true);
      assertThat(c.awaitClose()).isEqualTo(1007);
    }
    bystanderStillReceives();
  }

  @Test
  @DisplayName("a client's WebSocket pings count as activity: it is not closed as idle")
  void clientPingsAreActivity() throws Exception {
    start(generous().idleTimeout(Duration.ofMillis(600)).pingInterval(Duration.ofSeconds(30)));
    try (RawClient c = open()) {
      long end = System.nanoTime() + Duration.ofMillis(2000).toNanos();
      while (System.nanoTime() < end) {
        c.frame(true, 0x9, new byte[0], true);
        Thread.sleep(100); // the client's ping schedule, not a synchronisation
      }
      c.text("{\"type\":\"ping\",\"ref\":\"alive\"}");
      assertThat(c.awaitText("\"alive\"").text()).contains("\"pong\"");
    }
  }
}
