package io.threadwire.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A named set of connections and the one {@code connect} or {@code run} in progress on it. Owned by
 * the selector thread.
 */
final class WsGroup implements WsOwner {

  private static final long HIGHEST = TimeUnit.SECONDS.toNanos(120);
  private static final long CONNECT_TIMEOUT = TimeUnit.SECONDS.toNanos(120);

  final String name;
  private final LoadClient client;
  private final List<WsConn> conns = new ArrayList<>();
  private final Map<Integer, Integer> codes = new TreeMap<>();
  private int closed;

  private WsCommand connecting;
  private int connectTarget;
  private int connectJoined;
  private long connectStart;

  private boolean armed;
  private long target;
  private long runDeadline;
  private int pending; // conns neither stalled nor closed that have not reached the target
  private Histogram latency;
  private long reordered;
  private long gaps;
  private long first;
  private long last;

  WsGroup(String name, LoadClient client) {
    this.name = name;
    this.client = client;
  }

  void connect(WsCommand cmd, int count, String threads, int receiveBuffer) {
    if (connecting != null) {
      cmd.reply("err connect already in progress on " + name);
      return;
    }
    boolean ping = threads.equals("+ping");
    List<String> names = threads.equals("-") || ping ? List.of() : List.of(threads.split(","));
    byte[] joins = ping ? WsWire.pingFrame() : WsWire.joinFrames(names, OptionalLong.empty());
    connecting = cmd;
    connectTarget = count;
    connectJoined = 0;
    connectStart = System.nanoTime();
    for (int i = 0; i < count; i++) {
      WsConn c = new WsConn(client, this, joins, ping ? 1 : names.size(), receiveBuffer);
      conns.add(c);
      client.enqueue(c);
    }
    if (count == 0) {
      connected();
    }
  }

  private void connected() {
    long millis = (System.nanoTime() - connectStart) / 1_000_000;
    WsCommand cmd = connecting;
    connecting = null;
    cmd.reply("ok connected " + name + " " + connectTarget + " " + millis);
  }

  private void failConnect(String reason) {
    WsCommand cmd = connecting;
    connecting = null;
    int joined = connectJoined;
    closeAll();
    cmd.reply(
        "err connect "
            + name
            + " failed after "
            + joined
            + "/"
            + connectTarget
            + " (group closed): "
            + reason);
  }

  @Override
  public void opened(WsConn c) {
    if (c.joinsNeeded == 0) {
      joinedAll(c);
    } else {
      c.send(c.joins);
    }
  }

  @Override
  public void joined(WsConn c) {
    if (++c.joined == c.joinsNeeded) {
      joinedAll(c);
    }
  }

  private void joinedAll(WsConn c) {
    if (connecting != null && ++connectJoined == connectTarget) {
      connected();
    }
  }

  @Override
  public void error(WsConn c, String text) {
    if (connecting != null && c.joined < c.joinsNeeded) {
      failConnect("error frame: " + text);
    } else {
      LoadClient.log("group " + name + ": " + text);
    }
  }

  @Override
  public void closed(WsConn c, int code, String reason) {
    closed++;
    codes.merge(code, 1, Integer::sum);
    if (connecting != null && c.joined < c.joinsNeeded) {
      failConnect(reason);
      return;
    }
    if (armed && !c.stalled && c.received < target && --pending == 0) {
      finish(false);
    }
  }

  @Override
  public void message(WsConn c, long seq, long t, long now) {
    if (!armed) {
      return;
    }
    long n = ++c.received;
    if (seq != WsWire.NONE) {
      long prev = c.lastSeq;
      if (seq == prev + 1) {
        c.lastSeq = seq;
      } else if (seq <= prev) {
        reordered++;
      } else {
        gaps += seq - prev - 1;
        c.lastSeq = seq;
      }
    }
    if (t != WsWire.NONE) {
      long latencyNanos = now - t;
      latency.recordValue(latencyNanos < 0 ? 0 : Math.min(latencyNanos, HIGHEST));
    }
    if (first == 0) {
      first = now;
    }
    last = now;
    if (n == target && !c.stalled && --pending == 0) {
      finish(false);
    }
  }

  void run(WsCommand cmd, long messages, long timeoutMillis) {
    if (armed) {
      cmd.reply("err run already armed on " + name);
      return;
    }
    if (latency == null) {
      latency = new Histogram(HIGHEST, 3);
    }
    latency.reset();
    reordered = 0;
    gaps = 0;
    first = 0;
    last = 0;
    pending = 0;
    for (WsConn c : conns) {
      c.received = 0;
      c.lastSeq = 0;
      if (!c.stalled && c.state == WsConn.State.OPEN) {
        pending++;
      }
    }
    target = messages;
    runDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    armed = true;
    cmd.reply("ok armed");
    if (messages <= 0 || pending == 0) {
      finish(false);
    }
  }

  private void finish(boolean timedOut) {
    armed = false;
    long received = 0;
    long healthy = 0;
    long counted = 0;
    for (WsConn c : conns) {
      received += c.received;
      if (!c.stalled) {
        healthy += c.received;
        if (c.state == WsConn.State.OPEN) {
          counted++;
        }
      }
    }
    LoadClient.emit(
        String.format(
            Locale.ROOT,
            "done %s received=%d expected=%d first=%d last=%d reordered=%d gaps=%d p50=%d p99=%d"
                + " p999=%d max=%d timedout=%b healthyReceived=%d",
            name,
            received,
            Math.max(target, 0) * counted,
            first,
            last,
            reordered,
            gaps,
            latency.getValueAtPercentile(50.0),
            latency.getValueAtPercentile(99.0),
            latency.getValueAtPercentile(99.9),
            latency.getMaxValue(),
            timedOut,
            healthy));
  }

  void tick(long now) {
    if (connecting != null && now - connectStart > CONNECT_TIMEOUT) {
      failConnect("timeout after 120 s");
    }
    if (armed && now - runDeadline > 0) {
      finish(true);
    }
  }

  /** Stops reading on the first {@code k} connections; returns how many that is. */
  int stall(int k) {
    int n = Math.min(Math.max(k, 0), conns.size());
    for (int i = 0; i < n; i++) {
      WsConn c = conns.get(i);
      if (!c.stalled && armed && c.state == WsConn.State.OPEN && c.received < target) {
        pending--;
      }
      c.stalled = true;
      c.paused = true;
      c.updateOps();
    }
    if (armed && pending == 0) {
      finish(false);
    }
    return n;
  }

  /** Resumes reading on stalled connections (still not counted by runs); returns how many. */
  int resume() {
    int n = 0;
    for (WsConn c : conns) {
      if (c.paused) {
        c.paused = false;
        c.updateOps();
        n++;
      }
    }
    return n;
  }

  String stats() {
    int open = 0;
    for (WsConn c : conns) {
      if (c.state != WsConn.State.CLOSED) {
        open++;
      }
    }
    StringBuilder s = new StringBuilder("ok stats ").append(name);
    s.append(" open=").append(open).append(" closed=").append(closed).append(" codes=");
    String sep = "";
    for (Map.Entry<Integer, Integer> e : codes.entrySet()) {
      s.append(sep).append(e.getKey()).append(':').append(e.getValue());
      sep = ",";
    }
    return s.toString();
  }

  /** Sends 1000 on every open connection, closes them all and forgets the group. */
  int closeAll() {
    if (armed) {
      finish(false);
    }
    int n = 0;
    for (WsConn c : conns) {
      if (c.close()) {
        n++;
      }
    }
    conns.clear();
    client.forget(this);
    return n;
  }
}
