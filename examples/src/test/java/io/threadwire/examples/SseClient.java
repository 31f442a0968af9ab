package io.threadwire.examples;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** A real HTTP client following the in-memory transport's event stream of one thread. */
final class SseClient implements LiveClient {

  private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
  private final Stream<String> lines;
  private final Thread reader;

  private SseClient(Stream<String> lines) {
    this.lines = lines;
    this.reader = new Thread(this::read, "sse-test-client");
    reader.setDaemon(true);
    reader.start();
  }

  /** Subscribes to {@code thread}, replaying after {@code since} when it is not null. */
  static SseClient open(ExampleApp app, String thread, Long since, Long epoch) {
    String path =
        "/api/threads/"
            + thread
            + "/events"
            + (since == null ? "" : "?since=" + since)
            + (since == null || epoch == null ? "" : "&epoch=" + epoch);
    try {
      HttpResponse<Stream<String>> response =
          TestApps.CLIENT
              .sendAsync(
                  HttpRequest.newBuilder(TestApps.uri(app, path)).GET().build(),
                  HttpResponse.BodyHandlers.ofLines())
              .get(10, TimeUnit.SECONDS);
      if (response.statusCode() != 200) {
        throw new IllegalStateException("event stream answered " + response.statusCode());
      }
      return new SseClient(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not open the event stream", e);
    }
  }

  private void read() {
    try {
      lines
          .filter(l -> l.startsWith("data: "))
          .forEach(
              l -> {
                try {
                  frames.add(TestApps.JSON.readTree(l.substring(6)));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (RuntimeException e) {
      // the stream ended: closed by the test or the server
    }
  }

  @Override
  public List<JsonNode> frames() {
    return List.copyOf(frames);
  }

  @Override
  public void close() {
    lines.close();
  }
}
