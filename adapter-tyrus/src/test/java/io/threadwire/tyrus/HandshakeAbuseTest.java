package io.threadwire.tyrus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("socket")
@DisplayName("Connections that never finish the handshake are bounded and dropped")
class HandshakeAbuseTest {

  private final List<AutoCloseable> open = new ArrayList<>();
  private TyrusThreadMessaging server;

  private int start(TyrusSettings.Builder settings) {
    server = TyrusThreadMessaging.create(settings.port(0).build());
    server.start();
    return server.boundPort();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    if (server != null) {
      server.close();
    }
  }

  private <T extends AutoCloseable> T keep(T c) {
    open.add(c);
    return c;
  }

  private static long openDescriptors() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  /** A client that completes the handshake and gets its welcome: real clients still connect. */
  private void realClientConnects() {
    try (TestClient c = TestClient.connect(server.uri(), Map.of())) {
      assertThat(c.await(f -> "welcome".equals(f.path("type").asText()))).isNotNull();
    }
  }

  @Test
  @DisplayName("silent and slowloris sockets are dropped at the deadline; descriptors come back")
  void silentAndSlowlorisDropped() throws Exception {
    int port = start(TyrusSettings.builder().handshakeTimeout(Duration.ofSeconds(1)));
    long baseline = openDescriptors();
    List<RawClient> silent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      silent.add(keep(RawClient.tcp(port)));
    }
    RawClient partial = keep(RawClient.tcp(port));
    partial.write("GET /threads HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    RawClient tls = keep(RawClient.tcp(port));
    tls.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
    RawClient slowloris = keep(RawClient.tcp(port));
    Thread dribble =
        new Thread(
            () -> {
              byte[] head =
                  RawClient.request(port, "/threads", "Sec-WebSocket-Version: 13\r\n")
                      .getBytes(StandardCharsets.US_ASCII);
              try {
                for (byte b : head) {
                  slowloris.write(new byte[] {b});
                  Thread.sleep(50); // the attacker's pace, not a synchronisation
                }
              } catch (IOException | InterruptedException e) {
                // dropped by the server: expected
              }
            });
    dribble.setDaemon(true);
    dribble.start();
    realClientConnects();
    List<RawClient> all = new ArrayList<>(silent);
    all.add(partial);
    all.add(tls);
    all.add(slowloris);
    for (RawClient c : all) {
      c.socket().setSoTimeout(10_000);
      assertThat(c.isClosedByServer()).as("dropped at the handshake deadline").isTrue();
    }
    dribble.join(10_000);
    assertThat(server.stats().handshakeTimeouts()).isEqualTo(all.size());
    for (RawClient c : all) {
      c.close();
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(openDescriptors()).isLessThanOrEqualTo(baseline));
    realClientConnects();
  }

  @Test
  @DisplayName("a keep-alive socket after a 404 is closed: plain HTTP is answered and closed")
  void plainHttpClosed() throws Exception {
    int port = start(TyrusSettings.builder());
    try (RawClient c = keep(RawClient.tcp(port))) {
      c.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      String response = c.readToEnd();
      assertThat(response).startsWith("HTTP/1.1 404");
      assertThat(response.toLowerCase(Locale.ROOT)).contains("content-length: 0");
    }
  }

  @Test
  @DisplayName("past the bound on pending handshakes the oldest is dropped; real clients connect")
  void pendingBound() throws Exception {
    int port = start(TyrusSettings.builder().maxPendingHandshakes(4));
    List<RawClient> silent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      silent.add(keep(RawClient.tcp(port)));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> closedByServer(silent) == 6);
    assertThat(server.stats().pendingHandshakesDropped()).isEqualTo(6);
    assertThat(server.context().guard.pendingHandshakes()).isEqualTo(4);
    realClientConnects();
  }

  /**
   * Returns how many of {@code clients} the server has closed, polling each briefly. Grizzly
   * accepts on several threads, so which socket is accepted first is not the order they were opened
   * in.
   */
  private static int closedByServer(List<RawClient> clients) throws IOException {
    int closed = 0;
    for (RawClient c : clients) {
      c.socket().setSoTimeout(50);
      if (c.isClosedByServer()) {
        closed++;
      }
    }
    return closed;
  }

  @Test
  @DisplayName(
      "past max-connections a new TCP connection is closed at once; a freed slot is reused")
  void connectionBound() throws Exception {
    int port = start(TyrusSettings.builder().maxConnections(3));
    List<RawClient> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(keep(RawClient.open(port)));
    }
    RawClient refused = keep(RawClient.tcp(port));
    refused.socket().setSoTimeout(5_000);
    assertThat(refused.isClosedByServer()).isTrue();
    assertThat(server.stats().connectionsRefused()).isEqualTo(1);
    held.get(0).close();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              try (RawClient again = RawClient.open(port)) {
                assertThat(again.awaitText("\"welcome\"")).isNotNull();
              }
            });
  }

  @Test
  @DisplayName("past max-connections-per-address one address is refused, another connects")
  void perAddressBound() throws Exception {
    int port = start(TyrusSettings.builder().maxConnectionsPerAddress(2));
    InetAddress other = InetAddress.getByName("127.0.0.2");
    List<RawClient> three = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      three.add(keep(RawClient.tcp(other, port)));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> closedByServer(three) == 1);
    realClientConnects(); // from 127.0.0.1
    assertThat(server.stats().connectionsRefused()).isEqualTo(1);
  }

  @Test
  @DisplayName("requested subprotocols and extensions are not negotiated: a plain 101")
  void noSubprotocolNoCompression() throws Exception {
    int port = start(TyrusSettings.builder());
    try (RawClient c = keep(RawClient.tcp(port))) {
      c.write(
          RawClient.request(
              port,
              "/threads",
              "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: chat, superchat\r\n"
                  + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"));
      String head = c.readHead().toLowerCase(Locale.ROOT);
      assertThat(head).startsWith("http/1.1 101");
      assertThat(head)
          .doesNotContain("sec-websocket-protocol")
          .doesNotContain("sec-websocket-extensions");
      assertThat(c.awaitText("\"welcome\"")).isNotNull();
    }
  }

  static Stream<Arguments> malformedHandshakes() {
    String common = "Host: 127.0.0.1\r\nUpgrade: websocket\r\n";
    return Stream.of(
        Arguments.of(
            "no Sec-WebSocket-Key",
            "GET /threads HTTP/1.1\r\n"
                + common
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n",
            400),
        Arguments.of(
            "a Sec-WebSocket-Key that is not 16 bytes in base64",
            "GET /threads HTTP/1.1\r\n"
                + common
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: abc\r\nSec-WebSocket-Version: 13\r\n\r\n",
            400),
        Arguments.of(
            "no Connection: Upgrade",
            "GET /threads HTTP/1.1\r\n"
                + common
                + "Sec-WebSocket-Key: "
                + RawClient.KEY
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n",
            400),
        Arguments.of(
            "a POST",
            "POST /threads HTTP/1.1\r\n"
                + common
                + "Connection: Upgrade\r\nSec-WebSocket-Key: "
                + RawClient.KEY
                + "\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n",
            400),
        Arguments.of(
            "version 12",
            "GET /threads HTTP/1.1\r\n"
                + common
                + "Connection: Upgrade\r\nSec-WebSocket-Key: "
                + RawClient.KEY
                + "\r\nSec-WebSocket-Version: 12\r\n\r\n",
            426),
        Arguments.of(
            "no version",
            "GET /threads HTTP/1.1\r\n"
                + common
                + "Connection: Upgrade\r\nSec-WebSocket-Key: "
                + RawClient.KEY
                + "\r\n\r\n",
            426),
        Arguments.of(
            "no Upgrade header at all", "GET /threads HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 426));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("malformedHandshakes")
  @DisplayName("a malformed handshake gets a complete 400/426 and a closed socket")
  void malformedHandshake(String name, String request, int status) throws Exception {
    int port = start(TyrusSettings.builder());
    try (RawClient c = keep(RawClient.tcp(port))) {
      c.socket().setSoTimeout(5_000);
      c.write(request);
      String response = c.readToEnd(); // returns only once the server has closed
      assertThat(response).startsWith("HTTP/1.1 " + status + " ");
      String lower = response.toLowerCase(Locale.ROOT);
      assertThat(lower).contains("content-length: 0").contains("connection: close");
      if (status == 426) {
        assertThat(lower).contains("sec-websocket-version: 13");
      }
    }
    assertThat(server.stats().handshakesRefused()).isEqualTo(1);
    realClientConnects();
  }
}
