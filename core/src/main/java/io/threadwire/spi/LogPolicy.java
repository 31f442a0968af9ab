package io.threadwire.spi;

import io.threadwire.HistoryPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link ThreadLog} applies to one thread's appends: the history bounds and overflow policy,
 * and how long and how many idempotency keys it remembers. The hub builds one per thread it tracks
 * and passes the same object with every call for that thread.
 *
 * @param history the thread's history policy; when disabled, nothing is stored and every append is
 *     refused as {@link AppendResult.Status#NOT_STORED}
 * @param idempotencyWindow how long a key's first result is remembered, positive
 * @param idempotencyMaxKeys the most keys remembered for the thread (oldest forgotten first), at
 *     least 1
 */
public record LogPolicy(HistoryPolicy history, Duration idempotencyWindow, int idempotencyMaxKeys) {

  /**
   * Validates the policy.
   *
   * @param history the history
   * @param idempotencyMaxKeys the idempotency max keys
   * @param idempotencyWindow the idempotency window
   */
  public LogPolicy {
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(idempotencyWindow, "idempotencyWindow");
    if (idempotencyWindow.isNegative() || idempotencyWindow.isZero()) {
      throw new IllegalArgumentException(
          "idempotencyWindow must be positive, got " + idempotencyWindow);
    }
    if (idempotencyMaxKeys < 1) {
      throw new IllegalArgumentException(
          "idempotencyMaxKeys must be >= 1, got " + idempotencyMaxKeys);
    }
  }
}
