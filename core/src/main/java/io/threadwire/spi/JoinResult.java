package io.threadwire.spi;

import io.threadwire.ThreadId;

/**
 * What a join did: whether the connection is now a member, the thread's current position, and how
 * recovery went.
 *
 * @param thread the thread joined
 * @param status whether the join took effect
 * @param epoch the epoch of the thread's history
 * @param offset the offset of the newest message in history (0 when empty)
 * @param recovered true if every message after the requested offset was replayed (trivially true
 *     when nothing was requested)
 * @param replayed how many messages the join handed over before the connection became a live
 *     member: those replayed from history, plus those that arrived while the history was read; send
 *     outcomes do not count these, so outcomes' delivered counts plus joins' replayed counts are
 *     what connections received
 * @param missed how many requested messages could not be replayed (evicted by size or age, or not
 *     encodable); when the client's position belongs to a lost history (another epoch, or an offset
 *     beyond the newest) the count is unknowable and reported as at least 1; 0 when recovered
 */
public record JoinResult(
    ThreadId thread,
    Status status,
    long epoch,
    long offset,
    boolean recovered,
    int replayed,
    long missed) {

  /** Whether a join took effect. */
  public enum Status {
    /** The connection is now a member of the thread. */
    JOINED,
    /** The connection was already a member; nothing was replayed. */
    ALREADY_JOINED,
    /** The connection is at its limit of joined threads; the join was refused. */
    TOO_MANY_THREADS,
    /** The hub is not running (not started or closed); the join was refused. */
    NOT_RUNNING
  }

  /** {@return true if the connection is a member of the thread after this join} */
  public boolean isMember() {
    return status == Status.JOINED || status == Status.ALREADY_JOINED;
  }

  /**
   * {@return a refused join with {@code status}, no position and no recovery}
   *
   * @param thread the thread
   * @param status the status
   */
  public static JoinResult refused(ThreadId thread, Status status) {
    return new JoinResult(thread, status, 0, 0, false, 0, 0);
  }
}
