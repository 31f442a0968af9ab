package io.threadwire.tyrus;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written by hand over a {@link Socket}, for frame-level abuse: it writes
 * whatever frames it is told (masked or not, fragmented, any opcode) and reads the server's frames
 * back one by one.
 */
final class RawClient implements AutoCloseable {

  /** A frame the server sent. */
  record Frame(boolean fin, int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** Returns the close code of a close frame, 1005 when it carries none. */
    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
    }
  }

  static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(socket.getInputStream());
  }

  /** Opens a TCP connection and sends nothing. */
  static RawClient tcp(int port) throws IOException {
    return tcp(null, port);
  }

  /** Opens a TCP connection from {@code local} (any port) and sends nothing. */
  static RawClient tcp(InetAddress local, int port) throws IOException {
    Socket s = new Socket();
    if (local != null) {
      s.bind(new InetSocketAddress(local, 0));
    }
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout(20_000);
    return new RawClient(s);
  }

  /** Opens a connection and completes a WebSocket handshake to {@code /threads}. */
  static RawClient open(int port) throws IOException {
    RawClient c = tcp(port);
    c.write(request(port, "/threads", "Sec-WebSocket-Version: 13\r\n"));
    String head = c.readHead();
    if (!head.startsWith("HTTP/1.1 101")) {
      c.close();
      throw new IOException("handshake refused: " + head);
    }
    return c;
  }

  /** Returns an upgrade request with the usual headers plus {@code extra} (CRLF-terminated). */
  static String request(int port, String path, String extra) {
    return "GET "
        + path
        + " HTTP/1.1\r\nHost: 127.0.0.1:"
        + port
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
        + KEY
        + "\r\n"
        + extra
        + "\r\n";
  }

  Socket socket() {
    return socket;
  }

  void write(String ascii) throws IOException {
    write(ascii.getBytes(StandardCharsets.US_ASCII));
  }

  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Writes one frame, masked as a client must unless {@code masked} is false. */
  void frame(boolean fin, int opcode, byte[] payload, boolean masked) throws IOException {
    write(encode(fin, opcode, payload, masked));
  }

  /** Writes one final, masked text frame. */
  void text(String text) throws IOException {
    frame(true, 0x1, text.getBytes(StandardCharsets.UTF_8), true);
  }

  static byte[] encode(boolean fin, int opcode, byte[] payload, boolean masked) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(payload.length + 14);
    b.write((fin ? 0x80 : 0) | opcode);
    int maskBit = masked ? 0x80 : 0;
    int n = payload.length;
    if (n <= 125) {
      b.write(maskBit | n);
    } else if (n <= 0xFFFF) {
      b.write(maskBit | 126);
      b.write(n >>> 8);
      b.write(n);
    } else {
      b.write(maskBit | 127);
      for (int i = 7; i >= 0; i--) {
        b.write((int) ((long) n >>> (8 * i)));
      }
    }
    if (!masked) {
      b.writeBytes(payload);
      return b.toByteArray();
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    b.writeBytes(mask);
    byte[] masked2 = new byte[n];
    for (int i = 0; i < n; i++) {
      masked2[i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    b.writeBytes(masked2);
    return b.toByteArray();
  }

  /** Reads the next frame the server sent. */
  Frame read() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7F;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload);
  }

  /** Reads frames until a close frame and returns its code; -1 if the stream ended without one. */
  int awaitClose() throws IOException {
    try {
      while (true) {
        Frame f = read();
        if (f.opcode() == 0x8) {
          return f.closeCode();
        }
      }
    } catch (EOFException | SocketException e) {
      return -1;
    }
  }

  /** Reads frames until one is a text frame containing {@code needle}; returns it. */
  Frame awaitText(String needle) throws IOException {
    while (true) {
      Frame f = read();
      if (f.opcode() == 0x1 && f.text().contains(needle)) {
        return f;
      }
      if (f.opcode() == 0x8) {
        throw new IOException("closed with " + f.closeCode() + " while waiting for " + needle);
      }
    }
  }

  /** Reads the HTTP response head, through the blank line. */
  String readHead() throws IOException {
    return readHead(in);
  }

  /** Reads everything until the server closes; returns it, or throws if it does not close. */
  String readToEnd() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        all.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new IOException("the server did not close; read so far: " + all, e);
    } catch (SocketException e) {
      // reset after the response: closed all the same
    }
    return all.toString(StandardCharsets.ISO_8859_1);
  }

  /** Returns true once the server has closed the connection (EOF or reset). */
  boolean isClosedByServer() throws IOException {
    try {
      byte[] buf = new byte[4096];
      while (true) {
        if (in.read(buf) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true;
    }
  }

  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed during the handshake: " + head);
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do in a test
    }
  }
}
