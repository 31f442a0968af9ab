package io.threadwire.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.threadwire.Message;
import io.threadwire.ThreadId;
import io.threadwire.spi.JoinResult;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("In-memory frames have the shapes of the Tyrus wire protocol")
class FrameJsonTest {

  private final FrameJson frames = new FrameJson(TestApps.JSON);

  @Test
  @DisplayName("a JSON object payload is embedded as payload, with offset, id and metadata")
  void objectPayload() throws Exception {
    Message m =
        Message.builder("{\"type\":\"thinking\",\"n\":1}")
            .id("m-1")
            .metadata("type", "thinking")
            .build();
    JsonNode f = TestApps.JSON.readTree(frames.encode(ThreadId.of("t"), 7, 3, m));
    assertThat(f.path("type").asText()).isEqualTo("message");
    assertThat(f.path("thread").asText()).isEqualTo("t");
    assertThat(f.path("epoch").asLong()).isEqualTo(7);
    assertThat(f.path("offset").asLong()).isEqualTo(3);
    assertThat(f.path("id").asText()).isEqualTo("m-1");
    assertThat(f.path("payload").path("n").asInt()).isEqualTo(1);
    assertThat(f.path("metadata").path("type").asText()).isEqualTo("thinking");
    assertThat(f.has("text")).isFalse();
  }

  @Test
  @DisplayName("any other payload travels as the string text, character for character")
  void textPayload() throws Exception {
    for (String payload : new String[] {"plain words", "42", "\"quoted\"", "{not json", ""}) {
      JsonNode f =
          TestApps.JSON.readTree(frames.encode(ThreadId.of("t"), 1, 1, Message.of(payload)));
      assertThat(f.has("payload")).as(payload).isFalse();
      assertThat(f.path("text").asText()).isEqualTo(payload);
    }
  }

  @Test
  @DisplayName("joined carries epoch, offset and how recovery went")
  void joined() throws Exception {
    JoinResult r = new JoinResult(ThreadId.of("t"), JoinResult.Status.JOINED, 5, 9, false, 2, 4);
    JsonNode f = TestApps.JSON.readTree(frames.joined(r));
    assertThat(f.path("type").asText()).isEqualTo("joined");
    assertThat(f.path("offset").asLong()).isEqualTo(9);
    assertThat(f.path("recovered").asBoolean()).isFalse();
    assertThat(f.path("replayed").asInt()).isEqualTo(2);
    assertThat(f.path("missed").asLong()).isEqualTo(4);
  }
}
