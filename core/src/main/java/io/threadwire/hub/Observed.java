package io.threadwire.hub;

import io.threadwire.SendOutcome;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.MessagingListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reports a send's outcome to the hub's {@link MessagingListener}. With no listener it does
 * nothing. A send that has completed by the time it returns (no live member, or members that
 * answered in the call) is reported at once, with no allocation; one still waiting for its writes
 * is reported when its stage completes.
 */
final class Observed {

  private Observed() {}

  /** What {@link #start} returns for a send that is not timed. */
  private static final long NOT_TIMED = Long.MIN_VALUE;

  /**
   * Returns {@link System#nanoTime()} if {@code listener} listens and this send is one it wants
   * timed (one in {@link MessagingListener#latencySampleInterval()}, at random), else a marker: the
   * clock is read only for timed sends.
   */
  static long start(MessagingListener listener) {
    if (listener == MessagingListener.none()) {
      return NOT_TIMED;
    }
    int every = listener.latencySampleInterval();
    if (every > 1 && (ThreadLocalRandom.current().nextInt() & (every - 1)) != 0) {
      return NOT_TIMED;
    }
    return System.nanoTime();
  }

  /** Reports {@code result} to {@code listener} now or when it completes; returns it. */
  static CompletionStage<SendOutcome> send(
      MessagingListener listener, long startedNanos, CompletionStage<SendOutcome> result) {
    if (listener == MessagingListener.none()) {
      return result;
    }
    CompletableFuture<SendOutcome> f = result.toCompletableFuture();
    if (f.isDone() && !f.isCompletedExceptionally()) {
      report(listener, f.join(), startedNanos);
    } else {
      f.whenComplete(
          (outcome, failure) -> {
            if (outcome != null) {
              report(listener, outcome, startedNanos);
            }
          });
    }
    return result;
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

  private static void report(MessagingListener listener, SendOutcome outcome, long startedNanos) {
    try {
      long latency = startedNanos == NOT_TIMED ? -1 : Math.max(0, System.nanoTime() - startedNanos);
      listener.sendCompleted(outcome, latency);
    } catch (RuntimeException e) {
      logListenerFailure(e);
    }
  }

  private static void logListenerFailure(RuntimeException e) {
    // The SPI forbids throwing; a broken listener must not break the send it reports.
    System.getLogger(ThreadHub.class.getName())
        .log(System.Logger.Level.WARNING, "messaging listener threw", e);
  }
}
