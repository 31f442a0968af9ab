package io.threadwire.hub;

import io.threadwire.ConnectionId;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.TransportConnection;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One local send, from the moment it is handed to the thread log until its outcome: it waits for
 * the log to deliver its entry, then is the callback for every recipient, so the send path
 * allocates nothing per recipient. It completes once, when every write has answered, when the log
 * refused or failed it, when the deadline passes, or when the hub closes.
 */
final class FanOut implements DeliveryCallback {

  private static final System.Logger LOG = System.getLogger(ThreadHub.class.getName());
  private static final AtomicIntegerFieldUpdater<FanOut> PENDING =
      AtomicIntegerFieldUpdater.newUpdater(FanOut.class, "pending");
  private static final AtomicIntegerFieldUpdater<FanOut> DELIVERED =
      AtomicIntegerFieldUpdater.newUpdater(FanOut.class, "delivered");
  private static final AtomicIntegerFieldUpdater<FanOut> DONE =
      AtomicIntegerFieldUpdater.newUpdater(FanOut.class, "done");

  final CompletableFuture<SendOutcome> future = new CompletableFuture<>();
  final ThreadState thread;
  final long token;
  private final long deadlineMillis;

  /** The offset the log confirmed (appended) or dispatched at; 0 while unknown or transient. */
  private volatile long offset;

  /** Set under the thread's monitor when the sequencer took this send to dispatch it. */
  volatile boolean dispatchedByLog;

  private int recipients;
  // One extra count is held until dispatch ends, so completion never runs mid fan-out.
  private volatile int pending = 1;
  private volatile int delivered;
  private volatile int done;

  /**
   * The thread handing out the frame, during {@link #dispatch}. Answers given synchronously in that
   * thread are counted in a plain field, sparing two atomic operations per recipient; no other
   * thread can ever see its own {@code Thread} here, so the field needs no volatile.
   */
  private Thread dispatcher;

  private int syncDelivered;
  private List<ConnectionId> failed; // guarded by this
  private Throwable firstFailure; // guarded by this

  FanOut(ThreadState thread, long token, long deadlineMillis) {
    this.thread = thread;
    this.token = token;
    this.deadlineMillis = deadlineMillis;
  }

  /**
   * Hands {@code frame} to every member; called by the sequencer under the thread's monitor, inside
   * a {@link Dispatch} section, so outcomes completed here are deferred past the lock.
   */
  void dispatch(TransportConnection[] members, Frame frame) {
    offset = frame.offset();
    recipients = members.length;
    dispatcher = Thread.currentThread();
    PENDING.addAndGet(this, members.length);
    for (TransportConnection member : members) {
      try {
        member.send(frame, this);
      } catch (RuntimeException e) {
        // The SPI forbids throwing; count it failed and keep going with the other members.
        LOG.log(
            Level.WARNING, "transport threw from send to connection " + Outcomes.safeId(member), e);
        failed(member, e);
      }
    }
    dispatcher = null;
    int sync = syncDelivered;
    if (sync > 0) {
      DELIVERED.addAndGet(this, sync);
    }
    if (PENDING.addAndGet(this, -(sync + 1)) == 0) {
      complete(null, "");
    }
  }

  /** Notes the offset the log stored this send at, before its entry reached the sequencer. */
  void confirmed(long offset) {
    if (this.offset == 0) {
      this.offset = offset;
    }
  }

  @Override
  public void delivered(TransportConnection connection) {
    if (Thread.currentThread() == dispatcher) {
      syncDelivered++;
      return;
    }
    DELIVERED.incrementAndGet(this);
    answered();
  }

  @Override
  public void failed(TransportConnection connection, Throwable cause) {
    synchronized (this) {
      if (failed == null) {
        failed = new ArrayList<>(2);
        firstFailure = cause;
      }
      failed.add(connection.id());
    }
    answered();
  }

  boolean isDone() {
    return done != 0;
  }

  boolean isExpired(long nowMillis) {
    return nowMillis >= deadlineMillis;
  }

  /** Completes with {@code outcome} unless already done: the log's answer decided the send. */
  void finish(SendOutcome outcome) {
    if (DONE.compareAndSet(this, 0, 1)) {
      Dispatch.complete(future, outcome);
    }
  }

  /**
   * Completes with what was achieved: recipients that have not answered count as timed out; if none
   * was written to, the send ends in an error of {@code kind}. A send the log never delivered ends
   * {@code QUEUED} if the log confirmed storing it, else in an error ({@link ErrorKind#LOG_TIMEOUT}
   * for a timeout).
   */
  void expire(ErrorKind kind, String why) {
    complete(kind, why);
  }

  private void answered() {
    if (PENDING.decrementAndGet(this) == 0) {
      complete(null, "");
    }
  }

  private void complete(ErrorKind cutShortBy, String why) {
    if (!DONE.compareAndSet(this, 0, 1)) {
      return;
    }
    SendOutcome outcome;
    try {
      outcome = outcome(cutShortBy, why);
    } catch (RuntimeException e) {
      outcome =
          SendOutcome.error(ErrorKind.INTERNAL, "could not account the send: " + e, Optional.of(e));
    }
    Dispatch.complete(future, outcome);
  }

  private SendOutcome outcome(ErrorKind cutShortBy, String why) {
    if (!dispatchedByLog) {
      return Outcomes.undispatched(thread.id, cutShortBy, why, offset);
    }
    int ok = delivered;
    List<ConnectionId> failedIds;
    Throwable first;
    synchronized (this) {
      failedIds = failed == null ? List.of() : List.copyOf(failed);
      first = firstFailure;
    }
    return Outcomes.fannedOut(thread.id, recipients, ok, failedIds, first, offset, cutShortBy, why);
  }
}
