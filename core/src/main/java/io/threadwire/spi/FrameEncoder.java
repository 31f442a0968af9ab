package io.threadwire.spi;

import io.threadwire.Message;
import io.threadwire.ThreadId;

/**
 * Encodes a message into the text of the frame every recipient receives. Called once per message
 * and node, after the thread log has assigned its offset (and once per replayed message), never
 * once per recipient.
 */
@FunctionalInterface
public interface FrameEncoder {

  /**
   * {@return the frame text for {@code message}}
   *
   * @param offset the history offset, or 0 for a transient message
   * @param thread the thread
   * @param epoch the epoch of the thread's history
   * @param message the message
   * @throws RuntimeException if the message cannot be encoded; the send then ends in {@code
   *     ENCODING_FAILED}
   */
  String encode(ThreadId thread, long epoch, long offset, Message message);
}
