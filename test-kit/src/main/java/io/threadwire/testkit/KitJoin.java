package io.threadwire.testkit;

import java.util.Optional;

/**
 * A client's view of a join, as the transport acknowledged it.
 *
 * @param joined true if the client is now a member
 * @param epoch the thread's history epoch
 * @param offset the newest offset in history when joining
 * @param recovered true if every requested message was replayed
 * @param missed how many requested messages could not be replayed
 * @param refusal why the join was refused (a stable code such as {@code too_many_threads}); empty
 *     when joined
 */
public record KitJoin(
    boolean joined,
    long epoch,
    long offset,
    boolean recovered,
    long missed,
    Optional<String> refusal) {

  /**
   * {@return an accepted join}
   *
   * @param epoch the epoch of the thread's history
   * @param offset the history offset
   * @param recovered whether every missed message was replayed
   * @param missed how many messages could not be replayed
   */
  public static KitJoin accepted(long epoch, long offset, boolean recovered, long missed) {
    return new KitJoin(true, epoch, offset, recovered, missed, Optional.empty());
  }

  /**
   * {@return a refused join with a stable refusal code}
   *
   * @param code the error code
   */
  public static KitJoin refused(String code) {
    return new KitJoin(false, 0, 0, false, 0, Optional.of(code));
  }
}
