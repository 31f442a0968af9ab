package io.threadwire.testkit;

/** A fault a {@link KitTransport} injects into a client's writes, when it supports faults. */
public enum KitFault {
  /** Every write to the client fails at once. */
  FAIL_WRITES,
  /** Writes to the client are never acknowledged: sends run into their timeout. */
  NEVER_COMPLETE,
  /** The client's connection closes while a fan-out writes to it. */
  CLOSE_DURING_FANOUT
}
