package io.threadwire.spi;

import java.util.List;
import java.util.Objects;

/**
 * A {@link ThreadLog}'s answer to "the entries after {@code since}": the stored entries it still
 * holds, oldest first, and its own account of what could not be replayed. The hub does no offset
 * arithmetic of its own: it reports {@code recovered} and {@code missed} as the log says.
 *
 * @param position the log's epoch and newest offset when it read the entries; every entry after it
 *     reaches subscribers
 * @param entries the stored entries after {@code since} up to {@code position}, in offset order
 * @param recovered true if every entry after {@code since} is in {@code entries}
 * @param missed how many entries after {@code since} are not: evicted by size or age, or lost with
 *     an earlier epoch (then unknowable and reported as at least 1); 0 when recovered
 */
public record LogReplay(
    LogPosition position, List<LogEntry> entries, boolean recovered, long missed) {

  /**
   * Validates the replay and copies the entries.
   *
   * @param entries the entries
   * @param missed the missed
   * @param position the position
   * @param recovered the recovered
   */
  public LogReplay {
    Objects.requireNonNull(position, "position");
    entries = List.copyOf(entries);
    if (missed < 0) {
      throw new IllegalArgumentException("missed must be >= 0, got " + missed);
    }
    if (recovered != (missed == 0)) {
      throw new IllegalArgumentException(
          "recovered must be true exactly when missed is 0, got " + recovered + "/" + missed);
    }
  }
}
