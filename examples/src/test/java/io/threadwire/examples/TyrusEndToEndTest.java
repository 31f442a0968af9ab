package io.threadwire.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.examples.TestApps.Response;
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
  @DisplayName("there is no event stream: the WebSocket is the way in")
  void noEventStream() {
    Response events = TestApps.get(app(), "/api/threads/t/events");
    assertThat(events.status()).isEqualTo(404);
    assertThat(events.text("message")).contains("ws://127.0.0.1:");
  }
}
