package io.threadwire.spi;

/**
 * Receives the result of one {@link TransportConnection#send}. Implemented by the hub: one callback
 * object serves every recipient of a send, so a transport must pass the connection back rather than
 * capture it.
 */
public interface DeliveryCallback {

  /** The frame was written to {@code connection}. */
  void delivered(TransportConnection connection);

  /** The frame could not be written to {@code connection}, because of {@code cause}. */
  void failed(TransportConnection connection, Throwable cause);

  /** Returns a callback that ignores both results. */
  static DeliveryCallback ignoring() {
    return IgnoringCallback.INSTANCE;
  }
}
