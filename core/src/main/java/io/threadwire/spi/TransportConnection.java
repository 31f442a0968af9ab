package io.threadwire.spi;

import io.threadwire.ConnectionId;
import io.threadwire.UserId;

/**
 * One client connection as a transport presents it to the {@code ThreadHub}.
 *
 * <p>The hub calls {@link #send} with frames that are already encoded: one frame object per
 * message, shared by every recipient, so a transport must not mutate it. Contract:
 *
 * <ul>
 *   <li>{@code send} must not block; it queues or starts an asynchronous write;
 *   <li>it must report the result exactly once through the callback, from any thread, possibly
 *       before {@code send} returns;
 *   <li>frames handed over for one thread must be written in the order of the {@code send} calls
 *       (the hub calls in offset order);
 *   <li>it must not throw; a transport that cannot take a frame (queue full, closed) reports {@link
 *       DeliveryCallback#failed}. If it throws anyway, the hub counts that write as failed, so the
 *       transport must not also report it through the callback;
 *   <li>a {@link #gap} signal is ordered with the frames like one: written after the frames handed
 *       over before it and before those handed over after it;
 *   <li>neither {@code send} nor {@link #joined} nor {@link #gap} may call the hub ({@code join},
 *       {@code leave}, {@code unregister}, {@code register}) synchronously: the hub holds the
 *       thread's lock there and rejects such calls with {@link IllegalStateException}. A transport
 *       that learns of a dead socket inside {@code send} unregisters from another thread.
 * </ul>
 *
 * <p>{@link #id()} and {@link #user()} must return the same values for the connection's life.
 */
public interface TransportConnection {

  /** {@return the connection's identity, unique among live connections} */
  ConnectionId id();

  /** {@return the user the connection was authenticated as} */
  UserId user();

  /**
   * Starts writing {@code frame} and reports the result to {@code callback} exactly once.
   *
   * @param frame the encoded frame, shared with other connections
   * @param callback told of success or failure, passed this connection
   */
  void send(Frame frame, DeliveryCallback callback);

  /**
   * Called when this connection has joined a thread, before any replayed message is handed to
   * {@link #send}; a transport uses it to acknowledge the join to its client first. The default
   * does nothing.
   *
   * @param result what the join did
   */
  default void joined(JoinResult result) {}

  /**
   * Called when the thread's log skipped entries this connection, a member of the thread, will
   * never receive (lost in the backplane and no longer stored, or a new epoch): a transport tells
   * its client, in order with the messages, so no loss is silent. Called under the thread's lock,
   * like {@link #send}; must not block or throw. The default does nothing (the client learns of the
   * loss only from an offset jump, and not at all from a new epoch).
   *
   * @param gap what was skipped
   */
  default void gap(ThreadGap gap) {}

  /** {@return a short description for logs; defaults to the id and user} */
  default String describe() {
    UserId user = user();
    return id() + "(" + user + ")";
  }
}
