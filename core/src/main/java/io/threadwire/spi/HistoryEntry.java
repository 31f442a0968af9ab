package io.threadwire.spi;

import io.threadwire.Message;
import java.time.Instant;
import java.util.Objects;

/**
 * One message kept in a thread's history.
 *
 * @param offset its offset in the thread, at least 1
 * @param message the message
 * @param storedAt when it was stored, by the hub's clock
 */
public record HistoryEntry(long offset, Message message, Instant storedAt) {

  /**
   * Validates the entry.
   *
   * @param message the message
   * @param offset its offset in the thread, at least 1
   * @param storedAt when it was stored, by the hub's clock
   */
  public HistoryEntry {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(storedAt, "storedAt");
    if (offset < 1) {
      throw new IllegalArgumentException("offset must be >= 1, got " + offset);
    }
  }
}
