package io.threadwire;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one send should be carried out: whether it is transient, and an optional timeout that
 * overrides the configured send timeout.
 *
 * <p>A <em>transient</em> send goes only to the connections joined right now: it never enters
 * history, never gets an offset and is never replayed. Readiness probes and typing indicators are
 * transient.
 */
public final class SendOptions {

  private static final SendOptions DEFAULTS = new SendOptions(false, null);
  private static final SendOptions TRANSIENT = new SendOptions(true, null);

  private final boolean transientSend;
  private final Duration timeout;

  private SendOptions(boolean transientSend, Duration timeout) {
    this.transientSend = transientSend;
    this.timeout = timeout;
  }

  /** {@return the default options: stored in history, configured timeout} */
  public static SendOptions defaults() {
    return DEFAULTS;
  }

  /** {@return options for a transient send with the configured timeout} */
  public static SendOptions transientSend() {
    return TRANSIENT;
  }

  /**
   * {@return a copy with {@code timeout} instead of the configured send timeout}
   *
   * @param timeout how long the send may wait for its writes
   * @throws IllegalArgumentException if {@code timeout} is not positive or exceeds 365 days
   */
  public SendOptions withTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofDays(365)) > 0) {
      throw new IllegalArgumentException(
          "timeout must be positive and at most 365 days, got " + timeout);
    }
    return new SendOptions(transientSend, timeout);
  }

  /** {@return true if the message must not enter history} */
  public boolean isTransient() {
    return transientSend;
  }

  /** {@return the timeout overriding the configured one, if any} */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SendOptions s
        && transientSend == s.transientSend
        && Objects.equals(timeout, s.timeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(transientSend, timeout);
  }

  @Override
  public String toString() {
    return "SendOptions{transient=" + transientSend + ", timeout=" + timeout + "}";
  }
}
