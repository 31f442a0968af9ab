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

  /** {@return a callback that ignores both results} */
  static DeliveryCallback ignoring() {
    return IgnoringCallback.INSTANCE;
  }
}
