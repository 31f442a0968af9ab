package io.threadwire.inmemory;

/** A fault an {@link InMemoryClient} injects into the writes addressed to it. */
public enum Fault {
  /** No fault: every write succeeds at once, in the sender's thread. */
  NONE,
  /** Every write fails at once with an {@link java.io.IOException}. */
  FAIL_WRITES,
  /**
   * Writes are taken but never acknowledged until {@link InMemoryClient#completePendingWrites()};
   * models a stalled transport, so sends run into their timeout.
   */
  NEVER_COMPLETE,
  /**
   * The connection closes while a fan-out is writing to it: the write fails and the connection is
   * unregistered, as a real transport does when a socket dies mid-send.
   */
  CLOSE_DURING_FANOUT,
  /**
   * The write is taken (the client receives the frame), then the connection is cut before the write
   * is confirmed: the write is reported {@linkplain io.threadwire.spi.DeliveryCallback#unconfirmed
   * unconfirmed} and the connection unregistered, as a transport does for the write in flight when
   * it cuts a slow consumer.
   */
  CUT_MID_WRITE
}
