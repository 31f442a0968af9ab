package io.threadwire.spi;

/** A live subscription to one thread of a {@link ThreadLog}; see {@link LogListener}. */
public interface LogSubscription {

  /**
   * Returns the epoch and newest offset when the subscription started: the listener receives every
   * entry after it.
   *
   * @return the epoch and newest offset when the subscription started: the listener receives every
   *     entry after it
   */
  LogPosition position();

  /**
   * Ends the subscription: no entry is delivered once it returns. Idempotent; never throws, never
   * blocks. A log that keeps threads only while somebody listens (the in-memory one) may forget the
   * thread when its last subscription closes.
   */
  void close();
}
