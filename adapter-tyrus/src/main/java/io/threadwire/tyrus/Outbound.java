package io.threadwire.tyrus;

import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.TransportConnection;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.asyncqueue.AsyncQueueEnabledTransport;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.asyncqueue.MessageCloner;
import org.glassfish.grizzly.asyncqueue.WritableMessage;
import org.glassfish.grizzly.memory.ByteBufferWrapper;

/**
 * The outbound side of one connection: a bounded queue with exactly one asynchronous write in
 * flight behind it. Nothing here blocks, and the caller never writes: {@link #offer} queues the
 * frame and hands the connection to its {@link Flusher}, which writes everything queued at that
 * moment (up to {@link #MAX_BATCH_FRAMES} frames) in one gathering write of the shared, pre-framed
 * bytes. An idle connection's frame goes out at once; a busy one's frames are coalesced, so a burst
 * costs a system call per batch, not per frame. No outcome ever completes in the sender's thread,
 * so none completes under the hub's lock.
 *
 * <p>A write whose result is reported synchronously, inside the write call, is picked up by the
 * flushing thread after the call returns, never by recursion.
 */
final class Outbound implements SendHandler, Runnable {

  /** Most frames one write carries. */
  static final int MAX_BATCH_FRAMES = 64;

  /** Most framed bytes one write carries, unless a single frame is larger. */
  static final long MAX_BATCH_BYTES = 256 * 1024;

  /** A write pending this long while the queue is past its bounds marks the client slow. */
  static final long SLOW_WRITE_NANOS = 20_000_000L;

  /** The queue never holds more than this many times its configured bounds. */
  static final int HARD_LIMIT_FACTOR = 4;

  private static final DeliveryCallback NONE = DeliveryCallback.ignoring();

  /** Slots of a new queue's ring: room for four frames and their callbacks; a power of two. */
  static final int INITIAL_SLOTS = 8;

  /**
   * Per thread, the callbacks of the batch being completed: reused, so completing a write allocates
   * nothing. Taken out while in use, so a callback that completes another batch on the same thread
   * (a synchronous flusher in tests) gets its own.
   */
  private static final ThreadLocal<DeliveryCallback[][]> CALLBACKS =
      ThreadLocal.withInitial(() -> new DeliveryCallback[1][]);

  private final TransportConnection owner;
  private final Runnable onBroken;
  private final Executor flusher;
  private final int maxFrames;
  private final long maxBytes;
  private final long slowWriteNanos;
  private final long hardMaxFrames;
  private final long hardMaxBytes;
  private final OutboundBudget budget;
  private volatile RemoteEndpoint.Async remote;
  private volatile Connection<SocketAddress> tcp;

  /**
   * The transport's asynchronous write queue, written to directly; null to write through the
   * connection's filter chain. Set with {@link #tcp}.
   */
  private volatile AsyncQueueWriter<SocketAddress> tcpWriter;

  private final CompletionHandler<WriteResult<WritableMessage, SocketAddress>> onTcpWrite =
      new EmptyCompletionHandler<>() {
        @Override
        public void completed(WriteResult<WritableMessage, SocketAddress> result) {
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

  // Guarded by this. The queue is a ring of slot pairs held inline, not a deque: the QueuedFrame at
  // an even slot, its callback after it; `frames` pairs from `head` on, wrapping around. The first
  // inFlight pairs are being written; they leave the queue when the write completes. Profiled at
  // N = 10,000, an ArrayDeque cost the sender one more dependent cache miss per recipient (the
  // deque object between this one and its array): a quarter of the publishing thread. Sized for
  // the common case, a frame or two queued (smaller than the deque it replaces); it doubles under
  // back-pressure and never shrinks.
  private Object[] ring = new Object[INITIAL_SLOTS];
  private int head;
  private int frames;
  private long bytes;
  private int inFlight;
  private boolean writing;
  private boolean scheduled;
  private boolean inCall;
  private Thread writer;
  private boolean syncDone;
  private Throwable syncFailure;
  private boolean closed;
  private boolean scratchInUse; // set by collect(): the batch is in the flusher's scratch buffer

  /** When the write in flight started, by {@link System#nanoTime()}; 0 when none is. */
  private volatile long writeStartedNanos;

  /**
   * Creates the queue of {@code owner}.
   *
   * @param onBroken told, on the flushing thread, when a write fails
   * @param flusher runs this queue's flushes; never the sender's thread in production
   */
  Outbound(
      TransportConnection owner,
      Runnable onBroken,
      Executor flusher,
      int maxFrames,
      long maxBytes) {
    this(owner, onBroken, flusher, maxFrames, maxBytes, SLOW_WRITE_NANOS);
  }

  /** As above, with how long a pending write must wait to mark the client slow (for tests). */
  Outbound(
      TransportConnection owner,
      Runnable onBroken,
      Executor flusher,
      int maxFrames,
      long maxBytes,
      long slowWriteNanos) {
    this(owner, onBroken, flusher, maxFrames, maxBytes, slowWriteNanos, OutboundBudget.unlimited());
  }

  /**
   * Creates the queue of {@code owner}, counted against the server's global {@code budget}.
   *
   * @param onBroken told, on the flushing thread, when a write fails
   * @param flusher runs this queue's flushes; never the sender's thread in production
   * @param slowWriteNanos how long a pending write must wait to mark the client slow
   */
  Outbound(
      TransportConnection owner,
      Runnable onBroken,
      Executor flusher,
      int maxFrames,
      long maxBytes,
      long slowWriteNanos,
      OutboundBudget budget) {
    this.budget = budget;
    this.slowWriteNanos = slowWriteNanos;
    this.hardMaxFrames = HARD_LIMIT_FACTOR * (long) maxFrames;
    this.hardMaxBytes =
        maxBytes > Long.MAX_VALUE / HARD_LIMIT_FACTOR
            ? Long.MAX_VALUE
            : HARD_LIMIT_FACTOR * maxBytes;
    this.owner = owner;
    this.onBroken = onBroken;
    this.flusher = flusher;
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
    FULL,
    /**
     * The global budget is spent and this client's write is stuck: the callback was told and the
     * caller must cut the connection.
     */
    OVER_BUDGET
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
    this.tcpWriter = directWriter(tcp);
    this.tcp = tcp;
  }

  /**
   * Returns the write queue of {@code tcp}'s transport, where the last filter of its chain puts
   * every non-blocking write, or null if the transport has none. Writing there directly skips the
   * filter chain, which passes a message frame's bytes through unchanged (no TLS, no extension, the
   * keep-alive idle timeout disabled: see {@link BoundServerContainer}); profiled at N = 1,000,
   * walking it (a filter-chain context, the idle-timeout filter's per-write completion listener,
   * thread-local caches on this non-Grizzly thread) cost about a seventh of the server's core.
   * Frames written through the chain (Tyrus's close frame) land in the same queue, in order.
   */
  @SuppressWarnings("unchecked")
  private static AsyncQueueWriter<SocketAddress> directWriter(Connection<SocketAddress> tcp) {
    if (tcp != null && tcp.getTransport() instanceof AsyncQueueEnabledTransport t) {
      return (AsyncQueueWriter<SocketAddress>) t.getAsyncQueueIO().getWriter();
    }
    return null;
  }

  /** Queues a message frame for the hub: its wire bytes, framed once for every recipient. */
  Offer offer(Frame frame, DeliveryCallback callback) {
    return enqueue(QueuedFrame.of(frame), callback);
  }

  /** Queues a control frame (welcome, joined, error...), reported to nobody. */
  Offer offerControl(String text) {
    return enqueue(QueuedFrame.control(text), NONE);
  }

  /**
   * Returns the bytes this queue holds now, the write in flight included; 0 once closed, when what
   * is left is only waiting to be failed and released, so no one cuts this connection again.
   */
  synchronized long queuedBytes() {
    return closed ? 0 : bytes;
  }

  private Offer enqueue(QueuedFrame item, DeliveryCallback callback) {
    int size = item.length();
    boolean schedule = false;
    Offer result;
    synchronized (this) {
      if (closed) {
        result = Offer.CLOSED;
      } else if (isFull(size)) {
        closed = true;
        writeStartedNanos = 0;
        result = Offer.FULL;
      } else if (budget.isOver() && isWriteStuck()) {
        closed = true;
        writeStartedNanos = 0;
        result = Offer.OVER_BUDGET;
      } else {
        int slot = frames << 1;
        if (slot == ring.length) {
          grow();
        }
        Object[] r = ring;
        int at = (head + slot) & (r.length - 1);
        r[at] = item;
        r[at + 1] = callback;
        budget.hold(item);
        frames++;
        bytes += size;
        if (!writing && !scheduled) {
          scheduled = true;
          schedule = true;
        }
        result = Offer.QUEUED;
      }
    }
    if (result == Offer.CLOSED) {
      callback.failed(owner, Causes.CLOSED);
    } else if (result != Offer.QUEUED) {
      callback.failed(owner, Causes.QUEUE_FULL);
    } else if (schedule) {
      schedule();
    }
    return result;
  }

  /** Doubles the ring, its pairs moved to the start in order; holds the lock. */
  private void grow() {
    Object[] old = ring;
    Object[] bigger = new Object[old.length << 1];
    int first = old.length - head; // the slots from head to the end of the old ring
    System.arraycopy(old, head, bigger, 0, first);
    System.arraycopy(old, 0, bigger, first, head);
    ring = bigger;
    head = 0;
  }

  /** Returns the frame of the {@code i}th queued pair; holds the lock. */
  private QueuedFrame frameAt(int i) {
    Object[] r = ring;
    return (QueuedFrame) r[(head + (i << 1)) & (r.length - 1)];
  }

  /**
   * Returns true if one more frame of {@code size} would overflow this queue because the client is
   * not keeping up. Past the configured bounds, frames are still taken while no write is in flight,
   * or the one in flight has been pending under {@link #SLOW_WRITE_NANOS}: then it is this server's
   * flusher that is behind (a burst, a history replay), not the client. Never more than {@link
   * #HARD_LIMIT_FACTOR} times the bounds, whatever the reason.
   */
  private boolean isFull(int size) {
    boolean over = frames >= maxFrames || bytes + size > maxBytes;
    if (!over) {
      return false;
    }
    if (frames >= hardMaxFrames || bytes + size > hardMaxBytes) {
      return true;
    }
    return isWriteStuck();
  }

  /** Returns true if the write in flight has been pending for {@link #SLOW_WRITE_NANOS}. */
  private boolean isWriteStuck() {
    long started = writeStartedNanos; // 0 unless a write is in flight
    return started != 0 && System.nanoTime() - started >= slowWriteNanos;
  }

  private void schedule() {
    try {
      flusher.execute(this);
    } catch (RuntimeException e) {
      // The server is stopping: close() fails what is left in the queue.
      synchronized (this) {
        scheduled = false;
      }
    }
  }

  /** Writes what is queued; runs on the flusher. */
  @Override
  public void run() {
    QueuedFrame single;
    Buffer batch = null;
    boolean scratch = false;
    Connection<SocketAddress> c = tcp;
    synchronized (this) {
      scheduled = false;
      if (closed || writing || frames == 0) {
        return;
      }
      writing = true;
      if (c != null) {
        batch = collect(c);
        scratch = scratchInUse;
        scratchInUse = false;
        single = null;
      } else {
        inFlight = 1;
        single = frameAt(0);
      }
      inCall = true;
      writer = Thread.currentThread();
      syncDone = false;
      syncFailure = null;
      writeStartedNanos = System.nanoTime() | 1L;
    }
    boolean handedOver = false;
    try {
      if (batch != null) {
        AsyncQueueWriter<SocketAddress> w = tcpWriter;
        if (w != null && scratch) {
          w.write(c, null, batch, onTcpWrite, COPY_REST);
        } else if (w != null) {
          w.write(c, batch, onTcpWrite);
        } else {
          c.write(batch, onTcpWrite);
        }
      } else {
        remote.sendText(single.text(), this);
      }
      handedOver = true;
    } catch (RuntimeException e) {
      written(e);
      handedOver = true;
    } finally {
      if (!handedOver) {
        // An Error escapes: at least never leave close() waiting for this hand-over.
        synchronized (this) {
          inCall = false;
          writer = null;
          notifyAll();
        }
      }
    }
    Throwable failure;
    synchronized (this) {
      inCall = false;
      writer = null;
      notifyAll();
      if (!syncDone) {
        return; // asynchronous: written() completes the batch
      }
      failure = syncFailure;
      syncFailure = null;
    }
    completeBatch(failure);
  }

  /**
   * Marks the head of the queue in flight and returns its frames as one buffer; holds the lock. A
   * single frame is written from its shared bytes; several are copied into one array, written as
   * one plain buffer. Profiled at N = 1,000: wrapping each frame in its own Grizzly buffer (a
   * thread-local cache lookup per frame on this non-Grizzly thread), chaining them in a composite
   * and turning that into a byte-buffer array again in the write took about a fifth of the server's
   * core; copying a batch (at most {@link #MAX_BATCH_BYTES}) costs a memory copy.
   */
  private Buffer collect(Connection<SocketAddress> c) {
    long size = 0;
    int n = 0;
    int limit = Math.min(frames, MAX_BATCH_FRAMES);
    while (n < limit) {
      int length = frameAt(n).length();
      if (n > 0 && size + length > MAX_BATCH_BYTES) {
        break;
      }
      size += length;
      n++;
    }
    inFlight = n;
    if (n == 1) {
      return new ByteBufferWrapper(ByteBuffer.wrap(frameAt(0).bytes()));
    }
    ByteBuffer scratch =
        tcpWriter != null && flusher instanceof Flusher f ? f.scratch((int) size) : null;
    if (scratch != null) {
      scratchInUse = true;
      scratch.clear();
      for (int i = 0; i < n; i++) {
        scratch.put(frameAt(i).bytes());
      }
      scratch.flip();
      return new ByteBufferWrapper(scratch);
    }
    byte[] batch = new byte[(int) size];
    int at = 0;
    for (int i = 0; i < n; i++) {
      byte[] b = frameAt(i).bytes();
      System.arraycopy(b, 0, batch, at, b.length);
      at += b.length;
    }
    return new ByteBufferWrapper(ByteBuffer.wrap(batch));
  }

  /**
   * Copies what is left of a batch written from the flusher's scratch buffer when the transport
   * keeps it to write later (the socket took only part of it, or a write through the filter chain
   * is queued ahead): the scratch buffer is reused by the next batch as soon as the write call
   * returns.
   */
  private static final MessageCloner<WritableMessage> COPY_REST =
      new MessageCloner<>() {
        @Override
        @SuppressWarnings("rawtypes") // as the interface declares it
        public WritableMessage clone(Connection connection, WritableMessage message) {
          ByteBuffer rest = ((Buffer) message).toByteBuffer();
          byte[] copy = new byte[rest.remaining()];
          rest.get(copy);
          return new ByteBufferWrapper(ByteBuffer.wrap(copy));
        }
      };

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
    completeBatch(failure);
  }

  /** Pops the frames just written, tells their callbacks, and schedules the next flush. */
  private void completeBatch(Throwable failure) {
    DeliveryCallback[][] holder = CALLBACKS.get();
    DeliveryCallback[] callbacks = holder[0];
    holder[0] = null; // in use until the end of this call
    if (callbacks == null) {
      callbacks = new DeliveryCallback[MAX_BATCH_FRAMES];
    }
    int n;
    boolean reschedule;
    synchronized (this) {
      writeStartedNanos = 0;
      writing = false;
      if (closed) {
        inFlight = 0;
        holder[0] = callbacks;
        return; // close() has failed everything queued, the frames in flight included
      }
      n = inFlight;
      Object[] r = ring;
      int mask = r.length - 1;
      int h = head;
      long freed = 0;
      for (int i = 0; i < n; i++) {
        QueuedFrame item = (QueuedFrame) r[h];
        callbacks[i] = (DeliveryCallback) r[h + 1];
        r[h] = null;
        r[h + 1] = null;
        h = (h + 2) & mask;
        budget.release(item);
        freed += item.length();
      }
      head = h;
      frames -= n;
      bytes -= freed;
      inFlight = 0;
      if (failure != null) {
        closed = true;
      }
      reschedule = !closed && frames > 0 && !scheduled;
      if (reschedule) {
        scheduled = true;
      }
    }
    try {
      for (int i = 0; i < n; i++) {
        DeliveryCallback callback = callbacks[i];
        callbacks[i] = null;
        if (failure == null) {
          callback.delivered(owner);
        } else {
          // Handed to the network and then failed: part of the batch may have arrived.
          callback.unconfirmed(owner, failure);
        }
      }
    } finally {
      Arrays.fill(callbacks, 0, n, null); // none kept alive, even after a throw
      holder[0] = callbacks;
    }
    if (failure != null) {
      onBroken.run();
    }
    if (reschedule) {
      schedule();
    }
  }

  /** Returns true if a write has been in flight for longer than {@code timeoutNanos}. */
  boolean isStalled(long nowNanos, long timeoutNanos) {
    long started = writeStartedNanos;
    return started != 0 && nowNanos - started > timeoutNanos;
  }

  /** Returns how many frames are queued, the ones being written included; for gauges. */
  synchronized int queuedFrames() {
    return frames;
  }

  /** Returns true once closed: by {@link #close}, a failed write or a full queue. */
  synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Closes the queue: the frames of the write in flight are reported unconfirmed (the client may
   * have received them), every other frame still queued failed, with {@code cause}; a write being
   * handed to the transport at this moment completes its hand-over first. Idempotent. Never call it
   * from the hub's send path: callbacks run in the caller.
   */
  void close(Throwable cause) {
    Object[] drained;
    int handedOver;
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
      // The frames of the write in flight were handed to the network: the client may have them.
      handedOver = writing ? inFlight : 0;
      drained = new Object[frames << 1];
      Object[] r = ring;
      int h = head;
      for (int i = 0; i < drained.length; i += 2) {
        drained[i] = r[h];
        drained[i + 1] = r[h + 1];
        r[h] = null;
        r[h + 1] = null;
        h = (h + 2) & (r.length - 1);
        budget.release((QueuedFrame) drained[i]);
      }
      head = 0;
      frames = 0;
      bytes = 0;
    }
    for (int i = 1; i < drained.length; i += 2) {
      DeliveryCallback callback = (DeliveryCallback) drained[i];
      if (i / 2 < handedOver) {
        callback.unconfirmed(owner, cause);
      } else {
        callback.failed(owner, cause);
      }
    }
  }
}
