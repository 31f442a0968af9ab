package io.threadwire.spi;

/**
 * Receives what a {@link ThreadLog} subscription delivers for one thread. Contract for the log:
 *
 * <ul>
 *   <li>every entry appended or published for the thread after the subscription's {@linkplain
 *       LogSubscription#position() position}, by any appender, is passed to {@link #entry} once, in
 *       offset order (a transient entry after the stored entry it follows);
 *   <li>calls for one thread never overlap, and none comes before the subscribe stage completed;
 *   <li>when the log knows it skipped entries (a lost notification it cannot repair, a new epoch)
 *       it says so with {@link #gap} before the next entry, never by silently jumping an offset.
 * </ul>
 *
 * <p>Contract for the listener (the hub): it must not block and must not throw; it may be called on
 * any thread, including inside the {@link ThreadLog#append} call that caused the entry.
 */
public interface LogListener {

  /**
   * An entry was appended or published.
   *
   * @param entry the entry
   */
  void entry(LogEntry entry);

  /**
   * Entries were skipped: the next entry delivered follows {@code gap.resumeAfter()} in {@code
   * gap.epoch()}.
   *
   * @param gap the gap
   */
  void gap(LogGap gap);
}
