package io.threadwire.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.examples.TestApps.Response;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The example app on the in-memory transport, end to end over HTTP and SSE")
class InMemoryEndToEndTest extends HttpApiEndToEndTest {

  InMemoryEndToEndTest() {
    super(Map.of("threadwire.examples.transport", "inmemory"), SseClient::open);
  }

  @Test
  @DisplayName("the event stream refuses a bad since or epoch with 400 naming the parameter")
  void badSince() {
    Response since = TestApps.get(app(), "/api/threads/t-bad/events?since=-1");
    assertThat(since.status()).isEqualTo(400);
    assertThat(since.text("error")).isEqualTo("invalid_since");
    Response epoch = TestApps.get(app(), "/api/threads/t-bad/events?since=1&epoch=x");
    assertThat(epoch.status()).isEqualTo(400);
    assertThat(epoch.text("error")).isEqualTo("invalid_epoch");
  }

  @Test
  @DisplayName("the page is told to subscribe through the event stream")
  void clientEndpoint() {
    Response config = TestApps.get(app(), "/api/config");
    assertThat(config.json().path("endpoint").path("kind").asText()).isEqualTo("sse");
  }
}
