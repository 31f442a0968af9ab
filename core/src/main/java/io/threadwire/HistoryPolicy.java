package io.threadwire;

import java.time.Duration;
import java.util.Objects;

/**
 * How much history a thread keeps and what happens when it is full.
 *
 * <p>History is bounded three ways: by message count, by total bytes (the {@link
 * Message#sizeEstimate()} of each message) and by age. Messages older than {@code maxAge} are
 * evicted whatever the overflow policy; count and byte bounds apply the {@link Overflow} policy.
 *
 * @param enabled whether the thread keeps history at all; when false every send behaves as
 *     transient
 * @param maxMessages the most messages kept, at least 1
 * @param maxBytes the most bytes kept, at least 1
 * @param maxAge the oldest a kept message may be, positive
 * @param overflow what a send does when count or bytes would be exceeded
 */
public record HistoryPolicy(
    boolean enabled, int maxMessages, long maxBytes, Duration maxAge, Overflow overflow) {

  /** What to do when storing a message would exceed the count or byte bound. */
  public enum Overflow {
    /**
     * Evict the oldest messages to make room; a client recovering from before them is told about
     * the gap.
     */
    DROP_OLDEST,
    /** Refuse the new message: the send ends in {@link SendOutcome.ErrorKind#HISTORY_FULL}. */
    REJECT
  }

  private static final HistoryPolicy DEFAULTS =
      new HistoryPolicy(true, 1000, 1024 * 1024, Duration.ofMinutes(5), Overflow.DROP_OLDEST);

  /**
   * Validates the bounds.
   *
   * @param enabled whether the thread keeps history at all; when false every send behaves as
   *     transient
   * @param maxAge the oldest a kept message may be, positive
   * @param maxBytes the most bytes kept, at least 1
   * @param maxMessages the most messages kept, at least 1
   * @param overflow what a send does when count or bytes would be exceeded
   * @throws IllegalArgumentException naming the first bound that is out of range
   */
  public HistoryPolicy {
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(overflow, "overflow");
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages must be >= 1, got " + maxMessages);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be >= 1, got " + maxBytes);
    }
    if (maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(Duration.ofDays(365)) > 0) {
      throw new IllegalArgumentException(
          "maxAge must be positive and at most 365 days, got " + maxAge);
    }
  }

  /** {@return the defaults: 1000 messages, 1 MiB, 5 minutes, drop oldest} */
  public static HistoryPolicy defaults() {
    return DEFAULTS;
  }

  /** {@return a policy that keeps no history: every send to such a thread is transient} */
  public static HistoryPolicy disabled() {
    return new HistoryPolicy(false, 1, 1, Duration.ofSeconds(1), Overflow.DROP_OLDEST);
  }

  /**
   * {@return a copy with {@code maxMessages}}
   *
   * @param maxMessages the most messages kept
   */
  public HistoryPolicy withMaxMessages(int maxMessages) {
    return new HistoryPolicy(enabled, maxMessages, maxBytes, maxAge, overflow);
  }

  /**
   * {@return a copy with {@code maxBytes}}
   *
   * @param maxBytes the most bytes kept
   */
  public HistoryPolicy withMaxBytes(long maxBytes) {
    return new HistoryPolicy(enabled, maxMessages, maxBytes, maxAge, overflow);
  }

  /**
   * {@return a copy with {@code maxAge}}
   *
   * @param maxAge how long a message is kept
   */
  public HistoryPolicy withMaxAge(Duration maxAge) {
    return new HistoryPolicy(enabled, maxMessages, maxBytes, maxAge, overflow);
  }

  /**
   * {@return a copy with {@code overflow}}
   *
   * @param overflow what happens when the history is full
   */
  public HistoryPolicy withOverflow(Overflow overflow) {
    return new HistoryPolicy(enabled, maxMessages, maxBytes, maxAge, overflow);
  }
}
