package io.threadwire.spi;

import java.util.OptionalLong;

/**
 * Where a joining connection wants to resume a thread: nowhere (live messages only), or after an
 * offset it has already seen, optionally of a known epoch.
 */
public final class Since {

  private static final Since NONE = new Since(-1, -1);

  private final long offset;
  private final long epoch;

  private Since(long offset, long epoch) {
    this.offset = offset;
    this.epoch = epoch;
  }

  /** {@return "live messages only": nothing is replayed} */
  public static Since none() {
    return NONE;
  }

  /**
   * {@return "replay everything after {@code offset}"; 0 replays the whole retained history}
   *
   * @param offset the history offset
   * @throws IllegalArgumentException if {@code offset} is negative
   */
  public static Since offset(long offset) {
    return position(-1, offset);
  }

  /**
   * {@return "replay everything after {@code offset} of {@code epoch}": if the thread's epoch has
   * changed since, everything retained is replayed and the join reports a gap}
   *
   * @param epoch the epoch of the thread's history
   * @param offset the history offset
   * @throws IllegalArgumentException if {@code offset} is negative
   */
  public static Since position(long epoch, long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("since offset must be >= 0, got " + offset);
    }
    return new Since(offset, epoch);
  }

  /** {@return true if nothing is to be replayed} */
  public boolean isNone() {
    return offset < 0;
  }

  /** {@return the last offset the client saw; empty for {@link #none()}} */
  public OptionalLong offset() {
    return offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset);
  }

  /** {@return the epoch the offset belongs to, if the client knows it} */
  public OptionalLong epoch() {
    return epoch < 0 ? OptionalLong.empty() : OptionalLong.of(epoch);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Since s && offset == s.offset && epoch == s.epoch;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(offset) * 31 + Long.hashCode(epoch);
  }

  @Override
  public String toString() {
    return isNone() ? "Since{none}" : "Since{offset=" + offset + ", epoch=" + epoch + "}";
  }
}
