package io.threadwire.examples;

import io.threadwire.ConnectionId;
import io.threadwire.UserId;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.TransportConnection;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One server-sent event stream as a hub connection. The hub hands frames to {@link #send} without
 * blocking; a bounded queue holds them and the HTTP thread serving the stream writes them in order
 * ({@link #pump}), acknowledging each write to the hub. A full queue fails the write instead of
 * blocking the sender, as the {@link TransportConnection} contract asks.
 */
final class SseConnection implements TransportConnection {

  private static final Outbound CLOSE = new Outbound("", "", null);

  private final ConnectionId id = ConnectionId.next();
  private final FrameJson frames;
  private final BlockingQueue<Outbound> queue;
  private volatile boolean open = true;

  SseConnection(FrameJson frames, int queueSize) {
    this.frames = frames;
    this.queue = new ArrayBlockingQueue<>(queueSize);
  }

  @Override
  public ConnectionId id() {
    return id;
  }

  @Override
  public UserId user() {
    return UserId.anonymous();
  }

  @Override
  public void send(Frame frame, DeliveryCallback callback) {
    if (!open) {
      callback.failed(this, new IOException("event stream " + id + " is closed"));
    } else if (!queue.offer(new Outbound("message", frame.text(), callback))) {
      callback.failed(this, new IOException("event stream " + id + " cannot keep up"));
    }
  }

  @Override
  public void joined(JoinResult result) {
    queue.offer(new Outbound("joined", frames.joined(result), null));
  }

  /**
   * Writes queued events to {@code out} until the connection is closed or a write fails; sends a
   * comment every {@code keepAlive} so a client that went away is noticed.
   */
  void pump(OutputStream out, Duration keepAlive) throws IOException, InterruptedException {
    while (open) {
      Outbound next = queue.poll(keepAlive.toMillis(), TimeUnit.MILLISECONDS);
      if (next == CLOSE) {
        break;
      }
      String text = next == null ? ": keep-alive\n\n" : next.toSse();
      try {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        if (next != null && next.callback != null) {
          next.callback.failed(this, e);
        }
        throw e;
      }
      if (next != null && next.callback != null) {
        next.callback.delivered(this);
      }
    }
  }

  /** Stops the pump and fails whatever is still queued. Idempotent. */
  void close() {
    open = false;
    Outbound o;
    while ((o = queue.poll()) != null) {
      if (o.callback != null) {
        o.callback.failed(this, new IOException("event stream " + id + " closed"));
      }
    }
    queue.offer(CLOSE);
  }

  private record Outbound(String event, String data, DeliveryCallback callback) {
    String toSse() {
      return "event: " + event + "\ndata: " + data + "\n\n";
    }
  }
}
