package io.threadwire.startup;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer of one attempt of a {@link ReadinessCheck}: an immutable status, a human-readable
 * reason and, for failures, an optional cause.
 */
public final class CheckResult {

  /** How one attempt of a check ended. */
  public enum Status {
    /** Ready: the reason says what was found, for example "messaging accepted the probe". */
    READY,
    /** Not ready yet: the sequence retries with backoff until its deadline. */
    NOT_READY,
    /** Broken: the sequence stops at once and startup fails. */
    FAILED
  }

  private final Status status;
  private final String reason;
  private final Throwable cause;

  private CheckResult(Status status, String reason, Throwable cause) {
    this.status = status;
    this.reason = Objects.requireNonNull(reason, "reason");
    this.cause = cause;
  }

  /**
   * {@return a {@link Status#READY} result; {@code detail} says what was found}
   *
   * @param detail what was found ready
   */
  public static CheckResult ready(String detail) {
    return new CheckResult(Status.READY, detail, null);
  }

  /**
   * {@return a {@link Status#NOT_READY} result: not yet, try again later}
   *
   * @param reason a human-readable reason
   */
  public static CheckResult notReady(String reason) {
    return new CheckResult(Status.NOT_READY, reason, null);
  }

  /**
   * {@return a {@link Status#NOT_READY} result with the failure that made it so}
   *
   * @param reason a human-readable reason
   * @param cause the underlying failure
   */
  public static CheckResult notReady(String reason, Throwable cause) {
    return new CheckResult(Status.NOT_READY, reason, Objects.requireNonNull(cause, "cause"));
  }

  /**
   * {@return a {@link Status#FAILED} result: broken, stop starting}
   *
   * @param reason a human-readable reason
   */
  public static CheckResult failed(String reason) {
    return new CheckResult(Status.FAILED, reason, null);
  }

  /**
   * {@return a {@link Status#FAILED} result with the failure behind it}
   *
   * @param reason a human-readable reason
   * @param cause the underlying failure
   */
  public static CheckResult failed(String reason, Throwable cause) {
    return new CheckResult(Status.FAILED, reason, Objects.requireNonNull(cause, "cause"));
  }

  /** {@return how the attempt ended} */
  public Status status() {
    return status;
  }

  /** {@return true if the status is {@link Status#READY}} */
  public boolean isReady() {
    return status == Status.READY;
  }

  /** {@return the human-readable reason or detail; never null, possibly empty} */
  public String reason() {
    return reason;
  }

  /** {@return the failure behind a not-ready or failed result, if one is known} */
  public Optional<Throwable> cause() {
    return Optional.ofNullable(cause);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CheckResult r
        && status == r.status
        && reason.equals(r.reason)
        && Objects.equals(cause, r.cause);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, reason, cause);
  }

  @Override
  public String toString() {
    return "CheckResult{"
        + status
        + ", reason="
        + reason
        + (cause == null ? "" : ", cause=" + cause)
        + "}";
  }
}
