package io.threadwire.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.threadwire.ConnectionId;
import io.threadwire.ThreadId;
import io.threadwire.testkit.KitClient;
import io.threadwire.testkit.KitJoin;
import io.threadwire.testkit.KitMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A real WebSocket client (the JDK's) speaking Threadwire's wire protocol to a Tyrus server, as the
 * kit's client; the same protocol as adapter-tyrus's own kit glue, whose test classes are
 * package-private there.
 */
final class WsKitClient implements KitClient, WebSocket.Listener {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicInteger REFS = new AtomicInteger();

  private final List<String> frames = new ArrayList<>(); // guarded by this
  private final StringBuilder partial = new StringBuilder(); // guarded by this
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private WebSocket ws;
  private ConnectionId id;

  private WsKitClient() {}

  /** Connects to {@code uri} with {@code headers} and waits for the welcome frame. */
  static WsKitClient connect(URI uri, Map<String, String> headers) {
    WsKitClient c = new WsKitClient();
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    headers.forEach(b::header);
    try {
      c.ws = b.buildAsync(uri, c).get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not connect to " + uri + ": " + e, e);
    }
    c.id =
        ConnectionId.of(
            c.await(f -> "welcome".equals(f.path("type").asText())).path("connection").asText());
    return c;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    synchronized (this) {
      partial.append(data);
      if (last) {
        frames.add(partial.toString());
        partial.setLength(0);
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(1006);
  }

  @Override
  public ConnectionId id() {
    return id;
  }

  @Override
  public KitJoin join(ThreadId thread) {
    return toKit(awaitRef(send("join", "thread", thread.value())));
  }

  @Override
  public KitJoin join(ThreadId thread, long sinceOffset) {
    return toKit(awaitRef(send("join", "thread", thread.value(), "since", sinceOffset)));
  }

  @Override
  public boolean supportsEpoch() {
    return true;
  }

  @Override
  public KitJoin join(ThreadId thread, long epoch, long sinceOffset) {
    return toKit(
        awaitRef(send("join", "thread", thread.value(), "since", sinceOffset, "epoch", epoch)));
  }

  @Override
  public void leave(ThreadId thread) {
    awaitRef(send("leave", "thread", thread.value()));
  }

  @Override
  public List<KitMessage> received() {
    List<KitMessage> messages = new ArrayList<>();
    for (String raw : rawFrames()) {
      JsonNode f = parse(raw);
      if ("message".equals(f.path("type").asText())) {
        messages.add(
            new KitMessage(
                ThreadId.of(f.path("thread").asText()),
                f.path("offset").asLong(),
                f.path("id").asText(),
                payloadText(raw)));
      }
    }
    return messages;
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      try {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        closed.get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        ws.abort();
      }
    }
  }

  private static KitJoin toKit(JsonNode reply) {
    if ("joined".equals(reply.path("type").asText())) {
      return KitJoin.accepted(
          reply.path("epoch").asLong(),
          reply.path("offset").asLong(),
          reply.path("recovered").asBoolean(),
          reply.path("missed").asLong());
    }
    return KitJoin.refused(reply.path("code").asText());
  }

  private String send(String type, Object... fields) {
    Map<String, Object> frame = new LinkedHashMap<>();
    frame.put("type", type);
    for (int i = 0; i < fields.length; i += 2) {
      frame.put((String) fields[i], fields[i + 1]);
    }
    String ref = "r-" + REFS.incrementAndGet();
    frame.put("ref", ref);
    try {
      ws.sendText(JSON.writeValueAsString(frame), true).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not send " + type + ": " + e, e);
    }
    return ref;
  }

  private synchronized List<String> rawFrames() {
    return List.copyOf(frames);
  }

  private JsonNode await(Predicate<JsonNode> test) {
    JsonNode[] found = new JsonNode[1];
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              for (String raw : rawFrames()) {
                JsonNode f = parse(raw);
                if (test.test(f)) {
                  found[0] = f;
                  return true;
                }
              }
              return false;
            });
    return found[0];
  }

  private JsonNode awaitRef(String ref) {
    return await(f -> ref.equals(f.path("ref").asText(null)));
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns a message frame's payload as sent: the raw JSON of {@code payload}, else {@code text}.
   */
  private static String payloadText(String frame) {
    try (JsonParser p = FACTORY.createParser(frame)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals("payload")) {
          int start = (int) p.currentTokenLocation().getCharOffset();
          p.skipChildren();
          int end = (int) p.currentTokenLocation().getCharOffset() + 1;
          return frame.substring(start, end);
        }
        if (name.equals("text")) {
          return p.getText();
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("no payload in " + frame);
  }
}
