package io.threadwire.spi;

import io.threadwire.Message;
import io.threadwire.ThreadId;
import java.util.Objects;

/**
 * One entry of a thread's log as a subscriber or a replay sees it: a stored message at an offset,
 * or a transient one (never stored) placed after the newest stored offset at the time it was
 * published. Immutable.
 *
 * <p>The {@linkplain #token() token} is what the appending caller passed to {@link
 * ThreadLog#append} or {@link ThreadLog#publish}, so it can recognise its own entries in the
 * subscription. A log reports it only to subscribers of the same log instance (the same node); an
 * entry appended through another instance carries {@link #FOREIGN}.
 */
public final class LogEntry {

  /** The token of an entry appended through another log instance. */
  public static final long FOREIGN = 0;

  private final ThreadId thread;
  private final long epoch;
  private final long offset;
  private final long after;
  private final Message message;
  private final long storedAtMillis;
  private final long token;
  private final String receipt;

  private LogEntry(
      ThreadId thread,
      long epoch,
      long offset,
      long after,
      Message message,
      long storedAtMillis,
      long token) {
    this(thread, epoch, offset, after, message, storedAtMillis, token, "");
  }

  private LogEntry(
      ThreadId thread,
      long epoch,
      long offset,
      long after,
      Message message,
      long storedAtMillis,
      long token,
      String receipt) {
    this.receipt = receipt;
    this.thread = Objects.requireNonNull(thread, "thread");
    this.message = Objects.requireNonNull(message, "message");
    this.epoch = epoch;
    this.offset = offset;
    this.after = after;
    this.storedAtMillis = storedAtMillis;
    this.token = token;
  }

  /**
   * Returns a stored entry.
   *
   * @param offset its offset in the epoch, at least 1
   * @param storedAtMillis when the log stored it, in epoch milliseconds of the log's clock
   * @param token the appender's token, or {@link #FOREIGN}
   * @param epoch the epoch
   * @param message the message
   * @param thread the thread
   * @return a stored entry
   */
  public static LogEntry stored(
      ThreadId thread, long epoch, long offset, Message message, long storedAtMillis, long token) {
    if (offset < 1) {
      throw new IllegalArgumentException("offset must be >= 1, got " + offset);
    }
    return new LogEntry(thread, epoch, offset, offset - 1, message, storedAtMillis, token);
  }

  /**
   * Returns a transient entry, delivered to subscribers but never stored.
   *
   * @param after the newest stored offset of the epoch when it was published (0 if none)
   * @param token the publisher's token, or {@link #FOREIGN}
   * @param epoch the epoch
   * @param message the message
   * @param thread the thread
   * @return a transient entry, delivered to subscribers but never stored
   */
  public static LogEntry transientEntry(
      ThreadId thread, long epoch, long after, Message message, long token) {
    if (after < 0) {
      throw new IllegalArgumentException("after must be >= 0, got " + after);
    }
    return new LogEntry(thread, epoch, 0, after, message, 0, token);
  }

  /**
   * Returns the thread.
   *
   * @return the thread
   */
  public ThreadId thread() {
    return thread;
  }

  /**
   * Returns the epoch the entry belongs to.
   *
   * @return the epoch the entry belongs to
   */
  public long epoch() {
    return epoch;
  }

  /**
   * Returns the offset, at least 1 for a stored entry and 0 for a transient one.
   *
   * @return the offset, at least 1 for a stored entry and 0 for a transient one
   */
  public long offset() {
    return offset;
  }

  /**
   * Returns the stored offset this entry follows: {@code offset() - 1} when stored, the newest
   * stored offset at publishing time when transient.
   *
   * @return the stored offset this entry follows: {@code offset() - 1} when stored, the newest
   *     stored offset at publishing time when transient
   */
  public long after() {
    return after;
  }

  /**
   * Returns true if the entry was published transient and is not stored.
   *
   * @return true if the entry was published transient and is not stored
   */
  public boolean isTransient() {
    return offset == 0;
  }

  /**
   * Returns the message.
   *
   * @return the message
   */
  public Message message() {
    return message;
  }

  /**
   * Returns when the log stored the entry (epoch milliseconds); 0 when transient.
   *
   * @return when the log stored the entry (epoch milliseconds); 0 when transient
   */
  public long storedAtMillis() {
    return storedAtMillis;
  }

  /**
   * Returns the token the appender passed, or {@link #FOREIGN}.
   *
   * @return the token the appender passed, or {@link #FOREIGN}
   */
  public long token() {
    return token;
  }

  /**
   * Returns where this node's {@linkplain ThreadLog#report delivery report} for the entry goes, in
   * the log's own terms (for example the appending node and its token); empty when the log wants no
   * report (an entry of this node, or a log that does not {@linkplain ThreadLog#reportsDeliveries()
   * report deliveries}).
   *
   * @return where this node's delivery report goes; empty when none is wanted
   */
  public String receipt() {
    return receipt;
  }

  /**
   * Returns a copy of this entry whose delivery report goes to {@code receipt}.
   *
   * @param receipt where the report goes, in the log's own terms; empty for none
   * @return a copy with {@code receipt}
   */
  public LogEntry withReceipt(String receipt) {
    return new LogEntry(
        thread,
        epoch,
        offset,
        after,
        message,
        storedAtMillis,
        token,
        Objects.requireNonNull(receipt, "receipt"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogEntry e
        && epoch == e.epoch
        && offset == e.offset
        && after == e.after
        && storedAtMillis == e.storedAtMillis
        && token == e.token
        && receipt.equals(e.receipt)
        && thread.equals(e.thread)
        && message.equals(e.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(thread, epoch, offset, after, message.id());
  }

  @Override
  public String toString() {
    return "LogEntry{"
        + thread
        + (isTransient() ? ", transient after " + after : ", offset " + offset)
        + ", epoch "
        + epoch
        + ", id "
        + message.id()
        + "}";
  }
}
