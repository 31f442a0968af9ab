package io.threadwire.tyrus;

import io.threadwire.spi.Frame;
import java.nio.charset.StandardCharsets;

/**
 * Frames text as a complete, unmasked WebSocket text frame (RFC 6455, section 5.2), as a server
 * sends it. A server frame is the same bytes for every recipient, so a message is framed once per
 * send, memoised on its {@link Frame}, and written as is to every connection.
 */
final class WireFrames {

  private WireFrames() {}

  /** Returns the framed bytes of {@code frame}'s text, computed once for all recipients. */
  static byte[] of(Frame frame) {
    return QueuedFrame.of(frame).bytes();
  }

  /** Returns {@code text} as one final, unmasked text frame. */
  static byte[] text(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    int n = payload.length;
    int header = n <= 125 ? 2 : n <= 0xFFFF ? 4 : 10;
    byte[] out = new byte[header + n];
    out[0] = (byte) 0x81; // FIN + text
    if (n <= 125) {
      out[1] = (byte) n;
    } else if (n <= 0xFFFF) {
      out[1] = 126;
      out[2] = (byte) (n >>> 8);
      out[3] = (byte) n;
    } else {
      out[1] = 127;
      long len = n;
      for (int i = 0; i < 8; i++) {
        out[2 + i] = (byte) (len >>> (56 - 8 * i));
      }
    }
    System.arraycopy(payload, 0, out, header, n);
    return out;
  }
}
