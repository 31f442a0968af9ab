package io.threadwire.tyrus;

import org.glassfish.grizzly.Buffer;

/**
 * Follows the WebSocket frame headers a client sends (RFC 6455, section 5.2) and spots a data frame
 * announcing more than the allowed payload from its header alone, before Tyrus buffers a byte of
 * it. Not thread-safe: one per connection, fed in read order.
 */
final class FrameSizeGuard {

  private final long maxPayload;
  private final byte[] header = new byte[14];
  private int headerLength;
  private int headerNeeded = 2;
  private int lengthEnd = 2;
  private long announced;
  private long payloadLeft;

  FrameSizeGuard(long maxPayload) {
    this.maxPayload = maxPayload;
  }

  /** Reads {@code buffer} without consuming it; returns false once a frame is too big. */
  boolean accept(Buffer buffer) {
    int i = buffer.position();
    int limit = buffer.limit();
    while (i < limit) {
      if (payloadLeft > 0) {
        long skip = Math.min(payloadLeft, limit - i);
        i += (int) skip;
        payloadLeft -= skip;
        continue;
      }
      header[headerLength++] = buffer.get(i++);
      if (headerLength == 2) {
        int len7 = header[1] & 0x7F;
        boolean masked = (header[1] & 0x80) != 0;
        lengthEnd = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0);
        headerNeeded = lengthEnd + (masked ? 4 : 0);
      }
      if (headerLength == lengthEnd) {
        // The length is known: decide now, before the mask and the payload arrive.
        announced = payloadLength();
        boolean control = (header[0] & 0x08) != 0;
        if (!control && (announced > maxPayload || announced < 0)) {
          return false;
        }
      }
      if (headerLength == headerNeeded) {
        payloadLeft = announced;
        headerLength = 0;
        headerNeeded = 2;
        lengthEnd = 2;
      }
    }
    return true;
  }

  private long payloadLength() {
    int len7 = header[1] & 0x7F;
    if (len7 < 126) {
      return len7;
    }
    int bytes = len7 == 126 ? 2 : 8;
    long n = 0;
    for (int k = 0; k < bytes; k++) {
      n = (n << 8) | (header[2 + k] & 0xFF);
    }
    return n;
  }

  /** Returns an unmasked close frame with {@code code} and {@code reason}, as a server sends. */
  static byte[] closeFrame(int code, String reason) {
    byte[] text = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] frame = new byte[4 + text.length];
    frame[0] = (byte) 0x88;
    frame[1] = (byte) (2 + text.length);
    frame[2] = (byte) (code >> 8);
    frame[3] = (byte) code;
    System.arraycopy(text, 0, frame, 4, text.length);
    return frame;
  }
}
