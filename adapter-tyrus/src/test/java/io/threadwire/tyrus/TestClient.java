package io.threadwire.tyrus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * A real WebSocket client for tests, on the JDK's {@link java.net.http.WebSocket}: it records every
 * frame it receives, can stop reading (to play a slow consumer) and reports how it was closed.
 */
final class TestClient implements WebSocket.Listener, AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicInteger REFS = new AtomicInteger();

  static {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  private final List<String> frames = new ArrayList<>(); // guarded by this
  private final StringBuilder partial = new StringBuilder();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private volatile boolean paused;
  private boolean owed; // guarded by this
  private WebSocket ws;

  private TestClient() {}

  /** Connects to {@code uri} with {@code headers} and waits for the connection. */
  static TestClient connect(URI uri, Map<String, String> headers) {
    TestClient c = new TestClient();
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    headers.forEach(b::header);
    try {
      c.ws = b.buildAsync(uri, c).get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not connect to " + uri + ": " + e, e);
    }
    return c;
  }

  /** Tries to connect and returns the failure, or null if the handshake succeeded. */
  static Throwable connectFailure(URI uri, Map<String, String> headers) {
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    headers.forEach(b::header);
    try {
      WebSocket ws = b.buildAsync(uri, new TestClient()).get(20, TimeUnit.SECONDS);
      ws.abort();
      return null;
    } catch (Exception e) {
      return e.getCause() != null ? e.getCause() : e;
    }
  }

  static String nextRef() {
    return "r-" + REFS.incrementAndGet();
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
      if (paused) {
        owed = true;
        return null;
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closeCode.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closeCode.complete(1006);
  }

  /** Stops reading from the socket, so the server's writes back up. */
  void pause() {
    paused = true;
  }

  /** Reads again. */
  void resume() {
    boolean request;
    synchronized (this) {
      paused = false;
      request = owed;
      owed = false;
    }
    if (request) {
      ws.request(1);
    }
  }

  /** Sends raw text as one frame. */
  void sendText(String text) {
    ws.sendText(text, true).join();
  }

  /** Sends a binary frame. */
  void sendBinary(byte[] data) {
    ws.sendBinary(java.nio.ByteBuffer.wrap(data), true).join();
  }

  /** Sends one text message as several frames: a first frame, continuations, a final one. */
  void sendFragments(String... parts) {
    for (int i = 0; i < parts.length; i++) {
      ws.sendText(parts[i], i == parts.length - 1).join();
    }
  }

  /** Sends raw text as one frame without waiting: the server may close before it is all sent. */
  void sendTextNoWait(String text) {
    ws.sendText(text, true);
  }

  /** Sends a frame built from {@code fields} (pairs of name, value) and returns its ref. */
  String send(String type, Object... fields) {
    Map<String, Object> frame = new java.util.LinkedHashMap<>();
    frame.put("type", type);
    for (int i = 0; i < fields.length; i += 2) {
      frame.put((String) fields[i], fields[i + 1]);
    }
    String ref = nextRef();
    frame.put("ref", ref);
    try {
      sendText(JSON.writeValueAsString(frame));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ref;
  }

  /** Returns every frame received so far, parsed. */
  List<JsonNode> frames() {
    List<String> copy;
    synchronized (this) {
      copy = List.copyOf(frames);
    }
    List<JsonNode> nodes = new ArrayList<>(copy.size());
    for (String f : copy) {
      nodes.add(parse(f));
    }
    return nodes;
  }

  /** Returns every frame received so far, as text. */
  synchronized List<String> rawFrames() {
    return List.copyOf(frames);
  }

  /** Returns the frames of {@code type}. */
  List<JsonNode> frames(String type) {
    return frames().stream().filter(f -> type.equals(f.path("type").asText())).toList();
  }

  /** Waits for the first frame matching {@code test}. */
  JsonNode await(Predicate<JsonNode> test) {
    JsonNode[] found = new JsonNode[1];
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              for (JsonNode f : frames()) {
                if (test.test(f)) {
                  found[0] = f;
                  return true;
                }
              }
              return false;
            });
    return found[0];
  }

  /** Waits for the reply carrying {@code ref}. */
  JsonNode awaitRef(String ref) {
    return await(f -> ref.equals(f.path("ref").asText(null)));
  }

  /** Returns the connection id from the welcome frame. */
  String connectionId() {
    return await(f -> "welcome".equals(f.path("type").asText())).path("connection").asText();
  }

  /** Waits for the server to close the connection and returns the close code. */
  int awaitClose() {
    try {
      return closeCode.get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("connection was not closed: " + e, e);
    }
  }

  boolean isClosed() {
    return closeCode.isDone();
  }

  /** Closes normally and waits for the server's close frame. */
  @Override
  public void close() {
    if (!closeCode.isDone()) {
      try {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        closeCode.get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        ws.abort();
      }
    }
  }

  /** Drops the TCP connection without a closing handshake. */
  void abort() {
    ws.abort();
  }

  static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns a message frame's payload exactly as the server got it: the raw text of {@code payload}
   * (a JSON object or array, embedded verbatim), else the string {@code text}.
   */
  static String payloadText(String frame) {
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
