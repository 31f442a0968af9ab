package io.threadwire.examples;

import com.sun.net.httpserver.HttpExchange;
import io.threadwire.ThreadId;
import io.threadwire.hub.ThreadHub;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.Since;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a thread as server-sent events straight from a {@link ThreadHub}: each stream registers a
 * {@link SseConnection}, joins the thread with the client's {@code since}, and is unregistered when
 * the client goes away. A keep-alive comment every second notices a closed client quickly, so a
 * send after the page disconnected is reported {@code QUEUED}, not {@code DELIVERED}.
 */
final class SseEventStream implements EventStream {

  private static final Logger LOG = LoggerFactory.getLogger(SseEventStream.class);
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(1);

  private final ThreadHub hub;
  private final FrameJson frames;
  private final int queueSize;
  private final Set<SseConnection> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  SseEventStream(ThreadHub hub, FrameJson frames, int queueSize) {
    this.hub = hub;
    this.frames = frames;
    this.queueSize = queueSize;
  }

  @Override
  public void serve(HttpExchange exchange, ThreadId thread, Since since) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    SseConnection connection = new SseConnection(frames, queueSize);
    open.add(connection);
    hub.register(connection);
    try {
      if (closed) {
        return;
      }
      JoinResult result = hub.join(connection.id(), thread, since);
      if (!result.isMember()) {
        String error = frames.error("join_refused", "join refused: " + result.status());
        out.write(("event: error\ndata: " + error + "\n\n").getBytes(StandardCharsets.UTF_8));
        return;
      }
      LOG.debug("event stream {} joined {} since {}: {}", connection.id(), thread, since, result);
      connection.pump(out, KEEP_ALIVE);
    } catch (IOException e) {
      LOG.debug("event stream {} ended: {}", connection.id(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      hub.unregister(connection.id());
      connection.close();
      open.remove(connection);
    }
  }

  @Override
  public void close() {
    closed = true;
    for (SseConnection c : open) {
      c.close();
    }
  }
}
