package io.threadwire.spi;

import io.threadwire.UserId;
import java.util.Objects;
import java.util.Set;

/**
 * Who is joined to one thread somewhere: a number of connections and the users behind them.
 *
 * @param connections how many connections are joined, at least 0
 * @param users the distinct users of those connections, immutable
 */
public record PresenceCount(int connections, Set<UserId> users) {

  /** No connection, no user. */
  public static final PresenceCount NONE = new PresenceCount(0, Set.of());

  /**
   * Validates the count and copies the users.
   *
   * @param connections how many connections, at least 0
   * @param users the distinct users
   * @throws IllegalArgumentException if {@code connections} is negative
   */
  public PresenceCount {
    if (connections < 0) {
      throw new IllegalArgumentException("connections must be >= 0, got " + connections);
    }
    users = Set.copyOf(Objects.requireNonNull(users, "users"));
  }
}
