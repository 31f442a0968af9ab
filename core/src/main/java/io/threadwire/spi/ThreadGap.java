package io.threadwire.spi;

import io.threadwire.ThreadId;
import java.util.Objects;

/**
 * What a member of a thread is told when the hub's log skipped entries no node can deliver any
 * more: stored offsets {@code from..to} (inclusive) of {@code epoch} will never arrive, and the
 * next message delivered follows {@code to}. An empty range ({@code from == to + 1}) means no
 * stored offset was skipped: only transient messages (which have no offset) were lost, or the
 * history restarted in a new epoch (then {@code epochChanged} is true, {@code from} is 1 and the
 * offsets the member held belong to the lost history).
 *
 * @param thread the thread
 * @param epoch the epoch delivery resumes in
 * @param from the first stored offset skipped
 * @param to the last stored offset skipped; the next delivered message follows it
 * @param epochChanged true if the history was lost and delivery resumes in a new epoch
 * @param reason why, for operators and logs
 */
public record ThreadGap(
    ThreadId thread, long epoch, long from, long to, boolean epochChanged, String reason) {

  /**
   * Validates the gap.
   *
   * @param thread the thread
   * @param epoch the epoch, at least 0
   * @param from the first skipped offset, at least 1
   * @param to the last skipped offset, at least {@code from - 1}
   * @param epochChanged whether the epoch changed
   * @param reason the reason
   * @throws IllegalArgumentException if an offset or the epoch is out of range
   */
  public ThreadGap {
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(reason, "reason");
    if (epoch < 0 || from < 1 || to < from - 1) {
      throw new IllegalArgumentException(
          "need epoch >= 0, from >= 1, to >= from - 1; got " + epoch + ", " + from + ", " + to);
    }
  }

  /**
   * Returns how many stored messages the gap skipped ({@code to - from + 1}; 0 for an empty range).
   *
   * @return how many stored messages the gap skipped
   */
  public long skipped() {
    return to - from + 1;
  }
}
