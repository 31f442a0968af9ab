package io.threadwire.benchmarks.load;

/**
 * What a {@link WsConn} reports to whoever opened it, a {@link WsGroup} or a {@link WsReplay};
 * every call is on the selector thread.
 */
interface WsOwner {
  /** The upgrade succeeded: send the joins. */
  void opened(WsConn c);

  /** A message frame arrived; {@code seq} or {@code t} is {@link WsWire#NONE} when absent. */
  void message(WsConn c, long seq, long t, long now);

  /** A joined frame arrived; its text starts {@link WsConn#prefix}. */
  void joined(WsConn c);

  /** An error frame arrived. */
  void error(WsConn c, String text);

  /** The connection failed, or the server closed or dropped it (1006), before we closed it. */
  void closed(WsConn c, int code, String reason);
}
