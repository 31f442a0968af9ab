package io.threadwire.redis;

import io.threadwire.ThreadId;
import io.threadwire.spi.LogEntry;
import java.util.ArrayList;
import java.util.List;

/** Parses what the script answers and what it publishes on a thread's channel. */
final class Wire {

  private Wire() {}

  /** One channel message: the entry, and the thread's publish sequence number it carries. */
  record Notice(long epoch, long seq, LogEntry entry) {}

  /** One entry read back from the stream. */
  record Stored(long offset, long seq, LogEntry entry) {}

  /** The script's answer to a read: position, publish sequence and stream entries. */
  record Read(long epoch, long top, long seq, boolean lost, List<Stored> entries) {}

  static String text(Object o) {
    if (o instanceof byte[] b) {
      return Codec.string(b);
    }
    return String.valueOf(o);
  }

  static long number(Object o) {
    return o instanceof Long l ? l : Long.parseLong(text(o));
  }

  /**
   * Parses a channel message: {@code epoch seq offset after at origin token\n<body>}.
   *
   * @throws IllegalArgumentException if it is not one
   */
  static Notice notice(ThreadId thread, byte[] m, String self) {
    int nl = 0;
    while (nl < m.length && m[nl] != '\n') {
      nl++;
    }
    if (nl == m.length) {
      throw new IllegalArgumentException("channel message without a header");
    }
    String[] h = new String(m, 0, nl, java.nio.charset.StandardCharsets.US_ASCII).split(" ");
    if (h.length != 7) {
      throw new IllegalArgumentException("channel message header has " + h.length + " fields");
    }
    long epoch = Long.parseLong(h[0]);
    long seq = Long.parseLong(h[1]);
    long offset = Long.parseLong(h[2]);
    long after = Long.parseLong(h[3]);
    long token = h[5].equals(self) ? Long.parseLong(h[6]) : LogEntry.FOREIGN;
    var message = Codec.decode(m, nl + 1);
    LogEntry e =
        offset == 0
            ? LogEntry.transientEntry(thread, epoch, after, message, token)
            : LogEntry.stored(thread, epoch, offset, message, Long.parseLong(h[4]), token);
    return new Notice(epoch, seq, withReceipt(e, h[5], h[6], self));
  }

  /**
   * Returns {@code e} with the receipt {@code "<origin> <token>"} when another node appended it:
   * where this node's delivery report goes (see {@link #receipt}).
   */
  static LogEntry withReceipt(LogEntry e, String origin, String token, String self) {
    return origin.isEmpty() || origin.equals(self) ? e : e.withReceipt(origin + " " + token);
  }

  /** A parsed receipt: the appending node and its token. */
  record Receipt(String node, long token) {}

  /** Parses a receipt made by {@link #withReceipt}, or returns null if it is not one. */
  static Receipt receipt(String receipt) {
    int sp = receipt.indexOf(' ');
    if (sp <= 0) {
      return null;
    }
    try {
      return new Receipt(receipt.substring(0, sp), Long.parseLong(receipt.substring(sp + 1)));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Parses the script's answer to a read. */
  static Read read(ThreadId thread, List<Object> r, String self) {
    long epoch = number(r.get(0));
    List<Stored> entries = new ArrayList<>();
    for (Object item : (List<?>) r.get(4)) {
      List<?> pair = (List<?>) item;
      String id = text(pair.get(0));
      long offset = Long.parseLong(id.substring(0, id.indexOf('-')));
      List<?> f = (List<?>) pair.get(1);
      long seq = 0;
      long at = 0;
      String origin = "";
      long token = 0;
      byte[] body = null;
      for (int i = 0; i + 1 < f.size(); i += 2) {
        switch (text(f.get(i))) {
          case "sq" -> seq = number(f.get(i + 1));
          case "at" -> at = number(f.get(i + 1));
          case "o" -> origin = text(f.get(i + 1));
          case "tk" -> token = number(f.get(i + 1));
          case "b" -> body = (byte[]) f.get(i + 1);
          default -> {}
        }
      }
      if (body == null) {
        throw new IllegalArgumentException("stream entry " + id + " has no body");
      }
      LogEntry e =
          LogEntry.stored(
              thread,
              epoch,
              offset,
              Codec.decode(body, 0),
              at,
              origin.equals(self) ? token : LogEntry.FOREIGN);
      e = withReceipt(e, origin, Long.toString(token), self);
      entries.add(new Stored(offset, seq, e));
    }
    return new Read(epoch, number(r.get(1)), number(r.get(2)), number(r.get(3)) != 0, entries);
  }
}
