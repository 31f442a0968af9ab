package io.threadwire.tyrus;

import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.TransportConnection;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.memory.Buffers;

/**
 * The outbound side of one connection: a bounded queue with exactly one asynchronous write in
 * flight behind it. Nothing here blocks and nothing here allocates per frame beyond the queue's
 * amortised growth.
 *
 * <p>A write whose result Tyrus reports synchronously, inside {@code sendText}, is picked up by the
 * calling loop instead of recursing. When the hub is the caller (it holds a thread lock), only the
 * frame that caller queued is written in its thread; the rest is handed to the I/O executor, so no
 * other send's outcome ever completes under the hub's lock.
 */
final class Outbound implements SendHandler, Runnable {

  private static final DeliveryCallback NONE = DeliveryCallback.ignoring();

  private final TransportConnection owner;
  private final Runnable onBroken;
  private final Executor io;
  private final int maxFrames;
  private final long maxBytes;
  private volatile RemoteEndpoint.Async remote;
  private volatile Connection<SocketAddress> tcp;
  private final CompletionHandler<WriteResult<Buffer, SocketAddress>> onTcpWrite =
      new EmptyCompletionHandler<>() {
        @Override
        public void completed(WriteResult<Buffer, SocketAddress> result) {
          written(null);
        }

        @Override
        public void failed(Throwable cause) {
          written(failure(cause));
        }

        @Override
        public void cancelled() {
          written(new CancellationException("write cancelled"));
        }
      };

  // Guarded by this. Entries come in pairs: the item (a Frame or a control String), its callback.
  // Sized for the common case, a frame or two in flight; it grows under back-pressure.
  private final ArrayDeque<Object> queue = new ArrayDeque<>(4);
  private int frames;
  private long bytes;
  private boolean writing;
  private boolean inCall;
  private Thread writer;
  private boolean syncDone;
  private Throwable syncFailure;
  private boolean closed;

  /** When the write in flight started, by {@link System#nanoTime()}; 0 when none is. */
  private volatile long writeStartedNanos;

  /**
   * Creates the queue of {@code owner}.
   *
   * @param onBroken told, possibly in the hub's send path, when a write fails
   */
  Outbound(
      TransportConnection owner, Runnable onBroken, Executor io, int maxFrames, long maxBytes) {
    this.owner = owner;
    this.onBroken = onBroken;
    this.io = io;
    this.maxFrames = maxFrames;
    this.maxBytes = maxBytes;
  }

  /** What an {@link #offer} did. */
  enum Offer {
    /** Queued; it will be written or failed later. */
    QUEUED,
    /** The connection is closed; the callback was told. */
    CLOSED,
    /** The queue is full: the callback was told and the caller must cut the connection. */
    FULL
  }

  /** Writes through Tyrus's asynchronous remote: per recipient, Tyrus encodes and frames. */
  void attach(RemoteEndpoint.Async remote) {
    this.remote = remote;
  }

  /**
   * Writes pre-framed bytes straight to the session's TCP connection: a message is framed once per
   * send for every recipient, and Tyrus's per-send bookkeeping (an idle-timer task scheduled on
   * every asynchronous send) is skipped. Safe because frames are written whole, through Grizzly's
   * write queue, and no extension that transforms frames is ever negotiated.
   */
  void attach(Connection<SocketAddress> tcp) {
    this.tcp = tcp;
  }

  /** Queues a message frame for the hub. */
  Offer offer(Frame frame, DeliveryCallback callback, boolean hubCaller) {
    return offer(frame, callback, frame.text().length(), hubCaller);
  }

  /** Queues a control frame (welcome, joined, error...), reported to nobody. */
  Offer offerControl(String text, boolean hubCaller) {
    return offer(text, NONE, text.length(), hubCaller);
  }

  private Offer offer(Object item, DeliveryCallback callback, int size, boolean hubCaller) {
    boolean start = false;
    Offer result;
    synchronized (this) {
      if (closed) {
        result = Offer.CLOSED;
      } else if (frames >= maxFrames || bytes + size > maxBytes) {
        closed = true;
        writeStartedNanos = 0;
        result = Offer.FULL;
      } else {
        queue.addLast(item);
        queue.addLast(callback);
        frames++;
        bytes += size;
        if (!writing) {
          writing = true;
          start = true;
        }
        result = Offer.QUEUED;
      }
    }
    if (result == Offer.CLOSED) {
      callback.failed(owner, Causes.CLOSED);
    } else if (result == Offer.FULL) {
      callback.failed(owner, Causes.QUEUE_FULL);
    } else if (start) {
      pump(hubCaller);
    }
    return result;
  }

  /** Continues writing on an I/O thread. */
  @Override
  public void run() {
    pump(false);
  }

  private void pump(boolean hubCaller) {
    while (true) {
      Object item;
      synchronized (this) {
        if (closed || queue.isEmpty()) {
          writing = false;
          return;
        }
        item = queue.peekFirst();
        inCall = true;
        writer = Thread.currentThread();
        syncDone = false;
        syncFailure = null;
        writeStartedNanos = System.nanoTime() | 1L;
      }
      try {
        Connection<SocketAddress> c = tcp;
        if (c != null) {
          byte[] bytes =
              item instanceof Frame f ? WireFrames.of(f) : WireFrames.text((String) item);
          c.write(Buffers.wrap(c.getMemoryManager(), bytes), onTcpWrite);
        } else {
          remote.sendText(item instanceof Frame f ? f.text() : (String) item, this);
        }
      } catch (RuntimeException e) {
        written(e);
      }
      Throwable failure;
      synchronized (this) {
        inCall = false;
        writer = null;
        notifyAll();
        if (!syncDone) {
          return; // asynchronous: written() continues
        }
        failure = syncFailure;
        syncFailure = null;
      }
      if (!completeHead(failure)) {
        return;
      }
      if (hubCaller) {
        try {
          io.execute(this);
        } catch (RuntimeException e) {
          // The server is stopping: close() fails what is left in the queue.
          synchronized (this) {
            writing = false;
          }
        }
        return;
      }
    }
  }

  @Override
  public void onResult(SendResult result) {
    written(result.isOK() ? null : failure(result.getException()));
  }

  private static Throwable failure(Throwable cause) {
    return cause != null ? cause : new IOException("write failed");
  }

  /** Takes the result of the write in flight: null if it succeeded, else why it failed. */
  private void written(Throwable failure) {
    synchronized (this) {
      if (inCall) {
        syncDone = true;
        syncFailure = failure;
        return;
      }
    }
    if (completeHead(failure)) {
      pump(false);
    }
  }

  /** Pops the written frame, tells its callback; returns true if more is left to write. */
  private boolean completeHead(Throwable failure) {
    DeliveryCallback callback;
    boolean more;
    synchronized (this) {
      writeStartedNanos = 0;
      if (closed || queue.isEmpty()) {
        writing = false;
        return false;
      }
      Object item = queue.pollFirst();
      callback = (DeliveryCallback) queue.pollFirst();
      frames--;
      bytes -= item instanceof Frame f ? f.text().length() : ((String) item).length();
      if (failure != null) {
        closed = true;
      }
      more = !closed && !queue.isEmpty();
      if (!more) {
        writing = false;
      }
    }
    if (failure == null) {
      callback.delivered(owner);
    } else {
      callback.failed(owner, failure);
      onBroken.run();
    }
    return more;
  }

  /** Returns true if a write has been in flight for longer than {@code timeoutNanos}. */
  boolean isStalled(long nowNanos, long timeoutNanos) {
    long started = writeStartedNanos;
    return started != 0 && nowNanos - started > timeoutNanos;
  }

  /** Returns true once closed: by {@link #close}, a failed write or a full queue. */
  synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Closes the queue and fails every frame still in it, the one in flight included, with {@code
   * cause}; a write being handed to the transport at this moment completes its hand-over first.
   * Idempotent. Never call it from the hub's send path: callbacks run in the caller.
   */
  void close(Throwable cause) {
    Object[] drained;
    synchronized (this) {
      closed = true;
      // A write being handed over right now goes first, so that the close frame the caller sends
      // next is the last frame on the wire. Handing over never blocks, so this wait is short.
      boolean interrupted = false;
      while (inCall && writer != Thread.currentThread()) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      writeStartedNanos = 0;
      drained = queue.toArray();
      queue.clear();
      frames = 0;
      bytes = 0;
    }
    for (int i = 1; i < drained.length; i += 2) {
      ((DeliveryCallback) drained[i]).failed(owner, cause);
    }
  }
}
