package io.threadwire.hub;

import io.threadwire.SendOutcome;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.MessagingListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reports sends and joins to the hub's {@link MessagingListener}; with no listener it does nothing
 * and allocates nothing.
 *
 * <p>A send that reaches the log is reported by its own outcome future ({@link #future}, a {@link
 * SendFuture}) at the moment the hub completes it ({@link #complete}), on the completing thread,
 * outside every hub lock (completions inside a hub section are deferred to its end, see {@link
 * Dispatch}), to the listener's recorder for that thread ({@link MessagingListener#sendRecorder()},
 * kept by the thread's {@link Dispatch}): no completion stage is added, nothing is allocated beyond
 * the future the send has anyway, and no thread-local is looked up beyond the hub's own. A send
 * that ends before that (not running, no recipients, refused, a duplicate) is reported by the port
 * through {@link #early}, which recognises the futures that report themselves ({@link Reported}).
 */
final class Observed {

  private Observed() {}

  /** Returns the outcome future of a send that reaches the log: one that reports itself. */
  static CompletableFuture<SendOutcome> future(MessagingListener listener) {
    if (listener == MessagingListener.none()) {
      return new CompletableFuture<>();
    }
    int every = listener.latencySampleInterval();
    if (every > 1 && (ThreadLocalRandom.current().nextInt() & (every - 1)) != 0) {
      return new SendFuture(listener);
    }
    return new TimedSendFuture(listener, System.nanoTime());
  }

  /**
   * Reports {@code result} unless it reports itself (a send's own future or a copy of it): now if
   * it has completed, else when it completes (only a duplicate of a send still in flight, or a send
   * waiting for a log subscription, gets here). Such sends are not timed.
   */
  static CompletionStage<SendOutcome> early(
      MessagingListener listener, CompletionStage<SendOutcome> result) {
    if (listener == MessagingListener.none() || result instanceof Reported) {
      return result;
    }
    CompletableFuture<SendOutcome> f = result.toCompletableFuture();
    if (f.isDone() && !f.isCompletedExceptionally()) {
      report(listener, f.join(), -1);
    } else {
      f.whenComplete(
          (outcome, failure) -> {
            if (outcome != null) {
              report(listener, outcome, -1);
            }
          });
    }
    return result;
  }

  /**
   * Returns a future completed as {@code result} is, that the port will not report again: for a
   * stage whose outcome was reported on the way (through {@link #early} or a send's own future).
   */
  static CompletionStage<SendOutcome> reported(
      MessagingListener listener, CompletionStage<SendOutcome> result) {
    if (listener == MessagingListener.none()) {
      return result;
    }
    Reported marked = new Reported();
    result.whenComplete(marked::settle);
    return marked;
  }

  /**
   * Returns a future completed as {@code result} is, having reported its outcome first: for a send
   * over a log that reports deliveries, whose own future reports nothing ({@code result} is its
   * outcome combined with the other nodes' reports, the one its caller gets). Timed, in the
   * listener's sample interval, from this call (the message handed to the log) to the combined
   * outcome, so the latency includes the wait for the other nodes' reports.
   */
  static CompletionStage<SendOutcome> combined(
      MessagingListener listener, CompletionStage<SendOutcome> result) {
    if (listener == MessagingListener.none()) {
      return result;
    }
    int every = listener.latencySampleInterval();
    long started =
        every > 1 && (ThreadLocalRandom.current().nextInt() & (every - 1)) != 0
            ? -1
            : System.nanoTime();
    Reported marked = new Reported();
    result.whenComplete(
        (outcome, failure) -> {
          if (outcome != null) {
            report(listener, outcome, started < 0 ? -1 : Math.max(0, System.nanoTime() - started));
          }
          marked.settle(outcome, failure);
        });
    return marked;
  }

  /** Reports an answered join. */
  static void join(MessagingListener listener, JoinResult result) {
    if (listener != MessagingListener.none()) {
      try {
        listener.joined(result);
      } catch (RuntimeException e) {
        logListenerFailure(e);
      }
    }
  }

  static void report(MessagingListener listener, SendOutcome outcome, long latencyNanos) {
    try {
      listener.sendCompleted(outcome, latencyNanos);
    } catch (RuntimeException e) {
      logListenerFailure(e);
    }
  }

  private static void logListenerFailure(RuntimeException e) {
    // The SPI forbids throwing; a broken listener must not break the send it reports.
    System.getLogger(ThreadHub.class.getName())
        .log(System.Logger.Level.WARNING, "messaging listener threw", e);
  }

  /** A send outcome future whose outcome has been, or will be, reported by the hub itself. */
  static class Reported extends CompletableFuture<SendOutcome> {

    void settle(SendOutcome outcome, Throwable failure) {
      if (failure != null) {
        completeExceptionally(failure);
      } else {
        super.complete(outcome);
      }
    }

    /** A copy the port does not report again (a keyed send hands its caller a copy). */
    @Override
    public CompletableFuture<SendOutcome> copy() {
      Reported copy = new Reported();
      whenComplete(copy::settle);
      return copy;
    }
  }

  /**
   * Completes a send's outcome future; one that reports itself ({@link SendFuture}) is recorded
   * first, on this thread, through the recorder {@code section} keeps for its listener, so the
   * counts include it by the time a caller sees the outcome. The hub completes each send once (the
   * fan-out's done flag); a future the caller completed or cancelled first is not recorded.
   */
  static void complete(
      Dispatch section, CompletableFuture<SendOutcome> future, SendOutcome outcome) {
    if (future instanceof SendFuture send && !send.isDone()) {
      try {
        section.recorder(send.listener).sendCompleted(outcome, send.latencyNanos());
      } catch (RuntimeException e) {
        logListenerFailure(e);
      }
    }
    future.complete(outcome);
  }

  /** Returns {@code listener}'s recorder for the calling thread; its own method if it fails. */
  static MessagingListener.SendRecorder recorderOf(MessagingListener listener) {
    try {
      MessagingListener.SendRecorder r = listener.sendRecorder();
      if (r != null) {
        return r;
      }
    } catch (RuntimeException e) {
      logListenerFailure(e);
    }
    return listener::sendCompleted;
  }

  /**
   * The outcome future of one untimed send that reaches the log: the hub records its outcome as it
   * completes it ({@link #complete}), so it overrides nothing of {@link CompletableFuture} and a
   * call of {@code complete} stays monomorphic.
   */
  static class SendFuture extends Reported {
    final MessagingListener listener;

    SendFuture(MessagingListener listener) {
      this.listener = listener;
    }

    /** Returns the send's latency until now, -1 for an untimed send. */
    long latencyNanos() {
      return -1;
    }
  }

  /** The outcome future of a timed send (one in the listener's sample interval). */
  static final class TimedSendFuture extends SendFuture {
    private final long startedNanos;

    TimedSendFuture(MessagingListener listener, long startedNanos) {
      super(listener);
      this.startedNanos = startedNanos;
    }

    @Override
    long latencyNanos() {
      return Math.max(0, System.nanoTime() - startedNanos);
    }
  }
}
