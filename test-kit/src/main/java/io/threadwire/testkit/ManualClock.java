package io.threadwire.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that moves only when told to, so tests of timeouts, history age and expiry never
 * depend on wall time. Thread-safe.
 */
public final class ManualClock extends Clock {

  private volatile Instant now;
  private final ZoneId zone;

  private ManualClock(Instant start, ZoneId zone) {
    this.now = start;
    this.zone = zone;
  }

  /** {@return a clock standing at 2026-01-01T00:00:00Z} */
  public static ManualClock create() {
    return at(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /**
   * {@return a clock standing at {@code start}}
   *
   * @param start the starting instant
   */
  public static ManualClock at(Instant start) {
    return new ManualClock(Objects.requireNonNull(start, "start"), ZoneOffset.UTC);
  }

  /**
   * Moves the clock forward by {@code amount}.
   *
   * @param amount how far to move the clock
   * @throws IllegalArgumentException if {@code amount} is negative
   */
  public synchronized void advance(Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("a manual clock only moves forward, got " + amount);
    }
    now = now.plus(amount);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public long millis() {
    return now.toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    ManualClock outer = this;
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return zone;
      }

      @Override
      public Clock withZone(ZoneId z) {
        return outer.withZone(z);
      }

      @Override
      public Instant instant() {
        return outer.instant();
      }
    };
  }

  @Override
  public String toString() {
    return "ManualClock{" + now + "}";
  }
}
