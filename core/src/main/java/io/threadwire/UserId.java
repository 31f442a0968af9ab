package io.threadwire;

import java.util.Objects;

/**
 * The identity of the user behind a connection, as established by the transport's handshake
 * authentication.
 *
 * @param value a non-empty identifier of at most 256 characters
 */
public record UserId(String value) {

  private static final UserId ANONYMOUS = new UserId("anonymous");

  /**
   * Validates {@code value}.
   *
   * @param value a non-empty identifier of at most 256 characters
   * @throws IllegalArgumentException if {@code value} is empty or longer than 256 characters; the
   *     message names the value
   */
  public UserId {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty() || value.length() > 256) {
      throw new IllegalArgumentException(
          "invalid user id " + Values.quote(value) + ": must be 1-256 characters");
    }
  }

  /**
   * {@return the user id for {@code value}}
   *
   * @param value a non-empty identifier of at most 256 characters
   */
  public static UserId of(String value) {
    return new UserId(value);
  }

  /** {@return the user id given to connections that were not authenticated} */
  public static UserId anonymous() {
    return ANONYMOUS;
  }

  @Override
  public String toString() {
    return value;
  }
}
