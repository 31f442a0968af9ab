package io.threadwire.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.examples.TestApps.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The example app on the Tyrus transport, end to end over HTTP and a real WebSocket")
class TyrusEndToEndTest extends HttpApiEndToEndTest {

  TyrusEndToEndTest() {
    super(Map.of("threadwire.examples.transport", "tyrus"), WebSocketClient::open);
  }

  @Test
  @DisplayName("the page is told the WebSocket URL, on loopback")
  void clientEndpoint() {
    Response config = TestApps.get(app(), "/api/config");
    assertThat(config.json().path("endpoint").path("kind").asText()).isEqualTo("websocket");
    assertThat(config.json().path("endpoint").path("url").asText())
        .startsWith("ws://127.0.0.1:")
        .endsWith("/threads");
  }

  @Test
  @DisplayName("a browser on another origin cannot open the WebSocket; the page's own origin can")
  void foreignOriginRefused() throws IOException {
    URI ws =
        URI.create(TestApps.get(app(), "/api/config").json().path("endpoint").path("url").asText());
    String page = app().pageUri().toString().replaceAll("/$", "");
    assertThat(handshakeStatus(ws, "http://evil.example")).isEqualTo("HTTP/1.1 403 Forbidden");
    assertThat(handshakeStatus(ws, page)).isEqualTo("HTTP/1.1 101 Switching Protocols");
  }

  /**
   * Sends a WebSocket upgrade request with {@code origin}, as a browser does; returns the status.
   */
  private static String handshakeStatus(URI ws, String origin) throws IOException {
    try (Socket socket = new Socket(ws.getHost(), ws.getPort())) {
      socket.setSoTimeout(10_000);
      String request =
          "GET "
              + ws.getPath()
              + " HTTP/1.1\r\nHost: "
              + ws.getHost()
              + ":"
              + ws.getPort()
              + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
              + "Origin: "
              + origin
              + "\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  @Test
  @DisplayName("there is no event stream: the WebSocket is the way in")
  void noEventStream() {
    Response events = TestApps.get(app(), "/api/threads/t/events");
    assertThat(events.status()).isEqualTo(404);
    assertThat(events.text("message")).contains("ws://127.0.0.1:");
  }
}
