package io.threadwire.tyrus;

import io.threadwire.spi.Frame;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One server frame as the outbound queues hold it: its complete, unmasked wire bytes, once. A
 * message frame is framed once per send and this object is shared by every connection it is queued
 * for; the count of connections holding it lets {@link OutboundBudget} count its bytes once,
 * however many queues it sits in. The frame's text is not kept: the bytes are what is written.
 */
final class QueuedFrame {

  private static final AtomicIntegerFieldUpdater<QueuedFrame> HOLDERS =
      AtomicIntegerFieldUpdater.newUpdater(QueuedFrame.class, "holders");

  private final byte[] bytes;
  private volatile int holders;

  private QueuedFrame(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Returns the shared queued form of {@code frame}, framed on first use for all recipients. */
  static QueuedFrame of(Frame frame) {
    return frame.transportForm(f -> new QueuedFrame(WireFrames.text(f.text())));
  }

  /** Returns a queued form of a control frame's {@code text}, for one connection. */
  static QueuedFrame control(String text) {
    return new QueuedFrame(WireFrames.text(text));
  }

  /** Returns the wire bytes; never modify them. */
  byte[] bytes() {
    return bytes;
  }

  /** Returns the number of bytes held: the frame header and the UTF-8 payload. */
  int length() {
    return bytes.length;
  }

  /** Returns the text the frame carries, decoded again; for writes through Tyrus's remote. */
  String text() {
    int len7 = bytes[1] & 0x7F;
    int header = len7 < 126 ? 2 : len7 == 126 ? 4 : 10;
    return new String(bytes, header, bytes.length - header, StandardCharsets.UTF_8);
  }

  /** Counts one more queue holding this frame; returns true if it is the first. */
  boolean hold() {
    return HOLDERS.getAndIncrement(this) == 0;
  }

  /** Counts one queue fewer holding this frame; returns true if it was the last. */
  boolean release() {
    return HOLDERS.decrementAndGet(this) == 0;
  }
}
