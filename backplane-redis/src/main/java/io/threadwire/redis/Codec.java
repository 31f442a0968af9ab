package io.threadwire.redis;

import io.threadwire.Message;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Encodes a message into the bytes stored in the stream and sent on the channel, and back. Each
 * field is length-prefixed ({@code <bytes>:<UTF-8>}), so a payload may hold any text: id, payload,
 * idempotency key (empty when none, since a key has at least one character), the number of metadata
 * entries, then their keys and values.
 */
final class Codec {

  private Codec() {}

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static byte[] encode(Message m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(m.payloadBytes() + 64);
    field(out, m.id());
    field(out, m.payload());
    field(out, m.idempotencyKey().orElse(""));
    field(out, Integer.toString(m.metadata().size()));
    for (Map.Entry<String, String> e : m.metadata().entrySet()) {
      field(out, e.getKey());
      field(out, e.getValue());
    }
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, String value) {
    byte[] b = utf8(value);
    out.writeBytes(utf8(Integer.toString(b.length)));
    out.write(':');
    out.writeBytes(b);
  }

  /**
   * Decodes what {@link #encode} wrote, starting at {@code from}.
   *
   * @throws IllegalArgumentException if the bytes are not such an encoding
   */
  static Message decode(byte[] b, int from) {
    Reader r = new Reader(b, from);
    String id = r.next();
    Message.Builder builder = Message.builder(r.next()).id(id);
    String key = r.next();
    if (!key.isEmpty()) {
      builder.idempotencyKey(key);
    }
    int n = Integer.parseInt(r.next());
    for (int i = 0; i < n; i++) {
      builder.metadata(r.next(), r.next());
    }
    return builder.build();
  }

  private static final class Reader {
    private final byte[] b;
    private int pos;

    Reader(byte[] b, int pos) {
      this.b = b;
      this.pos = pos;
    }

    String next() {
      int len = 0;
      int start = pos;
      while (pos < b.length && b[pos] != ':') {
        int d = b[pos] - '0';
        if (d < 0 || d > 9 || pos - start > 9) {
          throw new IllegalArgumentException("not an encoded message at byte " + pos);
        }
        len = len * 10 + d;
        pos++;
      }
      if (pos >= b.length || pos == start || pos + 1 + len > b.length) {
        throw new IllegalArgumentException("truncated encoded message at byte " + pos);
      }
      String s = new String(b, pos + 1, len, StandardCharsets.UTF_8);
      pos += 1 + len;
      return s;
    }
  }
}
