package io.threadwire;

import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * The port a host application calls to push messages to every live connection of a thread.
 *
 * <h2>Lifecycle</h2>
 *
 * <ol>
 *   <li><b>New</b>: created, not yet accepting sends; a send answers {@link
 *       SendOutcome.ErrorKind#NOT_STARTED}.
 *   <li><b>Running</b>: after {@link #start()}; sends are accepted.
 *   <li><b>Closed</b>: after {@link #close()}; every send answers {@link
 *       SendOutcome.ErrorKind#CLOSED}, sends still in flight complete with what they achieved so
 *       far, and the adapter closes its connections. Closing is idempotent and final.
 * </ol>
 *
 * <h2>Outcomes</h2>
 *
 * <p>Every send completes its stage with a {@link SendOutcome}; it never completes exceptionally
 * and never throws for an expected condition (not started, closed, invalid message, no recipients,
 * failing connections). Only programming errors ({@code null} arguments) throw. Each call returns a
 * stage of its own: completing or cancelling it affects nobody else. Callbacks attached to it may
 * run on a transport or maintenance thread and must not block.
 *
 * <h2>Ordering, thread safety and back-pressure</h2>
 *
 * <p>Implementations are thread-safe. Per thread, messages get increasing offsets and every
 * connection receives them in offset order, also under concurrent senders. A send never blocks on a
 * client: writes are asynchronous, each connection's outbound queue is bounded by the transport,
 * and a send whose writes are not acknowledged within the send timeout completes with what it
 * achieved (an {@link SendOutcome.ErrorKind#TIMEOUT} error if nothing was written).
 */
public interface ThreadMessaging extends AutoCloseable {

  /**
   * Sends {@code message} to every connection joined to {@code thread} and keeps it in the thread's
   * history, if the thread's history policy keeps any.
   *
   * @param thread the thread
   * @param message the message
   * @return a stage that always completes normally with the outcome
   */
  default CompletionStage<SendOutcome> send(ThreadId thread, Message message) {
    return send(thread, message, SendOptions.defaults());
  }

  /**
   * Sends {@code message} to every connection joined to {@code thread}, as {@code options} say.
   *
   * @param thread the thread
   * @param message the message
   * @param options how to send
   * @return a stage that always completes normally with the outcome
   */
  CompletionStage<SendOutcome> send(ThreadId thread, Message message, SendOptions options);

  /**
   * Sends and waits for the outcome. Implementations bound the wait by the send timeout; an
   * interrupt ends the wait with an {@link SendOutcome.ErrorKind#INTERNAL} error and the interrupt
   * flag set. Never call it from a callback of another send's stage.
   *
   * @param thread the thread
   * @param message the message
   * @param options how to send
   * @return the outcome, never null
   */
  default SendOutcome sendAndWait(ThreadId thread, Message message, SendOptions options) {
    try {
      return send(thread, message, options).toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SendOutcome.error(
          SendOutcome.ErrorKind.INTERNAL,
          "interrupted while waiting for the outcome",
          Optional.of(e));
    } catch (ExecutionException | CancellationException e) {
      return SendOutcome.error(
          SendOutcome.ErrorKind.INTERNAL, "send failed unexpectedly: " + e, Optional.of(e));
    }
  }

  /**
   * {@return the number of connections joined to {@code thread} now}
   *
   * @param thread the thread
   */
  int connectionCount(ThreadId thread);

  /**
   * {@return the number of distinct users with at least one connection joined to {@code thread}}
   *
   * @param thread the thread
   */
  int userCount(ThreadId thread);

  /** {@return where in its lifecycle this instance is} */
  State state();

  /**
   * Starts accepting sends. Idempotent while running.
   *
   * @throws IllegalStateException if already closed
   */
  void start();

  /**
   * {@return why {@link #start()} failed, if it did: the exception it threw, naming what could not
   * be started (for a network transport, the address and the cause, such as a port in use)} A
   * transport whose start failed is closed, so its sends answer {@link
   * SendOutcome.ErrorKind#CLOSED}; readiness reports read this to say why. Empty by default, and
   * while the start has not failed.
   */
  default Optional<Throwable> startFailure() {
    return Optional.empty();
  }

  /** Stops accepting sends and releases resources. Idempotent; never throws. */
  @Override
  void close();

  /** The lifecycle states of a {@link ThreadMessaging}. */
  enum State {
    /** Created, not started. */
    NEW,
    /** Accepting sends. */
    RUNNING,
    /** Closed for good. */
    CLOSED
  }
}
