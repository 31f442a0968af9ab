package io.threadwire.spi;

/** The stats of a transport that queues nothing: {@link TransportStats#none()}. */
final class NoTransportStats implements TransportStats {

  static final NoTransportStats INSTANCE = new NoTransportStats();

  private NoTransportStats() {}

  @Override
  public long queuedFrames() {
    return 0;
  }

  @Override
  public long queuedBytes() {
    return 0;
  }
}
