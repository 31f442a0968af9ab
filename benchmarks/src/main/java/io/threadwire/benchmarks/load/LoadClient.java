package io.threadwire.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A lean, single-process WebSocket load client for the benchmarks: one NIO selector thread owns
 * every connection, reads into one shared 64 KiB buffer, keeps only the first 256 bytes of each
 * frame and parses {@code "seq"} and {@code "t"} out of them without allocating, so that it
 * saturates long after the server it measures.
 *
 * <p>It is driven over standard input, one command per line, and answers each with exactly one line
 * on standard output starting with {@code ok} or {@code err <reason>}; a {@code run} answers {@code
 * ok armed} at once and prints its result later as a {@code done <group> key=value...} line. The
 * commands: {@code connect <group> <count> <threads|-|+ping> [receiveBufferBytes]} ({@code +ping}:
 * one ping and its pong instead of joins), {@code run <group> <messagesPerConnection>
 * <timeoutMillis>}, {@code stall <group> <k>}, {@code resume <group>} (stalled connections read
 * again, to see how the server closed them; they still do not count in runs), {@code stats
 * <group>}, {@code close <group>}, {@code replay <thread> <since> <expected> <timeoutMillis>} and
 * {@code quit}, which end of input implies. Logs go to standard error.
 */
public final class LoadClient {

  /** At most this many connections are between TCP connect and the 101 at once. */
  private static final int MAX_HANDSHAKES = 256;

  private final Selector selector;
  private final InetSocketAddress address;
  private final String hostHeader;
  private final String path;
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
  private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(256);
  private final Queue<WsCommand> commands = new ConcurrentLinkedQueue<>();
  private final ArrayDeque<WsConn> toOpen = new ArrayDeque<>();
  private final Map<String, WsGroup> groups = new HashMap<>();
  private final List<WsGroup> groupList = new ArrayList<>(); // to tick without an iterator
  private final Consumer<SelectionKey> onKey = this::onKey;
  private WsReplay replay;
  private int handshakes;
  private boolean stopping;

  private LoadClient(String host, int port, String path) throws IOException {
    this.selector = Selector.open();
    this.address = new InetSocketAddress(host, port);
    this.hostHeader = host + ":" + port;
    this.path = path;
  }

  /**
   * Connects to {@code ws://<host>:<port><path>} and serves commands from standard input until
   * {@code quit} or end of input.
   *
   * @param args {@code <host> <port> <path>}
   * @throws IOException if the selector cannot be opened or standard input fails
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: LoadClient <host> <port> <path>");
      System.exit(2);
    }
    LoadClient client = new LoadClient(args[0], Integer.parseInt(args[1]), args[2]);
    Thread selectorThread = new Thread(client::loop, "load-client-selector");
    selectorThread.setDaemon(true);
    selectorThread.setUncaughtExceptionHandler(
        (t, e) -> {
          log("selector thread died: " + e);
          emit("err load client failed: " + e);
          System.exit(3);
        });
    selectorThread.start();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    boolean quit = false;
    for (String line; !quit && (line = in.readLine()) != null; ) {
      String trimmed = line.trim();
      quit = client.submit(trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+")).isQuit();
    }
    if (!quit) {
      client.submit(new String[] {"quit"}); // end of input
    }
    System.exit(0);
  }

  /** Hands a command to the selector thread and waits for its reply line. */
  private WsCommand submit(String[] args) {
    WsCommand cmd = new WsCommand(args);
    commands.add(cmd);
    selector.wakeup();
    cmd.replied.join();
    return cmd;
  }

  private void loop() {
    long lastTick = System.nanoTime();
    while (!stopping) {
      try {
        selector.select(onKey, 10);
        for (WsCommand cmd; (cmd = commands.poll()) != null; ) {
          dispatch(cmd);
        }
        while (handshakes < MAX_HANDSHAKES && !toOpen.isEmpty()) {
          WsConn c = toOpen.poll();
          if (c.state == WsConn.State.QUEUED) {
            handshakes++;
            c.start();
          }
        }
        long now = System.nanoTime();
        if (now - lastTick > 1_000_000) {
          lastTick = now;
          for (int i = groupList.size() - 1; i >= 0; i--) {
            groupList.get(i).tick(now); // may forget the group: hence backwards
          }
          if (replay != null) {
            replay.tick(now);
          }
        }
      } catch (IOException | RuntimeException e) {
        log("selector loop: " + e);
      }
    }
  }

  private void onKey(SelectionKey key) {
    WsConn c = (WsConn) key.attachment();
    try {
      int ready = key.readyOps();
      if ((ready & SelectionKey.OP_CONNECT) != 0) {
        c.onConnectable();
      }
      if ((ready & SelectionKey.OP_WRITE) != 0 && key.isValid()) {
        c.onWritable();
      }
      if ((ready & SelectionKey.OP_READ) != 0 && key.isValid()) {
        c.onReadable();
      }
    } catch (CancelledKeyException e) {
      // closed by a callback in the meantime
    }
  }

  private void dispatch(WsCommand cmd) {
    String[] a = cmd.args;
    try {
      switch (a.length == 0 ? "" : a[0]) {
        case "connect" -> {
          if (a.length != 4 && a.length != 5) {
            throw new IllegalArgumentException(
                "usage: connect <group> <count> <threads|-> [receiveBufferBytes]");
          }
          int count = Integer.parseInt(a[2]);
          if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0");
          }
          WsGroup g = groups.get(a[1]);
          if (g == null) {
            g = new WsGroup(a[1], this);
            groups.put(g.name, g);
            groupList.add(g);
          }
          g.connect(cmd, count, a[3], a.length == 5 ? Integer.parseInt(a[4]) : 0);
        }
        case "run" -> {
          usage(a, 4, "run <group> <messagesPerConnection> <timeoutMillis>");
          group(a[1]).run(cmd, Long.parseLong(a[2]), Long.parseLong(a[3]));
        }
        case "stall" -> {
          usage(a, 3, "stall <group> <k>");
          cmd.reply("ok stalled " + group(a[1]).stall(Integer.parseInt(a[2])));
        }
        case "resume" -> {
          usage(a, 2, "resume <group>");
          cmd.reply("ok resumed " + a[1] + " " + group(a[1]).resume());
        }
        case "stats" -> {
          usage(a, 2, "stats <group>");
          cmd.reply(group(a[1]).stats());
        }
        case "close" -> {
          usage(a, 2, "close <group>");
          cmd.reply("ok closed " + a[1] + " " + group(a[1]).closeAll());
        }
        case "replay" -> {
          usage(a, 5, "replay <thread> <since> <expected> <timeoutMillis>");
          if (replay != null) {
            throw new IllegalStateException("a replay is in progress");
          }
          long since = Long.parseLong(a[2]);
          long expected = Long.parseLong(a[3]);
          long timeout = Long.parseLong(a[4]);
          replay = new WsReplay(this, cmd, a[1], since, expected, timeout);
          toOpen.addFirst(replay.conn);
        }
        case "quit" -> {
          for (int i = groupList.size() - 1; i >= 0; i--) {
            groupList.get(i).closeAll();
          }
          if (replay != null) {
            replay.fail("quit");
          }
          stopping = true;
          cmd.reply("ok bye");
        }
        default -> cmd.reply("err unknown command '" + String.join(" ", a) + "'");
      }
    } catch (NumberFormatException e) {
      cmd.reply("err bad number in '" + String.join(" ", a) + "'");
    } catch (IllegalArgumentException | IllegalStateException e) {
      cmd.reply("err " + e.getMessage());
    } catch (RuntimeException e) {
      log("command '" + String.join(" ", a) + "' failed: " + e);
      cmd.reply("err " + e);
    }
  }

  private static void usage(String[] args, int words, String usage) {
    if (args.length != words) {
      throw new IllegalArgumentException("usage: " + usage);
    }
  }

  private WsGroup group(String name) {
    WsGroup g = groups.get(name);
    if (g == null) {
      throw new IllegalArgumentException("unknown group " + name);
    }
    return g;
  }

  // ---- for the connections, groups and replays, all on the selector thread -------------------

  Selector selector() {
    return selector;
  }

  InetSocketAddress address() {
    return address;
  }

  ByteBuffer readBuffer() {
    return readBuffer;
  }

  /** A buffer for one control frame: at most 125 bytes of payload plus a 14-byte header. */
  ByteBuffer writeBuffer() {
    return writeBuffer;
  }

  byte[] upgradeRequest() {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    return WsWire.upgradeRequest(hostHeader, path, nonce);
  }

  void enqueue(WsConn c) {
    toOpen.add(c);
  }

  void handshakeEnded() {
    handshakes--;
  }

  void forget(WsGroup g) {
    groups.remove(g.name, g);
    groupList.remove(g);
  }

  void replayEnded(WsReplay r) {
    if (replay == r) {
      replay = null;
    }
  }

  /** Writes one protocol line to standard output and flushes it. */
  static synchronized void emit(String line) {
    System.out.println(line);
    System.out.flush();
  }

  static void log(String message) {
    System.err.println("load-client: " + message);
  }
}
