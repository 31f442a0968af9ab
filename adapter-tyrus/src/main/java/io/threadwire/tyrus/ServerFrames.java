package io.threadwire.tyrus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.threadwire.ConnectionId;
import io.threadwire.Message;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.spi.FrameEncoder;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.ThreadGap;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Encodes every frame the server sends, as compact JSON text; see {@code PROTOCOL.md}. The {@code
 * message} frame is built once per send by the hub through {@link #encoder()} and shared by every
 * recipient.
 */
final class ServerFrames {

  static final JsonFactory JSON = JsonFactory.builder().build();

  /** The protocol version announced in the {@code welcome} frame. */
  static final int PROTOCOL_VERSION = 1;

  static final String PONG = "{\"type\":\"pong\"}";

  private ServerFrames() {}

  /** Returns the encoder of {@code message} frames. */
  static FrameEncoder encoder() {
    return ServerFrames::message;
  }

  /**
   * Encodes a {@code message} frame. A payload that is a JSON object or array, with no surrounding
   * whitespace, is embedded verbatim as {@code payload}; any other payload travels as the JSON
   * string {@code text}. Either way the client gets the payload text back character for character.
   */
  static String message(ThreadId thread, long epoch, long offset, Message message) {
    String payload = message.payload();
    StringWriter out = new StringWriter(payload.length() + 96 + thread.value().length());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", "message");
      g.writeStringField("thread", thread.value());
      g.writeNumberField("epoch", epoch);
      g.writeNumberField("offset", offset);
      g.writeStringField("id", message.id());
      if (isJsonContainer(payload)) {
        g.writeFieldName("payload");
        g.writeRawValue(payload);
      } else {
        g.writeStringField("text", payload);
      }
      Map<String, String> metadata = message.metadata();
      if (!metadata.isEmpty()) {
        g.writeObjectFieldStart("metadata");
        for (Map.Entry<String, String> e : metadata.entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("could not encode message " + message.id(), e);
    }
    return out.toString();
  }

  /** Returns true if {@code text} is exactly one JSON object or array, nothing around it. */
  static boolean isJsonContainer(String text) {
    if (text.isEmpty()) {
      return false;
    }
    char first = text.charAt(0);
    char last = text.charAt(text.length() - 1);
    if (!((first == '{' && last == '}') || (first == '[' && last == ']'))) {
      return false;
    }
    try (JsonParser p = JSON.createParser(text)) {
      p.nextToken();
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  static String welcome(ConnectionId connection, UserId user) {
    return object(
        g -> {
          g.writeStringField("type", "welcome");
          g.writeStringField("connection", connection.value());
          g.writeStringField("user", user.value());
          g.writeNumberField("protocol", PROTOCOL_VERSION);
        });
  }

  static String joined(JoinResult r, String ref) {
    return object(
        g -> {
          g.writeStringField("type", "joined");
          g.writeStringField("thread", r.thread().value());
          g.writeNumberField("epoch", r.epoch());
          g.writeNumberField("offset", r.offset());
          g.writeBooleanField("recovered", r.recovered());
          g.writeNumberField("replayed", r.replayed());
          g.writeNumberField("missed", r.missed());
          ref(g, ref);
        });
  }

  /** The gap signal; the log's reason stays in the server's log (it may name internals). */
  static String gap(ThreadGap gap) {
    return object(
        g -> {
          g.writeStringField("type", "gap");
          g.writeStringField("thread", gap.thread().value());
          g.writeNumberField("epoch", gap.epoch());
          g.writeNumberField("from", gap.from());
          g.writeNumberField("to", gap.to());
          g.writeBooleanField("epochChanged", gap.epochChanged());
        });
  }

  static String left(ThreadId thread, String ref) {
    return object(
        g -> {
          g.writeStringField("type", "left");
          g.writeStringField("thread", thread.value());
          ref(g, ref);
        });
  }

  static String pong(String ref) {
    return ref == null
        ? PONG
        : object(
            g -> {
              g.writeStringField("type", "pong");
              ref(g, ref);
            });
  }

  /**
   * Encodes an {@code error} frame.
   *
   * @param thread the thread the error concerns, or null
   * @param ref the client's {@code ref}, or null
   */
  static String error(ErrorCode code, String reason, String thread, String ref) {
    return object(
        g -> {
          g.writeStringField("type", "error");
          g.writeStringField("code", code.code());
          g.writeStringField("reason", reason);
          if (thread != null) {
            g.writeStringField("thread", thread);
          }
          ref(g, ref);
        });
  }

  private static void ref(JsonGenerator g, String ref) throws IOException {
    if (ref != null) {
      g.writeStringField("ref", ref);
    }
  }

  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private static String object(Fields fields) {
    StringWriter out = new StringWriter(128);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
