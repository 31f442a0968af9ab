package io.threadwire.spi;

/**
 * Receives the result of one {@link TransportConnection#send}. Implemented by the hub: one callback
 * object serves every recipient of a send, so a transport must pass the connection back rather than
 * capture it.
 */
public interface DeliveryCallback {

  /**
   * The frame was written to {@code connection}.
   *
   * @param connection the connection
   */
  void delivered(TransportConnection connection);

  /**
   * The frame could not be written to {@code connection}, because of {@code cause}.
   *
   * @param connection the connection
   * @param cause the underlying failure
   */
  void failed(TransportConnection connection, Throwable cause);

  /**
   * The write to {@code connection} was handed to the network but not confirmed, and never will be:
   * the connection was cut (or the write failed) while it was in flight, so the client may or may
   * not have received the frame. The outcome counts it as unconfirmed, not failed. Report {@link
   * #failed} instead only for frames known not to have been handed over (still queued, or refused).
   * The default reports {@link #failed}, for callbacks written before this method.
   *
   * @param connection the connection
   * @param cause why the write could not be confirmed
   */
  default void unconfirmed(TransportConnection connection, Throwable cause) {
    failed(connection, cause);
  }

  /** {@return a callback that ignores every result} */
  static DeliveryCallback ignoring() {
    return IgnoringCallback.INSTANCE;
  }
}
