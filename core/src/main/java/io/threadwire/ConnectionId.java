package io.threadwire;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The identity of one client connection. A user may hold many connections at once.
 *
 * @param value a non-empty identifier, unique among the live connections of one messaging instance
 */
public record ConnectionId(String value) {

  private static final AtomicLong SEQUENCE = new AtomicLong();

  /**
   * Validates {@code value}.
   *
   * @param value a non-empty identifier, unique among the live connections of one messaging
   *     instance
   * @throws IllegalArgumentException if {@code value} is empty or longer than 256 characters; the
   *     message names the value
   */
  public ConnectionId {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty() || value.length() > 256) {
      throw new IllegalArgumentException(
          "invalid connection id " + Values.quote(value) + ": must be 1-256 characters");
    }
  }

  /**
   * {@return the connection id for {@code value}}
   *
   * @param value a non-empty identifier of at most 256 characters
   */
  public static ConnectionId of(String value) {
    return new ConnectionId(value);
  }

  /**
   * {@return a new id, unique within this JVM ({@code c-1}, {@code c-2}, ...)} Sequential rather
   * than random so that test runs and logs are reproducible.
   */
  public static ConnectionId next() {
    return new ConnectionId("c-" + SEQUENCE.incrementAndGet());
  }

  @Override
  public String toString() {
    return value;
  }
}
