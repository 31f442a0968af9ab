package io.threadwire.benchmarks.load;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One client WebSocket connection, touched only by the selector thread: the non-blocking connect,
 * the upgrade handshake, the frames (through {@link WsFrameReader}) and writes of small frames
 * (joins, pongs, closes), written at once; what the socket does not take waits with OP_WRITE.
 */
final class WsConn extends WsFrameReader {

  enum State {
    QUEUED,
    CONNECTING,
    HANDSHAKE,
    OPEN,
    CLOSED
  }

  final WsOwner owner;
  final byte[] joins;
  final int joinsNeeded;
  State state = State.QUEUED;

  /** No longer counted towards the completion of a run. */
  boolean stalled;

  /** Not reading: no OP_READ interest. */
  boolean paused;

  long received;
  long lastSeq;
  int joined;

  private final LoadClient client;
  private SocketChannel ch;
  private SelectionKey key;
  private boolean handshaking;
  private WsHandshake handshake;
  private ByteBuffer pending;
  private String writeError;
  private final int receiveBuffer;

  WsConn(LoadClient client, WsOwner owner, byte[] joins, int joinsNeeded) {
    this(client, owner, joins, joinsNeeded, 0);
  }

  /** A connection whose socket receive buffer is fixed at {@code receiveBuffer} bytes, if > 0. */
  WsConn(LoadClient client, WsOwner owner, byte[] joins, int joinsNeeded, int receiveBuffer) {
    this.receiveBuffer = receiveBuffer;
    this.client = client;
    this.owner = owner;
    this.joins = joins;
    this.joinsNeeded = joinsNeeded;
  }

  /** Opens the TCP connection; it counts as a pending handshake until the 101 or a failure. */
  void start() {
    state = State.CONNECTING;
    handshaking = true;
    try {
      ch = SocketChannel.open();
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (receiveBuffer > 0) {
        ch.setOption(
            StandardSocketOptions.SO_RCVBUF, receiveBuffer); // before connect: no autotuning
      }
      key = ch.register(client.selector(), SelectionKey.OP_CONNECT, this);
      if (ch.connect(client.address())) {
        connected();
      }
    } catch (IOException e) {
      lost(1006, "connect: " + e);
    }
  }

  void onConnectable() {
    try {
      if (ch.finishConnect()) {
        connected();
      }
    } catch (IOException e) {
      lost(1006, "connect: " + e);
    }
  }

  private void connected() {
    state = State.HANDSHAKE;
    handshake = new WsHandshake();
    write(ByteBuffer.wrap(client.upgradeRequest()));
    updateOps();
  }

  void onReadable() {
    ByteBuffer buf = client.readBuffer();
    try {
      while ((state == State.HANDSHAKE || state == State.OPEN) && !paused) {
        buf.clear();
        int n = ch.read(buf);
        if (n < 0) {
          lost(1006, "connection dropped");
          return;
        }
        if (n == 0) {
          if (writeError != null) {
            lost(1006, writeError);
          }
          return;
        }
        buf.flip();
        if (state == State.HANDSHAKE) {
          response(buf);
        } else {
          frames(buf);
        }
        if (n < buf.capacity() && writeError == null) {
          return; // drained: another read would most likely return 0
        }
      }
    } catch (IOException e) {
      lost(1006, "read: " + e);
    }
  }

  /** Accumulates the HTTP response; the bytes after its header are the first frames. */
  private void response(ByteBuffer buf) {
    ByteBuffer frames;
    try {
      frames = handshake.add(buf);
    } catch (IOException e) {
      lost(1006, "handshake: " + e.getMessage());
      return;
    }
    if (frames != null) {
      handshake = null;
      state = State.OPEN;
      handshaking = false;
      client.handshakeEnded();
      updateOps();
      owner.opened(this);
      frames(frames);
    }
  }

  @Override
  boolean parsing() {
    return state == State.OPEN;
  }

  @Override
  void onText() {
    long now = System.nanoTime();
    int len = prefixFill;
    if (WsWire.startsWith(prefix, len, WsWire.MESSAGE)) {
      int from = WsWire.MESSAGE.length;
      long seq = WsWire.longAfter(prefix, from, len, WsWire.SEQ);
      long t = WsWire.longAfter(prefix, from, len, WsWire.T);
      owner.message(this, seq, t, now);
    } else if (WsWire.startsWith(prefix, len, WsWire.JOINED)
        || WsWire.startsWith(prefix, len, WsWire.PONG)) {
      owner.joined(this);
    } else if (WsWire.startsWith(prefix, len, WsWire.ERROR)) {
      owner.error(this, new String(prefix, 0, len, StandardCharsets.UTF_8));
    }
  }

  @Override
  void onClose(int code, byte[] payload, int len) {
    ByteBuffer b = client.writeBuffer();
    b.clear();
    WsWire.putFrame(b, 0x8, payload, 0, len);
    writeOnce(b.flip());
    lost(code, "closed by server");
  }

  @Override
  void onPing(byte[] payload, int len) {
    sendFrame(0xA, payload, 0, len);
  }

  void onWritable() {
    try {
      if (pending != null) {
        ch.write(pending);
        if (!pending.hasRemaining()) {
          pending = null;
        }
      }
      updateOps();
    } catch (IOException e) {
      writeFailed(e);
    }
  }

  /** Writes pre-built frames, such as the joins. */
  void send(byte[] frames) {
    write(ByteBuffer.wrap(frames));
  }

  private void sendFrame(int opcode, byte[] payload, int off, int len) {
    ByteBuffer b = client.writeBuffer();
    b.clear();
    WsWire.putFrame(b, opcode, payload, off, len);
    write(b.flip());
  }

  /** Writes {@code b} now; what the socket does not take waits in {@link #pending}. */
  private void write(ByteBuffer b) {
    if (ch == null || state == State.CLOSED || writeError != null) {
      return;
    }
    try {
      if (pending == null) {
        ch.write(b);
        if (!b.hasRemaining()) {
          return;
        }
        pending = ByteBuffer.allocate(b.remaining()).put(b).flip();
      } else {
        pending = ByteBuffer.allocate(pending.remaining() + b.remaining()).put(pending).put(b);
        pending.flip();
      }
      updateOps();
    } catch (IOException e) {
      writeFailed(e);
    }
  }

  /**
   * A write failed: the server has most likely closed the connection. Bytes it sent before, its
   * close frame maybe, may still wait to be read, so an open, reading connection keeps reading
   * until the read fails too.
   */
  private void writeFailed(IOException e) {
    writeError = "write: " + e;
    pending = null;
    if (state != State.OPEN || paused) {
      lost(1006, writeError);
    } else {
      updateOps();
    }
  }

  void updateOps() {
    if (key == null || !key.isValid()) {
      return;
    }
    int ops =
        state == State.CONNECTING
            ? SelectionKey.OP_CONNECT
            : (paused ? 0 : SelectionKey.OP_READ) | (pending != null ? SelectionKey.OP_WRITE : 0);
    if (key.interestOps() != ops) {
      key.interestOps(ops);
    }
  }

  /**
   * Closes from our side, with a 1000 close frame if open; the owner is not told. Returns true if
   * the connection was open.
   */
  boolean close() {
    if (state == State.CLOSED) {
      return false;
    }
    boolean open = state == State.OPEN;
    if (open) {
      writeOnce(ByteBuffer.wrap(WsWire.CLOSE_NORMAL));
    }
    shut();
    return open;
  }

  /** Writes a close frame before the socket is closed: best effort, errors ignored. */
  private void writeOnce(ByteBuffer b) {
    if (pending == null) {
      try {
        ch.write(b);
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /** The connection failed or the server ended it: closes and tells the owner. */
  private void lost(int code, String reason) {
    if (state == State.CLOSED) {
      return;
    }
    shut();
    owner.closed(this, code, reason);
  }

  private void shut() {
    state = State.CLOSED;
    if (handshaking) {
      handshaking = false;
      client.handshakeEnded();
    }
    pending = null;
    handshake = null;
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        LoadClient.log("close: " + e);
      }
    }
  }
}
