package io.threadwire.spi;

/** A callback that ignores every result. */
enum IgnoringCallback implements DeliveryCallback {
  INSTANCE;

  @Override
  public void delivered(TransportConnection connection) {}

  @Override
  public void failed(TransportConnection connection, Throwable cause) {}

  @Override
  public void unconfirmed(TransportConnection connection, Throwable cause) {}
}
