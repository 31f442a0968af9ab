package io.threadwire.testkit;

import io.threadwire.ConnectionId;
import io.threadwire.ThreadId;
import java.util.List;

/**
 * One client connection of the transport under test, as the compatibility kit drives it. Joins and
 * leaves block until the transport has acknowledged them; received messages arrive asynchronously
 * and the kit waits for them.
 */
public interface KitClient extends AutoCloseable {

  /** {@return the server-side id of this connection, as outcomes name it} */
  ConnectionId id();

  /**
   * Joins {@code thread} for live messages only and waits for the acknowledgement.
   *
   * @param thread the thread
   * @return what the join did
   */
  KitJoin join(ThreadId thread);

  /**
   * Joins {@code thread}, replaying after {@code sinceOffset}, and waits for the ack.
   *
   * @param thread the thread
   * @param sinceOffset the last offset the client saw
   * @return what the join did
   */
  KitJoin join(ThreadId thread, long sinceOffset);

  /** {@return true if {@link #join(ThreadId, long, long)} is supported} */
  default boolean supportsEpoch() {
    return false;
  }

  /**
   * Joins {@code thread}, replaying after {@code sinceOffset} of {@code epoch}, and waits for the
   * ack.
   *
   * @param thread the thread
   * @param epoch the epoch the offset belongs to
   * @param sinceOffset the last offset the client saw
   * @return what the join did
   * @throws UnsupportedOperationException unless {@link #supportsEpoch()}
   */
  default KitJoin join(ThreadId thread, long epoch, long sinceOffset) {
    throw new UnsupportedOperationException("joining with an epoch is not supported");
  }

  /**
   * Leaves {@code thread} and waits until the transport has processed it.
   *
   * @param thread the thread
   */
  void leave(ThreadId thread);

  /** {@return every message received so far, in arrival order} */
  List<KitMessage> received();

  /**
   * Returns every gap signal received so far, in arrival order; a transport without the signal
   * returns none and says so with {@link #supportsGaps()}.
   *
   * @return every gap signal received so far, in arrival order
   */
  default List<KitGap> gaps() {
    return List.of();
  }

  /**
   * Returns true if the client reports the transport's gap signal through {@link #gaps()}.
   *
   * @return true if the client reports the transport's gap signal through {@link #gaps()}
   */
  default boolean supportsGaps() {
    return false;
  }

  /** Disconnects and waits until the transport has forgotten the connection. */
  @Override
  void close();
}
