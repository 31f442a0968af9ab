package io.threadwire.examples;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A real client following one thread over the network, as a browser does: the in-memory transport's
 * event stream or the Tyrus transport's WebSocket. Both receive the same JSON frames.
 */
interface LiveClient extends AutoCloseable {

  /** Returns every frame received so far, in arrival order. */
  List<JsonNode> frames();

  /** Returns the frames of {@code type}. */
  default List<JsonNode> frames(String type) {
    return frames().stream().filter(f -> f.path("type").asText().equals(type)).toList();
  }

  /** Returns the offsets of the message frames, in arrival order. */
  default List<Long> offsets() {
    return frames("message").stream().map(f -> f.path("offset").asLong()).toList();
  }

  /** Disconnects. */
  @Override
  void close();

  /** Opens a client on a running app. */
  @FunctionalInterface
  interface Factory {
    /**
     * Joins {@code thread}, replaying after {@code since} when it is not null, of {@code epoch}
     * when that is not null.
     */
    LiveClient open(ExampleApp app, String thread, Long since, Long epoch);
  }
}
