package io.threadwire.redis;

import io.threadwire.spi.LogEntry;
import io.threadwire.spi.LogPosition;
import io.threadwire.spi.LogReplay;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what the script read into a {@link LogReplay} with the log's own account of what is
 * missing.
 */
final class Replays {

  private Replays() {}

  /**
   * Builds the replay of the entries after {@code after} ({@code -1}: none wanted).
   *
   * @param cutoffMillis entries stored at or before it are past the history's maximum age: not
   *     replayed, counted missed (the script evicts them at the next append)
   */
  static LogReplay of(Wire.Read r, long after, long cutoffMillis) {
    LogPosition position = new LogPosition(r.epoch(), r.top());
    if (after < 0) {
      return new LogReplay(position, List.of(), true, 0);
    }
    long from = r.lost() ? 0 : after;
    // Drop everything up to the newest expired entry: timestamps from nodes with skewed clocks may
    // interleave, and a replay must never have a hole in its middle.
    int start = 0;
    for (int i = 0; i < r.entries().size(); i++) {
      if (r.entries().get(i).entry().storedAtMillis() <= cutoffMillis) {
        start = i + 1;
      }
    }
    List<LogEntry> entries = new ArrayList<>();
    for (int i = start; i < r.entries().size(); i++) {
      Wire.Stored s = r.entries().get(i);
      if (s.offset() > from && s.offset() <= r.top()) {
        entries.add(s.entry());
      }
    }
    long firstAvailable = entries.isEmpty() ? r.top() + 1 : entries.get(0).offset();
    long missed = Math.max(0, firstAvailable - from - 1);
    if (r.lost()) {
      missed = Math.max(missed, 1);
    }
    return new LogReplay(position, entries, missed == 0, missed);
  }
}
