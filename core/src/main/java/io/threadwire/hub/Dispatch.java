package io.threadwire.hub;

import io.threadwire.SendOutcome;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * Tracks whether the current thread is inside a hub critical section (holding a thread's lock while
 * handing frames to transports), so that:
 *
 * <ul>
 *   <li>outcomes completed there (a transport answering an earlier send synchronously) are deferred
 *       until the section ends: user callbacks never run under a hub lock, and a callback that
 *       sends again cannot interleave its message into a fan-out in progress;
 *   <li>a transport that calls back into the hub from {@code send} or {@code joined} fails fast
 *       instead of deadlocking.
 * </ul>
 */
final class Dispatch {

  private static final ThreadLocal<Dispatch> CURRENT = ThreadLocal.withInitial(Dispatch::new);

  private int depth;
  private ArrayDeque<Object> deferred; // future, outcome, future, outcome, ...

  private Dispatch() {}

  static Dispatch enter() {
    Dispatch d = CURRENT.get();
    d.depth++;
    return d;
  }

  /** Leaves the section; the outermost exit completes every deferred outcome. */
  void exit() {
    if (--depth > 0 || deferred == null) {
      return;
    }
    ArrayDeque<Object> pending = deferred;
    deferred = null;
    while (!pending.isEmpty()) {
      @SuppressWarnings("unchecked")
      CompletableFuture<SendOutcome> f = (CompletableFuture<SendOutcome>) pending.poll();
      f.complete((SendOutcome) pending.poll());
    }
  }

  /** Completes {@code future} now, or at the end of the current section if inside one. */
  static void complete(CompletableFuture<SendOutcome> future, SendOutcome outcome) {
    Dispatch d = CURRENT.get();
    if (d.depth == 0) {
      future.complete(outcome);
      return;
    }
    if (d.deferred == null) {
      d.deferred = new ArrayDeque<>();
    }
    d.deferred.add(future);
    d.deferred.add(outcome);
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
