package io.threadwire.hub;

import io.threadwire.SendOutcome;
import io.threadwire.spi.MessagingListener;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * Tracks whether the current thread is inside a hub section (dispatching to transports, or calling
 * the log whose subscription may dispatch inline), so that:
 *
 * <ul>
 *   <li>outcomes completed there (a transport answering synchronously) are deferred until the
 *       section ends: user callbacks never run under a hub lock, and a callback that sends again
 *       cannot interleave its message into a fan-out in progress;
 *   <li>other completions that must not run under a hub lock (a join's) are deferred the same way;
 *   <li>a transport that calls back into the hub from {@code send} or {@code joined} fails fast
 *       instead of deadlocking.
 * </ul>
 */
final class Dispatch {

  private static final ThreadLocal<Dispatch> CURRENT = ThreadLocal.withInitial(Dispatch::new);

  private int depth;
  // future, outcome, future, outcome, ... or a Runnable; kept for the thread's life, so a
  // section that defers costs no allocation once the deque has grown.
  private final ArrayDeque<Object> deferred = new ArrayDeque<>();

  /**
   * The send whose append is in progress on this thread over a log that delivers inline; the
   * sequencer takes it when its entry arrives (see {@code Sending}).
   */
  FanOut handoff;

  // The listener whose recorder this thread used last, and that recorder (issue 15): a send's
  // outcome is recorded here with no thread-local lookup of the listener's own.
  private MessagingListener recorderOwner;
  private MessagingListener.SendRecorder recorder;

  private Dispatch() {}

  static Dispatch enter() {
    Dispatch d = CURRENT.get();
    d.depth++;
    return d;
  }

  /** Leaves the section; the outermost exit runs every deferred completion. */
  void exit() {
    if (--depth > 0) {
      return;
    }
    // At depth 0, so completions may call the hub; a section they open and close drains this
    // same deque, in order.
    Object next;
    while ((next = deferred.poll()) != null) {
      // The class test first: a test against the Runnable interface, which a future fails, scans
      // its supertypes on every call and profiled as one of the dearest lines of a send.
      if (next instanceof CompletableFuture<?> future) {
        @SuppressWarnings("unchecked")
        CompletableFuture<SendOutcome> f = (CompletableFuture<SendOutcome>) future;
        Observed.complete(this, f, (SendOutcome) deferred.poll());
      } else {
        ((Runnable) next).run();
      }
    }
  }

  /** Completes {@code future} now, or at the end of the current section if inside one. */
  static void complete(CompletableFuture<SendOutcome> future, SendOutcome outcome) {
    Dispatch d = CURRENT.get();
    if (d.depth == 0) {
      Observed.complete(d, future, outcome);
      return;
    }
    d.deferred.add(future);
    d.deferred.add(outcome);
  }

  /** Returns {@code listener}'s recorder for this thread, asking the listener on a change. */
  MessagingListener.SendRecorder recorder(MessagingListener listener) {
    if (listener != recorderOwner) {
      recorder = Observed.recorderOf(listener);
      recorderOwner = listener;
    }
    return recorder;
  }

  /** Runs {@code task} now, or at the end of the current section if inside one. */
  static void later(Runnable task) {
    Dispatch d = CURRENT.get();
    if (d.depth == 0) {
      task.run();
      return;
    }
    d.deferred.add(task);
  }

  /**
   * Throws if the current thread is inside a hub section: a transport called the hub from {@code
   * send} or {@code joined}, which would risk a deadlock.
   */
  static void requireOutside(String operation) {
    if (CURRENT.get().depth > 0) {
      throw new IllegalStateException(
          operation
              + " called from inside TransportConnection.send or joined; a transport must hand"
              + " such calls to another thread");
    }
  }
}
