package io.threadwire.testkit;

/** A fault a {@link KitTransport} injects into a client's writes, when it supports faults. */
public enum KitFault {
  /** Every write to the client fails at once. */
  FAIL_WRITES,
  /** Writes to the client are never acknowledged: sends run into their timeout. */
  NEVER_COMPLETE,
  /** The client's connection closes while a fan-out writes to it. */
  CLOSE_DURING_FANOUT,
  /**
   * The write is handed to the network, then the connection is cut before the write is confirmed
   * (as a slow consumer is): the transport reports it unconfirmed, the connection is forgotten.
   */
  CUT_MID_WRITE
}
