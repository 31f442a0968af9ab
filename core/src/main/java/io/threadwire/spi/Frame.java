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
   * @param thread the thread
   * @param epoch the epoch of the thread's history
   * @param message the message
   * @param text the text
   */
  public Frame(ThreadId thread, long epoch, long offset, Message message, String text) {
    this.thread = Objects.requireNonNull(thread, "thread");
    this.epoch = epoch;
    this.offset = offset;
    this.message = Objects.requireNonNull(message, "message");
    this.text = Objects.requireNonNull(text, "text");
  }

  /** {@return the thread the message was sent to} */
  public ThreadId thread() {
    return thread;
  }

  /** {@return the epoch of the thread's history the offset belongs to} */
  public long epoch() {
    return epoch;
  }

  /** {@return the history offset, or 0 for a transient message} */
  public long offset() {
    return offset;
  }

  /** {@return the message} */
  public Message message() {
    return message;
  }

  /** {@return the encoded frame text} */
  public String text() {
    return text;
  }

  /**
   * {@return the transport form of this frame, computing it with {@code compute} on first use}
   * Concurrent first calls may compute it more than once; one result wins. A frame has one slot: a
   * transport must always pass the same kind of function.
   *
   * @param compute computes the transport form once
   * @param <T> the transport form's type
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
