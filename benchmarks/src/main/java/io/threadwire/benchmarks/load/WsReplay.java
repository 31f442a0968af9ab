package io.threadwire.benchmarks.load;

import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * One {@code replay} command: a fresh connection joins a thread with {@code since} and times the
 * replay from just before the join is written until the expected messages have arrived.
 */
final class WsReplay implements WsOwner {

  final WsConn conn;
  private final LoadClient client;
  private final WsCommand cmd;
  private final long expected;
  private final long deadline;
  private long start;
  private boolean joined;
  private boolean recovered;
  private long missed;
  private long received;
  private boolean finished;

  WsReplay(
      LoadClient client,
      WsCommand cmd,
      String thread,
      long since,
      long expected,
      long timeoutMillis) {
    this.client = client;
    this.cmd = cmd;
    this.expected = expected;
    this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.conn =
        new WsConn(client, this, WsWire.joinFrames(List.of(thread), OptionalLong.of(since)), 1);
  }

  @Override
  public void opened(WsConn c) {
    start = System.nanoTime();
    c.send(c.joins);
  }

  @Override
  public void joined(WsConn c) {
    if (joined) {
      return;
    }
    joined = true;
    recovered = WsWire.trueAfter(c.prefix, c.prefixFill, WsWire.RECOVERED);
    long m = WsWire.longAfter(c.prefix, 0, c.prefixFill, WsWire.MISSED);
    missed = m == WsWire.NONE ? 0 : m;
    if (expected <= 0) {
      finish(System.nanoTime());
    }
  }

  @Override
  public void message(WsConn c, long seq, long t, long now) {
    if (joined && !finished && ++received >= expected) {
      finish(now);
    }
  }

  @Override
  public void error(WsConn c, String text) {
    fail("error frame: " + text);
  }

  @Override
  public void closed(WsConn c, int code, String reason) {
    fail("closed " + code + ": " + reason);
  }

  void tick(long now) {
    if (now - deadline > 0) {
      fail("timeout");
    }
  }

  private void finish(long now) {
    finished = true;
    conn.close();
    client.replayEnded(this);
    cmd.reply(
        String.format(
            Locale.ROOT,
            "ok replay millis=%.3f received=%d recovered=%b missed=%d",
            (now - start) / 1e6,
            received,
            recovered,
            missed));
  }

  /** Fails the command; the counts so far are in the reason. */
  void fail(String reason) {
    if (finished) {
      return;
    }
    finished = true;
    conn.close();
    client.replayEnded(this);
    cmd.reply(
        "err replay "
            + reason
            + " received="
            + received
            + " joined="
            + joined
            + " recovered="
            + recovered
            + " missed="
            + missed);
  }
}
