package io.threadwire.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.threadwire.Message;
import io.threadwire.ThreadId;
import io.threadwire.spi.FrameEncoder;
import io.threadwire.spi.JoinResult;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Encodes frames for the in-memory event stream in the shapes of the Tyrus wire protocol ({@code
 * joined}, {@code message}), so the demo page handles both transports with the same code.
 */
final class FrameJson implements FrameEncoder {

  private final ObjectMapper json;

  FrameJson(ObjectMapper json) {
    this.json = json;
  }

  @Override
  public String encode(ThreadId thread, long epoch, long offset, Message message) {
    ObjectNode frame = json.createObjectNode();
    frame.put("type", "message");
    frame.put("thread", thread.value());
    frame.put("epoch", epoch);
    frame.put("offset", offset);
    frame.put("id", message.id());
    JsonNode payload = container(message.payload());
    if (payload != null) {
      frame.set("payload", payload);
    } else {
      frame.put("text", message.payload());
    }
    if (!message.metadata().isEmpty()) {
      ObjectNode meta = frame.putObject("metadata");
      for (Map.Entry<String, String> e : message.metadata().entrySet()) {
        meta.put(e.getKey(), e.getValue());
      }
    }
    return write(frame);
  }

  /** Returns the {@code joined} frame for {@code result}. */
  String joined(JoinResult result) {
    ObjectNode frame = json.createObjectNode();
    frame.put("type", "joined");
    frame.put("thread", result.thread().value());
    frame.put("epoch", result.epoch());
    frame.put("offset", result.offset());
    frame.put("recovered", result.recovered());
    frame.put("replayed", result.replayed());
    frame.put("missed", result.missed());
    return write(frame);
  }

  /** Returns the {@code error} frame with a stable {@code code} and a human-readable reason. */
  String error(String code, String reason) {
    ObjectNode frame = json.createObjectNode();
    frame.put("type", "error");
    frame.put("code", code);
    frame.put("reason", reason);
    return write(frame);
  }

  /**
   * Returns the payload as JSON if it is a JSON object or array, else null: as in the Tyrus wire
   * protocol, such a payload is embedded as {@code payload} and anything else travels as the string
   * {@code text}.
   */
  private JsonNode container(String text) {
    try {
      JsonNode node = json.readTree(text);
      return node != null && node.isContainerNode() ? node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private String write(ObjectNode frame) {
    try {
      return json.writeValueAsString(frame);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
