package io.threadwire.inmemory;

import io.threadwire.ConnectionId;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.hub.ThreadHub;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.Since;
import io.threadwire.spi.ThreadGap;
import io.threadwire.spi.TransportConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * A fake client connection of an {@link InMemoryThreadMessaging}: join threads, read what arrived,
 * and inject faults. Thread-safe.
 */
public final class InMemoryClient implements AutoCloseable {

  private final ConnectionId id;
  private final UserId user;
  private final ThreadHub hub;
  private final Executor transportEvents;
  private final Consumer<InMemoryClient> onClose;
  private final Connection connection = new Connection();
  private final List<ReceivedFrame> received = new ArrayList<>(); // guarded by this
  private final List<JoinResult> joins = new ArrayList<>(); // guarded by this
  private final List<ThreadGap> gaps = new ArrayList<>(); // guarded by this
  private final List<Pending> pending = new ArrayList<>(); // guarded by this
  private volatile Fault fault;
  private volatile boolean open = true;

  InMemoryClient(
      ConnectionId id,
      UserId user,
      Fault fault,
      ThreadHub hub,
      Executor transportEvents,
      Consumer<InMemoryClient> onClose) {
    this.id = id;
    this.user = user;
    this.fault = fault;
    this.hub = hub;
    this.transportEvents = transportEvents;
    this.onClose = onClose;
    hub.register(connection);
  }

  /** {@return this connection's id} */
  public ConnectionId id() {
    return id;
  }

  /** {@return the user this connection belongs to} */
  public UserId user() {
    return user;
  }

  /**
   * Joins {@code thread} for live messages only.
   *
   * @param thread the thread
   * @return what the join did
   */
  public JoinResult join(ThreadId thread) {
    return join(thread, Since.none());
  }

  /**
   * Joins {@code thread}, first replaying what was missed after {@code since}.
   *
   * @param thread the thread
   * @param since where the client's recovery starts
   * @return what the join did
   */
  public JoinResult join(ThreadId thread, Since since) {
    requireOpen();
    return hub.join(id, thread, since);
  }

  /**
   * Leaves {@code thread}; returns true if this connection was a member.
   *
   * @param thread the thread
   * @return true if this connection was a member
   */
  public boolean leave(ThreadId thread) {
    requireOpen();
    return hub.leave(id, thread);
  }

  /** {@return every frame received so far, in arrival order} */
  public synchronized List<ReceivedFrame> received() {
    return List.copyOf(received);
  }

  /**
   * {@return the frames received for {@code thread}, in arrival order}
   *
   * @param thread the thread
   */
  public synchronized List<ReceivedFrame> received(ThreadId thread) {
    return received.stream().filter(f -> f.thread().equals(thread)).toList();
  }

  /** {@return every join acknowledgement, in order} */
  public synchronized List<JoinResult> joins() {
    return List.copyOf(joins);
  }

  /**
   * Returns every gap signal received, in order: what the thread's log skipped and this connection
   * will never receive (see {@link ThreadGap}).
   *
   * @return every gap signal received, in order
   */
  public synchronized List<ThreadGap> gaps() {
    return List.copyOf(gaps);
  }

  /**
   * Returns the gap signals received for {@code thread}, in order.
   *
   * @param thread the thread
   * @return the gap signals received for {@code thread}, in order
   */
  public synchronized List<ThreadGap> gaps(ThreadId thread) {
    return gaps.stream().filter(g -> g.thread().equals(thread)).toList();
  }

  /**
   * Changes the fault injected into later writes.
   *
   * @param fault the fault its writes suffer
   */
  public void setFault(Fault fault) {
    this.fault = Objects.requireNonNull(fault, "fault");
  }

  /** {@return how many writes are held by {@link Fault#NEVER_COMPLETE}} */
  public synchronized int pendingWrites() {
    return pending.size();
  }

  /** Acknowledges every held write as delivered, in order. */
  public void completePendingWrites() {
    List<Pending> release;
    synchronized (this) {
      release = new ArrayList<>(pending);
      pending.clear();
      for (Pending p : release) {
        received.add(toReceived(p.frame));
      }
    }
    for (Pending p : release) {
      p.callback.delivered(connection);
    }
  }

  /** {@return false once closed, by {@link #close()} or by a fault} */
  public boolean isOpen() {
    return open;
  }

  /**
   * Disconnects: leaves every thread, stops receiving, and fails every write still held by {@link
   * Fault#NEVER_COMPLETE}. Idempotent.
   */
  @Override
  public void close() {
    open = false;
    hub.unregister(id);
    onClose.accept(this);
    List<Pending> abandoned;
    synchronized (this) {
      abandoned = new ArrayList<>(pending);
      pending.clear();
    }
    for (Pending p : abandoned) {
      p.callback.failed(connection, new IOException("connection " + id + " closed"));
    }
  }

  private void requireOpen() {
    if (!open) {
      throw new IllegalStateException("client " + id + " is closed");
    }
  }

  private static ReceivedFrame toReceived(Frame f) {
    return new ReceivedFrame(f.thread(), f.epoch(), f.offset(), f.message(), f.text());
  }

  private record Pending(Frame frame, DeliveryCallback callback) {}

  /** The transport side the hub writes to. */
  private final class Connection implements TransportConnection {
    @Override
    public ConnectionId id() {
      return id;
    }

    @Override
    public UserId user() {
      return user;
    }

    @Override
    public void send(Frame frame, DeliveryCallback callback) {
      if (!open) {
        callback.failed(this, new IOException("connection " + id + " is closed"));
        return;
      }
      switch (fault) {
        case NONE -> {
          synchronized (InMemoryClient.this) {
            if (!pending.isEmpty()) {
              // Writes complete in order: this one waits behind the held ones.
              pending.add(new Pending(frame, callback));
              return;
            }
            received.add(toReceived(frame));
          }
          callback.delivered(this);
        }
        case FAIL_WRITES -> callback.failed(this, new IOException("injected write failure"));
        case NEVER_COMPLETE -> {
          synchronized (InMemoryClient.this) {
            pending.add(new Pending(frame, callback));
          }
        }
        case CLOSE_DURING_FANOUT -> {
          open = false;
          // A real transport learns of the close on its own thread; never re-enter the hub here.
          try {
            transportEvents.execute(() -> hub.unregister(id));
          } catch (RejectedExecutionException e) {
            // The messaging is closing; it forgets every connection anyway.
          }
          callback.failed(this, new IOException("connection " + id + " closed during fan-out"));
        }
        case CUT_MID_WRITE -> {
          synchronized (InMemoryClient.this) {
            received.add(toReceived(frame)); // it reached the client; nobody confirmed it
          }
          open = false;
          try {
            transportEvents.execute(() -> hub.unregister(id));
          } catch (RejectedExecutionException e) {
            // The messaging is closing; it forgets every connection anyway.
          }
          callback.unconfirmed(this, new IOException("connection " + id + " cut mid-write"));
        }
      }
    }

    @Override
    public void joined(JoinResult result) {
      synchronized (InMemoryClient.this) {
        joins.add(result);
      }
    }

    @Override
    public void gap(ThreadGap gap) {
      if (!open) {
        return;
      }
      synchronized (InMemoryClient.this) {
        gaps.add(gap);
      }
    }
  }
}
