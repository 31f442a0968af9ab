package io.threadwire.hub;

import io.threadwire.ConnectionId;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.ThreadId;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.TransportConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The accounting of one send: one object is the callback for every recipient, so the send path
 * allocates nothing per recipient. It completes once, when every write has answered, when the
 * deadline passes, or when the hub closes.
 */
final class FanOut implements DeliveryCallback {

  final CompletableFuture<SendOutcome> future = new CompletableFuture<>();
  private final ThreadId thread;
  private final long offset;
  private final long deadlineMillis;
  private final int recipients;
  // One extra count is held by the dispatching thread, so completion never runs under the lock.
  private final AtomicInteger pending;
  private final AtomicInteger delivered = new AtomicInteger();
  private final AtomicBoolean done = new AtomicBoolean();

  /**
   * The thread handing out the frame, until {@link #dispatched()}. Answers given synchronously in
   * that thread are counted in a plain field, sparing two atomic operations per recipient; no other
   * thread can ever see its own {@code Thread} here, so the field needs no volatile.
   */
  private Thread dispatcher = Thread.currentThread();

  private int syncDelivered;
  private List<ConnectionId> failed; // guarded by this
  private Throwable firstFailure; // guarded by this

  FanOut(ThreadId thread, long offset, int recipients, long deadlineMillis) {
    this.thread = thread;
    this.offset = offset;
    this.recipients = recipients;
    this.deadlineMillis = deadlineMillis;
    this.pending = new AtomicInteger(recipients + 1);
  }

  /** Returns a fan-out already completed with {@code outcome}: nothing was handed out. */
  static FanOut completed(ThreadId thread, SendOutcome outcome) {
    FanOut f = new FanOut(thread, 0, 0, 0);
    f.done.set(true);
    f.future.complete(outcome);
    return f;
  }

  @Override
  public void delivered(TransportConnection connection) {
    if (Thread.currentThread() == dispatcher) {
      syncDelivered++;
      return;
    }
    delivered.incrementAndGet();
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

  /**
   * Called by the dispatching thread once every recipient has been handed the frame: folds in the
   * answers it counted synchronously and releases its own count.
   */
  void dispatched() {
    dispatcher = null;
    int sync = syncDelivered;
    if (sync > 0) {
      delivered.addAndGet(sync);
    }
    if (pending.addAndGet(-(sync + 1)) == 0) {
      complete(null, "");
    }
  }

  boolean isDone() {
    return done.get();
  }

  boolean isExpired(long nowMillis) {
    return nowMillis >= deadlineMillis;
  }

  /**
   * Completes with what was achieved: recipients that have not answered count as timed out; if none
   * was written to, the send ends in an error of {@code kind}.
   */
  void expire(ErrorKind kind, String why) {
    complete(kind, why);
  }

  private void answered() {
    if (pending.decrementAndGet() == 0) {
      complete(null, "");
    }
  }

  private void complete(ErrorKind cutShortBy, String why) {
    if (!done.compareAndSet(false, true)) {
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
    int ok = delivered.get();
    List<ConnectionId> failedIds;
    Throwable first;
    synchronized (this) {
      failedIds = failed == null ? List.of() : List.copyOf(failed);
      first = firstFailure;
    }
    int unanswered = Math.max(0, recipients - ok - failedIds.size());
    if (ok > 0) {
      return SendOutcome.delivered(ok, failedIds, offset, unanswered);
    }
    if (cutShortBy != null && unanswered > 0) {
      String reason =
          why
              + ": no connection of thread "
              + thread
              + " acknowledged the write"
              + (offset > 0 ? " (kept in history at offset " + offset + ")" : "");
      Throwable cause =
          cutShortBy == ErrorKind.TIMEOUT
              ? new TimeoutException(why)
              : new IllegalStateException(why);
      return SendOutcome.error(
          cutShortBy, reason, Optional.of(cause), failedIds, unanswered, offset);
    }
    if (offset > 0) {
      return SendOutcome.queued(offset, failedIds);
    }
    return SendOutcome.error(
        ErrorKind.TRANSPORT_FAILURE,
        "every write to thread " + thread + " failed: " + first,
        Optional.ofNullable(first),
        failedIds,
        0,
        offset);
  }
}
