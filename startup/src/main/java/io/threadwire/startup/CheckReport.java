package io.threadwire.startup;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link ReadinessCheck} did during a run of a {@link StartupSequence}: an immutable line
 * of a {@link ReadinessReport}.
 *
 * @param name the check's name
 * @param order the check's order
 * @param status how the check ended, {@link Status#SKIPPED} if it never ran
 * @param attempts how many attempts were made, 0 if skipped
 * @param duration time from the first attempt to the last answer, zero if skipped
 * @param reason the last attempt's reason or detail, or why the check was skipped
 * @param cause the failure behind the last attempt, if one is known
 */
public record CheckReport(
    String name,
    int order,
    Status status,
    int attempts,
    Duration duration,
    String reason,
    Optional<Throwable> cause) {

  /** How a check ended within one run. */
  public enum Status {
    /** The last attempt answered ready. */
    READY,
    /** Still not ready when the run gave up: the deadline passed, or a one-shot probe said so. */
    NOT_READY,
    /** The check answered failed, threw, or completed exceptionally. */
    FAILED,
    /** Not run, because an earlier check failed. */
    SKIPPED
  }

  /**
   * Validates the report line.
   *
   * @param attempts how many attempts were made, 0 if skipped
   * @param cause the failure behind the last attempt, if one is known
   * @param duration time from the first attempt to the last answer, zero if skipped
   * @param name the check's name
   * @param order the check's order
   * @param reason the last attempt's reason or detail, or why the check was skipped
   * @param status how the check ended, {@link Status#SKIPPED} if it never ran
   * @throws IllegalArgumentException if {@code attempts} or {@code duration} is negative
   */
  public CheckReport {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(cause, "cause");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must be >= 0, got " + attempts);
    }
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative, got " + duration);
    }
  }

  /** {@return true if the check ended {@link Status#READY}} */
  public boolean isReady() {
    return status == Status.READY;
  }

  /**
   * {@return one human-readable line: name, status, duration, attempts, reason and cause, for
   * example {@code messaging READY in 3ms (1 attempt): messaging accepted the probe ...}}
   */
  public String describe() {
    StringBuilder sb =
        new StringBuilder(name)
            .append(' ')
            .append(status)
            .append(" in ")
            .append(duration.toMillis())
            .append("ms (")
            .append(attempts)
            .append(attempts == 1 ? " attempt)" : " attempts)");
    if (!reason.isEmpty()) {
      sb.append(": ").append(reason);
    }
    cause.ifPresent(c -> sb.append(" [cause: ").append(c).append(']'));
    return sb.toString();
  }
}
