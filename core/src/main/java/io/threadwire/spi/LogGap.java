package io.threadwire.spi;

import io.threadwire.ThreadId;
import java.util.Objects;

/**
 * A subscription's explicit signal that entries were skipped or lost and will not be delivered.
 *
 * @param thread the thread
 * @param epoch the epoch delivery resumes in (a new one if history was lost)
 * @param resumeAfter the stored offset the next delivered entry follows
 * @param reason why, for operators
 */
public record LogGap(ThreadId thread, long epoch, long resumeAfter, String reason) {

  /**
   * Validates the gap.
   *
   * @param epoch the epoch
   * @param reason the reason
   * @param resumeAfter the resume after
   * @param thread the thread
   */
  public LogGap {
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(reason, "reason");
    if (resumeAfter < 0) {
      throw new IllegalArgumentException("resumeAfter must be >= 0, got " + resumeAfter);
    }
  }
}
