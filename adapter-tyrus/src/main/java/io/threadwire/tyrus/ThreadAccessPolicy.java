package io.threadwire.tyrus;

import io.threadwire.ThreadId;
import io.threadwire.UserId;

/**
 * Decides whether an authenticated user may join a thread. The host application implements it; a
 * refused join is answered with a {@code forbidden_thread} error frame and the connection goes on.
 *
 * <p><b>The default, {@link #allowAll()}, lets every user join every thread.</b>
 *
 * <p>Called on a server I/O thread for every join: it must answer quickly. An exception it throws
 * refuses the join and is logged, never shown to the client.
 */
@FunctionalInterface
public interface ThreadAccessPolicy {

  /**
   * {@return true if {@code user} may join {@code thread} and receive its messages}
   *
   * @param user the user
   * @param thread the thread
   */
  boolean mayJoin(UserId user, ThreadId thread);

  /** {@return the policy that lets everyone join every thread} */
  static ThreadAccessPolicy allowAll() {
    return (user, thread) -> true;
  }
}
