package io.threadwire.spi;

import io.threadwire.Message;
import io.threadwire.ThreadId;
import java.util.Objects;
import java.util.function.Function;

/**
 * One encoded message, shared by every recipient of a send. Immutable apart from a single memoised
 * transport form (for example pre-framed bytes) that a transport may compute once and reuse for all
 * recipients.
 */
public final class Frame {

  private final ThreadId thread;
  private final long epoch;
  private final long offset;
  private final Message message;
  private final String text;
  private volatile Object transportForm;

  /**
   * Creates a frame.
   *
   * @param offset the history offset, or 0 for a transient message
   */
  public Frame(ThreadId thread, long epoch, long offset, Message message, String text) {
    this.thread = Objects.requireNonNull(thread, "thread");
    this.epoch = epoch;
    this.offset = offset;
    this.message = Objects.requireNonNull(message, "message");
    this.text = Objects.requireNonNull(text, "text");
  }

  /** Returns the thread the message was sent to. */
  public ThreadId thread() {
    return thread;
  }

  /** Returns the epoch of the thread's history the offset belongs to. */
  public long epoch() {
    return epoch;
  }

  /** Returns the history offset, or 0 for a transient message. */
  public long offset() {
    return offset;
  }

  /** Returns the message. */
  public Message message() {
    return message;
  }

  /** Returns the encoded frame text. */
  public String text() {
    return text;
  }

  /**
   * Returns the transport form of this frame, computing it with {@code compute} on first use.
   * Concurrent first calls may compute it more than once; one result wins. A frame has one slot: a
   * transport must always pass the same kind of function.
   */
  @SuppressWarnings("unchecked")
  public <T> T transportForm(Function<Frame, T> compute) {
    Object form = transportForm;
    if (form == null) {
      form = compute.apply(this);
      transportForm = form;
    }
    return (T) form;
  }

  @Override
  public String toString() {
    return "Frame{thread=" + thread + ", offset=" + offset + ", id=" + message.id() + "}";
  }
}
