package io.threadwire.benchmarks.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;

/** RFC 6455 client framing and the byte-level scanning the load client does on frame prefixes. */
final class WsWire {

  /** The fixed masking key of every client frame; RFC 6455 only requires that one is present. */
  private static final byte[] MASK = {0x3a, 0x5c, 0x19, 0x6e};

  static final byte[] MESSAGE = ascii("{\"type\":\"message\"");
  static final byte[] JOINED = ascii("{\"type\":\"joined\"");
  static final byte[] PONG = ascii("{\"type\":\"pong\"");
  static final byte[] ERROR = ascii("{\"type\":\"error\"");
  static final byte[] SEQ = ascii("\"seq\":");
  static final byte[] T = ascii("\"t\":");
  static final byte[] RECOVERED = ascii("\"recovered\":");
  static final byte[] MISSED = ascii("\"missed\":");
  static final byte[] TRUE = ascii("true");
  static final byte[] HEADER_END = ascii("\r\n\r\n");

  /** A masked close frame with code 1000. */
  static final byte[] CLOSE_NORMAL = frame(0x8, new byte[] {0x03, (byte) 0xe8});

  /** Returned by {@link #longAfter} when the key or its digits are missing. */
  static final long NONE = Long.MIN_VALUE;

  private WsWire() {}

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Returns the HTTP/1.1 upgrade request for {@code path}, with a random key. */
  static byte[] upgradeRequest(String hostHeader, String path, byte[] nonce) {
    return ascii(
        "GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + hostHeader
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(nonce)
            + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
  }

  /** Returns one masked join text frame per thread, concatenated. */
  /** A ping request, answered by a {@link #PONG} frame: the one exchange of the memory cases. */
  static byte[] pingFrame() {
    byte[] payload = ascii("{\"type\":\"ping\"}");
    ByteBuffer b = ByteBuffer.allocate(payload.length + 14);
    putFrame(b, 0x1, payload, 0, payload.length);
    return Arrays.copyOf(b.array(), b.position());
  }

  static byte[] joinFrames(List<String> threads, OptionalLong since) {
    List<byte[]> payloads = new ArrayList<>();
    int size = 0;
    for (String thread : threads) {
      StringBuilder json = new StringBuilder("{\"type\":\"join\",\"thread\":\"");
      for (int i = 0; i < thread.length(); i++) {
        char ch = thread.charAt(i);
        if (ch == '"' || ch == '\\') {
          json.append('\\');
        }
        json.append(ch);
      }
      json.append('"');
      if (since.isPresent()) {
        json.append(",\"since\":").append(since.getAsLong());
      }
      byte[] payload = ascii(json.append('}').toString());
      payloads.add(payload);
      size += payload.length + 14;
    }
    ByteBuffer all = ByteBuffer.allocate(size);
    for (byte[] payload : payloads) {
      putFrame(all, 0x1, payload, 0, payload.length);
    }
    return Arrays.copyOf(all.array(), all.position());
  }

  /** Returns a masked frame of {@code opcode} carrying {@code payload}. */
  static byte[] frame(int opcode, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(payload.length + 14);
    putFrame(b, opcode, payload, 0, payload.length);
    return Arrays.copyOf(b.array(), b.position());
  }

  /** Appends a final, masked frame of {@code opcode}; {@code dst} must have room for it. */
  static void putFrame(ByteBuffer dst, int opcode, byte[] payload, int off, int len) {
    dst.put((byte) (0x80 | opcode));
    if (len < 126) {
      dst.put((byte) (0x80 | len));
    } else if (len < 65536) {
      dst.put((byte) (0x80 | 126)).putShort((short) len);
    } else {
      dst.put((byte) (0x80 | 127)).putLong(len);
    }
    dst.put(MASK);
    for (int i = 0; i < len; i++) {
      dst.put((byte) (payload[off + i] ^ MASK[i & 3]));
    }
  }

  /** Returns true if {@code a[0, len)} starts with {@code p}. */
  static boolean startsWith(byte[] a, int len, byte[] p) {
    if (len < p.length) {
      return false;
    }
    for (int i = 0; i < p.length; i++) {
      if (a[i] != p[i]) {
        return false;
      }
    }
    return true;
  }

  /** Returns the index just after the first {@code p} in {@code a[from, to)}, or -1. */
  static int indexAfter(byte[] a, int from, int to, byte[] p) {
    byte first = p[0];
    for (int i = from, last = to - p.length; i <= last; i++) {
      if (a[i] != first) {
        continue;
      }
      int j = 1;
      while (j < p.length && a[i + j] == p[j]) {
        j++;
      }
      if (j == p.length) {
        return i + j;
      }
    }
    return -1;
  }

  /** Returns the JSON integer after key {@code p} in {@code a[from, to)}, or {@link #NONE}. */
  static long longAfter(byte[] a, int from, int to, byte[] p) {
    int i = indexAfter(a, from, to, p);
    if (i < 0) {
      return NONE;
    }
    while (i < to && a[i] == ' ') {
      i++;
    }
    boolean negative = i < to && a[i] == '-';
    if (negative) {
      i++;
    }
    int start = i;
    long value = 0;
    while (i < to && a[i] >= '0' && a[i] <= '9') {
      value = value * 10 + (a[i] - '0');
      i++;
    }
    if (i == start) {
      return NONE;
    }
    return negative ? -value : value;
  }

  /** Returns true if key {@code p} in {@code a[0, len)} is followed by {@code true}. */
  static boolean trueAfter(byte[] a, int len, byte[] p) {
    int i = indexAfter(a, 0, len, p);
    return i >= 0 && indexAfter(a, i, Math.min(len, i + TRUE.length), TRUE) == i + TRUE.length;
  }
}
