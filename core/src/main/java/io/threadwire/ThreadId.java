package io.threadwire;

import java.util.Objects;

/**
 * The identity of a conversation thread (a room, a channel) that connections join and messages are
 * sent to.
 *
 * <p>A thread id is 1 to 128 characters from {@code [A-Za-z0-9._:-]}. The rule is strict on
 * purpose: thread ids travel in URLs, log lines, JSON frames and keys of distributed stores, and a
 * narrow alphabet keeps all of those safe without escaping.
 *
 * @param value the id, already validated
 */
public record ThreadId(String value) implements Comparable<ThreadId> {

  /** The longest thread id accepted. */
  public static final int MAX_LENGTH = 128;

  /** The rule a thread id must follow, as shown in error messages. */
  public static final String RULE = "1-128 characters of [A-Za-z0-9._:-]";

  /**
   * Validates {@code value}.
   *
   * @param value the id, already validated
   * @throws IllegalArgumentException if {@code value} breaks {@link #RULE}; the message names the
   *     value and the rule
   */
  public ThreadId {
    Objects.requireNonNull(value, "value");
    if (!isValid(value)) {
      throw new IllegalArgumentException(
          "invalid thread id " + Values.quote(value) + ": a thread id must be " + RULE);
    }
  }

  /**
   * {@return the thread id for {@code value}; see {@link #ThreadId(String)}}
   *
   * @param value the thread's name, valid as {@link #ThreadId(String)} describes
   */
  public static ThreadId of(String value) {
    return new ThreadId(value);
  }

  /**
   * {@return whether {@code value} is a valid thread id; never throws}
   *
   * @param value the candidate name, possibly null
   */
  public static boolean isValid(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int compareTo(ThreadId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
