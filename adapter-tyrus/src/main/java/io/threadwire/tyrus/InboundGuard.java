package io.threadwire.tyrus;

import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.Buffer;

/**
 * Follows the WebSocket frames one client sends (RFC 6455, section 5.2) from their headers, before
 * Tyrus buffers a byte of them, and decides what the server does about each:
 *
 * <ul>
 *   <li>a data message larger than the limit, counted across all its fragments, text or binary:
 *       close 1009 as soon as a header announces it (Tyrus would buffer a fragmented binary message
 *       without any bound);
 *   <li>a frame that breaks the framing rules (unmasked, reserved bits or opcodes, a fragmented or
 *       oversized control frame, a continuation with no message started, a new message inside a
 *       fragmented one): close 1002;
 *   <li>the rate limit, on what the client actually sends: every fragment but a message's last one,
 *       and every ping and pong, takes a token here; the last fragment's token is taken by the
 *       endpoint when the whole message is handled, so a message costs one token per frame. A frame
 *       refused here cannot be dropped (it is part of a message, or Tyrus answers it), so it leaves
 *       a debt that refuses the client's next message; too many refusals in a row close with 1008;
 *   <li>liveness: the time of the client's last complete frame header, of any kind.
 * </ul>
 *
 * <p>Once the server has sent its close frame, the guard swallows whatever the client still sends
 * and reports the client's close frame, so the server can close the TCP connection with nothing
 * left unread (closing with unread bytes makes the kernel reset the connection, and a client still
 * sending would lose the close frame: 1006 instead of the code sent).
 *
 * <p>Not thread-safe: one per connection, fed in read order. {@link #lastFrameNanos()} may be read
 * from any thread.
 */
final class InboundGuard {

  /** {@link #accept} verdict: pass the bytes on to Tyrus. */
  static final int PASS = 0;

  /** {@link #accept} verdict: the server is closing; drop the bytes. */
  static final int DROP = 1;

  /** {@link #accept} verdict: the client's close frame has arrived after the server's own. */
  static final int CLIENT_CLOSED = 2;

  private static final int PROTOCOL_ERROR = 1002;
  private static final int POLICY_VIOLATION = 1008;
  private static final int TOO_BIG = 1009;

  private final long maxMessage;
  private final RateLimiter limiter;
  private final int closeAfter;
  private final byte[] header = new byte[14];
  private int headerLength;
  private int headerNeeded = 2;
  private int lengthEnd = 2;
  private long announced;
  private long payloadLeft;
  private boolean inMessage;
  private long messageBytes;
  private boolean closeFrame;
  private boolean debt;
  private volatile boolean closing;
  private volatile long lastFrameNanos;
  private volatile WsConnection owner;

  InboundGuard(TyrusSettings settings, long nowNanos) {
    this.maxMessage = settings.maxFrameBytes();
    this.limiter = new RateLimiter(settings.rateLimit(), nowNanos);
    this.closeAfter = settings.rateLimit().closeAfter();
    this.lastFrameNanos = nowNanos;
  }

  /**
   * Reads {@code buffer} without consuming it.
   *
   * @return {@link #PASS}, {@link #DROP}, {@link #CLIENT_CLOSED}, or the close code (1002, 1008,
   *     1009) the connection must be closed with
   */
  int accept(Buffer buffer) {
    int i = buffer.position();
    int limit = buffer.limit();
    // After a violation the rest of the read is still followed, so that the frame boundaries
    // stay known and the client's close frame can be recognised later.
    int verdict = PASS;
    while (i < limit) {
      if (payloadLeft > 0) {
        long skip = Math.min(payloadLeft, limit - i);
        i += (int) skip;
        payloadLeft -= skip;
        if (payloadLeft == 0 && closing && closeFrame) {
          return CLIENT_CLOSED;
        }
        continue;
      }
      header[headerLength++] = buffer.get(i++);
      boolean checking = !closing && verdict == PASS;
      if (headerLength == 2) {
        int len7 = header[1] & 0x7F;
        boolean masked = (header[1] & 0x80) != 0;
        lengthEnd = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0);
        headerNeeded = lengthEnd + (masked ? 4 : 0);
        if (checking) {
          verdict = checkFraming(masked);
          checking = verdict == PASS;
        }
      }
      if (headerLength == lengthEnd) {
        // The length is known: decide now, before the mask and the payload arrive.
        announced = payloadLength();
        if (checking) {
          verdict = checkLength();
        }
      }
      if (headerLength == headerNeeded) {
        payloadLeft = announced;
        headerLength = 0;
        headerNeeded = 2;
        lengthEnd = 2;
        closeFrame = (header[0] & 0x0F) == 0x8;
        if (closing && closeFrame && payloadLeft == 0) {
          return CLIENT_CLOSED;
        }
      }
    }
    return verdict != PASS ? verdict : closing ? DROP : PASS;
  }

  private int checkFraming(boolean masked) {
    lastFrameNanos = System.nanoTime();
    int opcode = header[0] & 0x0F;
    boolean fin = (header[0] & 0x80) != 0;
    boolean control = (opcode & 0x08) != 0;
    if (!masked || (header[0] & 0x70) != 0) {
      return PROTOCOL_ERROR; // RFC 6455 5.1: a client masks every frame; no extension is agreed
    }
    if (control) {
      if (opcode > 0xA || !fin || (header[1] & 0x7F) > 125) {
        return PROTOCOL_ERROR;
      }
      return opcode == 0x8 ? PASS : charge();
    }
    if (opcode > 0x2 || (opcode == 0 && !inMessage) || (opcode != 0 && inMessage)) {
      return PROTOCOL_ERROR;
    }
    inMessage = !fin;
    return fin ? PASS : charge();
  }

  private int checkLength() {
    if ((header[0] & 0x08) != 0) {
      return PASS; // a control frame, checked against 125 bytes already
    }
    boolean continuation = (header[0] & 0x0F) == 0;
    long total = (continuation ? messageBytes : 0) + announced;
    if (announced < 0 || total < 0 || total > maxMessage) {
      return TOO_BIG;
    }
    messageBytes = inMessage ? total : 0;
    return PASS;
  }

  private int charge() {
    if (limiter.tryAcquire(lastFrameNanos)) {
      return PASS;
    }
    debt = true;
    return limiter.refusedInARow() >= closeAfter ? POLICY_VIOLATION : PASS;
  }

  /**
   * Takes the token of one complete message, as the endpoint handles it; false if the rate limit
   * refuses it, because the bucket is empty or because one of its earlier frames was refused.
   */
  boolean tryAcquireMessage(long nowNanos) {
    boolean owed = debt;
    debt = false;
    return limiter.tryAcquire(nowNanos) && !owed;
  }

  /** Returns how many frames in a row the rate limit refused. */
  int refusedInARow() {
    return limiter.refusedInARow();
  }

  /**
   * Marks the server's close frame as about to be sent: from now on input is dropped until the
   * client's close frame. Returns false if it was already marked, so the frame is sent once.
   */
  synchronized boolean startClosing() {
    if (closing) {
      return false;
    }
    closing = true;
    return true;
  }

  /** Sets the endpoint of this connection, once it is open. */
  void attach(WsConnection connection) {
    owner = connection;
  }

  /** Returns the endpoint of this connection, or null before it is open. */
  WsConnection owner() {
    return owner;
  }

  /** Returns when the client's last frame header was read, by {@link System#nanoTime()}. */
  long lastFrameNanos() {
    return lastFrameNanos;
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
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    int n = Math.min(text.length, 123); // a control frame's payload is at most 125 bytes
    byte[] frame = new byte[4 + n];
    frame[0] = (byte) 0x88;
    frame[1] = (byte) (2 + n);
    frame[2] = (byte) (code >> 8);
    frame[3] = (byte) code;
    System.arraycopy(text, 0, frame, 4, n);
    return frame;
  }
}
