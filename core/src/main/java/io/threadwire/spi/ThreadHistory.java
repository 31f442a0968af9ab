package io.threadwire.spi;

import io.threadwire.Message;
import java.time.Instant;
import java.util.List;

/**
 * The bounded history of one thread. The hub calls every method while holding that thread's lock,
 * so an implementation sees no concurrent calls for one thread; it must answer quickly.
 */
public interface ThreadHistory {

  /** {@return the epoch: it changes whenever history is lost (for example on restart)} */
  long epoch();

  /** {@return the offset of the newest message ever appended in this epoch, 0 if none} */
  long lastOffset();

  /**
   * Stores {@code message} at the next offset, evicting by the policy's bounds first.
   *
   * @param message the message
   * @param now the current time
   * @return the new offset (at least 1), or -1 if the overflow policy is {@code REJECT} and the
   *     message does not fit
   */
  long append(Message message, Instant now);

  /**
   * {@return the retained messages with an offset greater than {@code offset}, oldest first}
   *
   * @param offset the history offset
   * @param now the current time
   */
  List<HistoryEntry> readAfter(long offset, Instant now);

  /**
   * Evicts messages older than the policy's maximum age.
   *
   * @param now the current time
   */
  void evictExpired(Instant now);

  /** {@return how many messages are retained} */
  int size();

  /** {@return the bytes retained, by {@link Message#sizeEstimate()}} */
  long bytes();

  /** Releases the history: the thread is no longer tracked by this hub. */
  void release();
}
