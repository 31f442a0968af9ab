package io.threadwire.testkit;

import io.threadwire.ThreadMessaging;
import io.threadwire.UserId;
import io.threadwire.hub.HubStats;

/**
 * The transport under test, opened by {@link ThreadMessagingCompatibilityKit#open} with the
 * settings and manual clock the kit chooses.
 */
public interface KitTransport extends AutoCloseable {

  /** {@return the port under test, already started} */
  ThreadMessaging messaging();

  /**
   * Connects a new client of {@code user}.
   *
   * @param user the user
   * @return the connected client
   */
  KitClient connect(UserId user);

  /** {@return true if {@link #connect(UserId, KitFault)} is supported} */
  default boolean supportsFaults() {
    return false;
  }

  /**
   * Connects a client whose writes suffer {@code fault}.
   *
   * @param user the user
   * @param fault the fault its writes suffer
   * @return the connected client
   * @throws UnsupportedOperationException unless {@link #supportsFaults()}
   */
  default KitClient connect(UserId user, KitFault fault) {
    throw new UnsupportedOperationException("fault injection is not supported");
  }

  /**
   * Returns true if {@link #loseNextNotifications} is supported: the port runs over a log that can
   * be made to lose notifications (and report them as gaps).
   *
   * @return true if {@link #loseNextNotifications} is supported
   */
  default boolean supportsLostNotifications() {
    return false;
  }

  /**
   * Makes the port's log lose the next {@code n} notifications of stored entries to subscribers, as
   * a backplane blip would, and report each loss with a gap signal.
   *
   * @param n how many notifications to lose
   * @throws UnsupportedOperationException unless {@link #supportsLostNotifications()}
   */
  default void loseNextNotifications(int n) {
    throw new UnsupportedOperationException("losing notifications is not supported");
  }

  /** Runs the hub's maintenance now: expiry of sends, history, keys and idle threads. */
  void runMaintenance();

  /** {@return the hub's stats} */
  HubStats stats();

  /** Closes the port and every client. */
  @Override
  void close();
}
