package io.threadwire.spi;

/**
 * What a transport holds for its clients right now, read when metrics are scraped (not on the send
 * path): frames accepted from the hub but not yet written. An implementation may walk its
 * connections, so a caller reads it sparingly.
 */
public interface TransportStats {

  /**
   * Returns the stats of a transport that queues nothing, such as an in-process one.
   *
   * @return stats that always read zero
   */
  static TransportStats none() {
    return NoTransportStats.INSTANCE;
  }

  /**
   * Returns how many frames wait to be written, over every connection.
   *
   * @return the frames queued, the ones being written included
   */
  long queuedFrames();

  /**
   * Returns the size of the frames that wait to be written, over every connection.
   *
   * @return the bytes queued (frame text length, UTF-8 bytes for ASCII)
   */
  long queuedBytes();
}
