package io.threadwire.tyrus;

/**
 * A token bucket over the frames one client sends. Not thread-safe: a connection's frames are read
 * one at a time, so only its read path touches it.
 */
final class RateLimiter {

  private final double tokensPerNano;
  private final int burst;
  private double tokens;
  private long lastNanos;
  private int refusedInARow;

  RateLimiter(TyrusSettings.RateLimit limit, long nowNanos) {
    this.tokensPerNano = limit.frames() / (double) limit.per().toNanos();
    this.burst = limit.burst();
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  /** Takes one token; returns false (and counts a refusal) if the bucket is empty. */
  boolean tryAcquire(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * tokensPerNano);
      lastNanos = nowNanos;
    }
    if (tokens >= 1) {
      tokens -= 1;
      refusedInARow = 0;
      return true;
    }
    refusedInARow++;
    return false;
  }

  /** Returns how many frames in a row were refused. */
  int refusedInARow() {
    return refusedInARow;
  }
}
