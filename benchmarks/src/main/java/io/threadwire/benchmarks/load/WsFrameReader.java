package io.threadwire.benchmarks.load;

import java.nio.ByteBuffer;

/**
 * An incremental RFC 6455 frame parser that allocates nothing per frame: it keeps a frame header of
 * at most 14 bytes, the first {@link #PREFIX} bytes of each data message (continuations appended)
 * and the payload of control frames, and skips every other payload byte without copying.
 */
abstract class WsFrameReader {

  /** How many bytes of a data message are kept for parsing. */
  static final int PREFIX = 256;

  private static final int MAX_CONTROL = 125;

  /** The first bytes of the last data message; see {@link #prefixFill}. */
  final byte[] prefix = new byte[PREFIX];

  int prefixFill;

  private final byte[] header = new byte[14];
  private int headerFill;
  private int headerNeed = 2;
  private long remaining = -1;
  private long payloadOffset;
  private int opcode;
  private boolean fin;
  private int maskAt = -1;
  private int messageOpcode;
  private byte[] control;
  private int controlFill;

  /** Returns false once the connection is closed: parsing stops. */
  abstract boolean parsing();

  /** A complete text message; its first bytes are in {@link #prefix}. */
  abstract void onText();

  /** A close frame with {@code code} (1005 if none); {@code payload} holds it, if any. */
  abstract void onClose(int code, byte[] payload, int len);

  /** A ping frame; answer with a pong carrying {@code payload[0, len)}. */
  abstract void onPing(byte[] payload, int len);

  /** Parses every byte of {@code b}, calling back for each complete frame. */
  final void frames(ByteBuffer b) {
    while (b.hasRemaining() && parsing()) {
      if (remaining < 0 && !header(b)) {
        return;
      }
      if (remaining > 0) {
        int n = (int) Math.min(b.remaining(), remaining);
        payload(b, n);
        remaining -= n;
      }
      if (remaining == 0) {
        remaining = -1;
        frameDone();
      }
    }
  }

  /** Accumulates a frame header; returns true once it is complete and decoded. */
  private boolean header(ByteBuffer b) {
    while (headerFill < headerNeed) {
      if (!b.hasRemaining()) {
        return false;
      }
      header[headerFill++] = b.get();
      if (headerFill == 2) {
        int len7 = header[1] & 0x7f;
        int extra = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        headerNeed = 2 + extra + ((header[1] & 0x80) != 0 ? 4 : 0);
      }
    }
    fin = (header[0] & 0x80) != 0;
    opcode = header[0] & 0x0f;
    int len7 = header[1] & 0x7f;
    long len = len7;
    if (len7 == 126) {
      len = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
    } else if (len7 == 127) {
      len = 0;
      for (int i = 2; i < 10; i++) {
        len = (len << 8) | (header[i] & 0xff);
      }
    }
    maskAt = (header[1] & 0x80) != 0 ? headerNeed - 4 : -1;
    headerFill = 0;
    headerNeed = 2;
    remaining = Math.max(len, 0);
    payloadOffset = 0;
    if (opcode == 0x1 || opcode == 0x2) {
      messageOpcode = opcode;
      prefixFill = 0;
    } else if (opcode >= 0x8) {
      if (control == null) {
        control = new byte[MAX_CONTROL];
      }
      controlFill = 0;
    }
    return true;
  }

  /** Consumes {@code n} payload bytes, keeping only what fits the prefix or control buffer. */
  private void payload(ByteBuffer b, int n) {
    int copied = 0;
    if (opcode >= 0x8) {
      copied = copy(b, n, control, controlFill);
      controlFill += copied;
    } else if (opcode <= 0x2 && messageOpcode != 0) {
      copied = copy(b, n, prefix, prefixFill);
      prefixFill += copied;
    }
    b.position(b.position() + n - copied);
    payloadOffset += n;
  }

  private int copy(ByteBuffer b, int n, byte[] dst, int fill) {
    int copy = Math.min(n, dst.length - fill);
    if (copy > 0) {
      b.get(dst, fill, copy);
      if (maskAt >= 0) { // servers do not mask, but unmasking costs nothing when they do not
        for (int i = 0; i < copy; i++) {
          dst[fill + i] ^= header[maskAt + (int) ((payloadOffset + i) & 3)];
        }
      }
    }
    return copy;
  }

  private void frameDone() {
    switch (opcode) {
      case 0x0, 0x1, 0x2 -> {
        // A continuation with no message started is skipped, as is every binary message.
        if (fin && messageOpcode != 0) {
          boolean text = messageOpcode == 0x1;
          messageOpcode = 0;
          if (text) {
            onText();
          }
        }
      }
      case 0x8 -> {
        int code = controlFill >= 2 ? ((control[0] & 0xff) << 8) | (control[1] & 0xff) : 1005;
        onClose(code, control, Math.min(controlFill, 2));
      }
      case 0x9 -> onPing(control, controlFill);
      default -> {} // pongs and reserved opcodes
    }
  }
}
