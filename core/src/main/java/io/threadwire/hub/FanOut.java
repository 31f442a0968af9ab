package io.threadwire.hub;

import io.threadwire.ConnectionId;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.MessagingListener;
import io.threadwire.spi.TransportConnection;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

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
  private static final AtomicIntegerFieldUpdater<FanOut> UNCONFIRMED =
      AtomicIntegerFieldUpdater.newUpdater(FanOut.class, "unconfirmed");
  private static final AtomicLongFieldUpdater<FanOut> DEADLINE =
      AtomicLongFieldUpdater.newUpdater(FanOut.class, "deadlineMillis");
  private static final AtomicIntegerFieldUpdater<FanOut> DONE =
      AtomicIntegerFieldUpdater.newUpdater(FanOut.class, "done");
  private static final AtomicLongFieldUpdater<FanOut> OFFSET =
      AtomicLongFieldUpdater.newUpdater(FanOut.class, "offset");
  private static final AtomicIntegerFieldUpdater<FanOut> DISPATCHED =
      AtomicIntegerFieldUpdater.newUpdater(FanOut.class, "dispatchedByLog");

  /** How many members' headers {@link #dispatch} reads ahead at a time; a power of two. */
  static final int TOUCH_BLOCK = 16;

  /**
   * The fewest members {@link #dispatch} reads ahead for. Below it the members' objects are likely
   * in cache and the extra pass costs more than it saves: with it from 32 members on, {@code
   * CoreSendBenchmark} (whose transport's send costs under a nanosecond) took 1,320-1,550 ns per
   * send at N = 1,000 against 640-850 without, alternated, on a quiet machine.
   */
  static final int READ_AHEAD_FROM = 4096;

  final CompletableFuture<SendOutcome> future; // reports itself to a listener (issue 15)
  final ThreadState thread;
  final long token;

  /**
   * When the send expires: the send timeout until dispatch; from dispatch on, the earlier of that
   * and the outcome deadline after dispatch. One deadline per send, checked by the hub's sweep:
   * nothing per recipient.
   */
  private volatile long deadlineMillis;

  /** The offset the log confirmed (appended) or dispatched at; 0 while unknown or transient. */
  private volatile long offset;

  /** The epoch of {@link #offset} when the log confirmed it; set before {@link #offset}. */
  private volatile long epoch;

  /**
   * Set (to 1) under the thread's monitor when the sequencer took this send to dispatch it; see
   * {@link #markDispatched}.
   */
  private volatile int dispatchedByLog;

  private int recipients;
  // Dispatch adds one extra count, held until it ends, so completion never runs mid fan-out.
  // Zero until then (nothing answers before dispatch), which spares a volatile store, a full
  // fence, in the constructor of every send.
  private volatile int pending;
  private volatile int delivered;
  private volatile int unconfirmed;
  private volatile int done;

  /**
   * The thread handing out the frame, during {@link #dispatch}. Answers given synchronously in that
   * thread are counted in a plain field, sparing two atomic operations per recipient; no other
   * thread can ever see its own {@code Thread} here, so the field needs no volatile.
   */
  private Thread dispatcher;

  private int syncDelivered;

  /** Where the touch-ahead of {@link #dispatch} keeps what it read; never used otherwise. */
  @SuppressWarnings("unused")
  private Class<?> lastMemberClass;

  private List<ConnectionId> failed; // guarded by this
  private Throwable firstFailure; // guarded by this

  FanOut(ThreadState thread, long token, long deadlineMillis, MessagingListener listener) {
    this.future = Observed.future(listener);
    this.thread = thread;
    this.token = token;
    this.deadlineMillis = deadlineMillis;
  }

  /**
   * Hands {@code frame} to every member; called by the sequencer under the thread's monitor, inside
   * a {@link Dispatch} section, so outcomes completed here are deferred past the lock.
   */
  void dispatch(TransportConnection[] members, Frame frame, long writeDeadlineMillis) {
    // A release store rather than a volatile one: the atomic add below fences anyway, and readers
    // on other threads need only the value; this spares a full fence per send.
    OFFSET.lazySet(this, frame.offset());
    if (writeDeadlineMillis < deadlineMillis) {
      DEADLINE.lazySet(this, writeDeadlineMillis);
    }
    recipients = members.length;
    dispatcher = Thread.currentThread();
    PENDING.addAndGet(this, members.length + 1);
    if (members.length < READ_AHEAD_FROM) {
      for (TransportConnection member : members) {
        sendTo(member, frame);
      }
    } else {
      sendReadingAhead(members, frame);
    }
    dispatcher = null;
    int sync = syncDelivered;
    if (sync > 0) {
      DELIVERED.addAndGet(this, sync);
    }
    if (PENDING.addAndGet(this, -(sync + 1)) == 0) {
      complete(null, "", true);
    }
  }

  /** Hands {@code frame} to {@code member}; a transport that throws counts as a failed write. */
  private void sendTo(TransportConnection member, Frame frame) {
    try {
      member.send(frame, this);
    } catch (RuntimeException e) {
      // The SPI forbids throwing; count it failed and keep going with the other members.
      LOG.log(
          Level.WARNING, "transport threw from send to connection " + Outcomes.safeId(member), e);
      failed(member, e);
    }
  }

  /**
   * The member loop for large fan-outs: while sending to one block of {@link #TOUCH_BLOCK} members,
   * reads the headers of the next block first (see {@link #touch}). Its own method, so the common,
   * small fan-out's loop stays as small as it was (inlining budgets).
   */
  private void sendReadingAhead(TransportConnection[] members, Frame frame) {
    int n = members.length;
    Class<?> seen = touch(members, 0, TOUCH_BLOCK, null);
    for (int i = 0; i < n; i++) {
      if ((i & (TOUCH_BLOCK - 1)) == 0 && i + TOUCH_BLOCK < n) {
        seen = touch(members, i + TOUCH_BLOCK, Math.min(n, i + 2 * TOUCH_BLOCK), seen);
      }
      sendTo(members[i], frame);
    }
    lastMemberClass = seen;
  }

  /**
   * Reads the headers of {@code members[from..to)} and returns the last class seen (so that the
   * compiler cannot drop the reads). {@link #dispatch} calls it for the next block of members while
   * sending to the current one: at N = 10,000 the members' objects are far beyond the caches, and
   * profiled there, the first read of each member's header was most of the sending thread's time. A
   * transport's send (a lock, an atomic) keeps the processor from running ahead to the next
   * member's miss on its own, so the misses came one after another; read here, back to back with
   * nothing in between that waits, they overlap.
   */
  private static Class<?> touch(TransportConnection[] members, int from, int to, Class<?> seen) {
    for (int j = from; j < to; j++) {
      TransportConnection m = members[j];
      if (m != null && m.getClass() != seen) {
        seen = m.getClass();
      }
    }
    return seen;
  }

  /** Notes where the log stored this send, before its entry reached the sequencer. */
  void confirmed(long epoch, long offset) {
    if (this.offset == 0) {
      this.epoch = epoch;
      this.offset = offset;
    }
  }

  /** {@return the epoch the log confirmed storing this send in; meaningful once {@link #offset}} */
  long confirmedEpoch() {
    return epoch;
  }

  /** {@return the offset the log confirmed or dispatched this send at; 0 while unknown} */
  long offset() {
    return offset;
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

  @Override
  public void unconfirmed(TransportConnection connection, Throwable cause) {
    UNCONFIRMED.incrementAndGet(this);
    answered();
  }

  /**
   * Notes that the sequencer took this send to dispatch it; called under the thread's monitor. A
   * release store: every reader either runs on this thread or decides under that same monitor (or
   * after the pending count, which dispatch fences, reached zero), so the full fence of a volatile
   * store buys nothing here.
   */
  void markDispatched() {
    DISPATCHED.lazySet(this, 1);
  }

  /** {@return true once the sequencer took this send to dispatch it} */
  boolean dispatchedByLog() {
    return dispatchedByLog != 0;
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
   * Completes with what was achieved: recipients that have not answered count as unconfirmed; if
   * none was confirmed and the message was not stored, the send ends in an error of {@code kind}. A
   * send the log never delivered ends {@code QUEUED} if the log confirmed storing it, else in an
   * error ({@link ErrorKind#LOG_TIMEOUT} for a timeout).
   */
  void expire(ErrorKind kind, String why) {
    complete(kind, why, false);
  }

  private void answered() {
    if (PENDING.decrementAndGet(this) == 0) {
      complete(null, "", true);
    }
  }

  /**
   * Completes unless already done; {@code allAnswered} when the caller took the pending count to
   * zero, so every write's answer (and its failure record) happened before.
   */
  private void complete(ErrorKind cutShortBy, String why, boolean allAnswered) {
    if (!DONE.compareAndSet(this, 0, 1)) {
      return;
    }
    SendOutcome outcome;
    try {
      outcome = outcome(cutShortBy, why, allAnswered);
    } catch (RuntimeException e) {
      outcome =
          SendOutcome.error(ErrorKind.INTERNAL, "could not account the send: " + e, Optional.of(e));
    }
    Dispatch.complete(future, outcome);
  }

  private SendOutcome outcome(ErrorKind cutShortBy, String why, boolean allAnswered) {
    if (dispatchedByLog == 0) {
      return Outcomes.undispatched(thread.id, cutShortBy, why, offset);
    }
    int ok = delivered;
    List<ConnectionId> failedIds;
    Throwable first;
    if (allAnswered && failed == null) {
      // Every failed() wrote under the lock before its decrement of the pending count, and the
      // decrement to zero read after all of them: none failed. Sparing the lock in this, the
      // common case saves a monitor enter and exit per send; with failures (or a transport that
      // answers twice) the lock is still taken.
      failedIds = List.of();
      first = null;
    } else {
      synchronized (this) {
        failedIds = failed == null ? List.of() : List.copyOf(failed);
        first = firstFailure;
      }
    }
    return Outcomes.fannedOut(
        thread.id, recipients, ok, unconfirmed, failedIds, first, offset, cutShortBy, why);
  }
}
