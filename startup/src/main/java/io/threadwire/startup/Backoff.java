package io.threadwire.startup;

import java.time.Duration;

/** The pauses between retries of a not-ready check: exponential, capped, without jitter. */
final class Backoff {

  private final long initialNanos;
  private final long maxNanos;
  private final double multiplier;

  private Backoff(Duration initial, Duration max, double multiplier) {
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.multiplier = multiplier;
  }

  static Backoff of(StartupSettings settings) {
    return new Backoff(
        settings.backoffInitial(), settings.backoffMax(), settings.backoffMultiplier());
  }

  /** Returns the pause after the {@code attempt}-th failed attempt (1-based). */
  Duration pauseAfter(int attempt) {
    double nanos = initialNanos * Math.pow(multiplier, Math.max(0, attempt - 1));
    // Doubles saturate rather than overflow, so the cap also covers very late attempts.
    return Duration.ofNanos(nanos >= maxNanos ? maxNanos : (long) nanos);
  }
}
