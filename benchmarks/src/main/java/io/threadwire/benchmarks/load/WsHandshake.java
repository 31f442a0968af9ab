package io.threadwire.benchmarks.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Accumulates the server's HTTP upgrade response until its header ends. */
final class WsHandshake {

  private static final int MAX_HEADER = 16 * 1024;

  private byte[] bytes = new byte[1024];
  private int fill;

  /**
   * Adds the bytes of {@code buf}. Returns null while the header is incomplete, then the bytes
   * after it: the first frames.
   *
   * @throws IOException if the status is not 101 or the header is too long
   */
  ByteBuffer add(ByteBuffer buf) throws IOException {
    int n = buf.remaining();
    if (fill + n > bytes.length) {
      if (fill + n > MAX_HEADER) {
        throw new IOException("response header longer than " + MAX_HEADER + " bytes");
      }
      bytes = Arrays.copyOf(bytes, MAX_HEADER);
    }
    int from = Math.max(0, fill - 3);
    buf.get(bytes, fill, n);
    fill += n;
    int end = WsWire.indexAfter(bytes, from, fill, WsWire.HEADER_END);
    if (end < 0) {
      return null;
    }
    String head = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    if (!head.startsWith("HTTP/1.1 101")) {
      throw new IOException(head.lines().findFirst().orElse(""));
    }
    return ByteBuffer.wrap(bytes, end, fill - end);
  }
}
