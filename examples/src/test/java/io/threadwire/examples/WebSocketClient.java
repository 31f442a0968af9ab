package io.threadwire.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real WebSocket client (the JDK's) speaking the Tyrus transport's wire protocol: it connects to
 * the endpoint the app tells the page about, sends {@code join}, and records every frame.
 */
final class WebSocketClient implements LiveClient {

  private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  private WebSocketClient() {}

  /**
   * Connects to the app's WebSocket endpoint and joins {@code thread}, after {@code since} of
   * {@code epoch} when given.
   */
  static WebSocketClient open(ExampleApp app, String thread, Long since, Long epoch) {
    JsonNode endpoint = TestApps.get(app, "/api/config").json().path("endpoint");
    if (!endpoint.path("kind").asText().equals("websocket")) {
      throw new IllegalStateException("the app serves no WebSocket: " + endpoint);
    }
    WebSocketClient client = new WebSocketClient();
    try {
      client.socket =
          TestApps.CLIENT
              .newWebSocketBuilder()
              .header("Origin", app.pageUri().toString().replaceAll("/$", ""))
              .buildAsync(URI.create(endpoint.path("url").asText()), client.listener())
              .get(10, TimeUnit.SECONDS);
      ObjectNode join = TestApps.JSON.createObjectNode().put("type", "join").put("thread", thread);
      if (since != null) {
        join.put("since", since);
      }
      if (since != null && epoch != null) {
        join.put("epoch", epoch);
      }
      client
          .socket
          .sendText(TestApps.JSON.writeValueAsString(join), true)
          .get(10, TimeUnit.SECONDS);
      return client;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException | IOException e) {
      throw new IllegalStateException("could not connect to " + endpoint, e);
    }
  }

  private WebSocket.Listener listener() {
    return new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        synchronized (partial) {
          partial.append(data);
          if (last) {
            try {
              frames.add(TestApps.JSON.readTree(partial.toString()));
            } catch (IOException e) {
              throw new UncheckedIOException("not a JSON frame: " + partial, e);
            } finally {
              partial.setLength(0);
            }
          }
        }
        ws.request(1);
        return null;
      }
    };
  }

  @Override
  public List<JsonNode> frames() {
    return List.copyOf(frames);
  }

  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).join();
  }
}
