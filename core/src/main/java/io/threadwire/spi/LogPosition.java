package io.threadwire.spi;

/**
 * A point in one thread's log: an epoch and the offset of the newest entry in it (0 when the epoch
 * holds none yet).
 *
 * @param epoch the epoch; it changes whenever the log lost history (a restart of an in-memory log,
 *     a wiped server)
 * @param offset the newest offset of that epoch, at least 0
 */
public record LogPosition(long epoch, long offset) {

  /**
   * Validates the position.
   *
   * @param epoch the epoch
   * @param offset the offset
   */
  public LogPosition {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, got " + offset);
    }
  }
}
