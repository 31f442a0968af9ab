package io.threadwire.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.Message;
import io.threadwire.ThreadId;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.TransportConnection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("An event stream connection never blocks the sender")
class SseConnectionTest {

  private final List<String> results = new CopyOnWriteArrayList<>();
  private final DeliveryCallback callback =
      new DeliveryCallback() {
        @Override
        public void delivered(TransportConnection connection) {
          results.add("delivered");
        }

        @Override
        public void failed(TransportConnection connection, Throwable cause) {
          results.add("failed: " + cause.getMessage());
        }
      };

  private static Frame frame(long offset) {
    return new Frame(
        ThreadId.of("t"), 1, offset, Message.of("m" + offset), "{\"o\":" + offset + "}");
  }

  @Test
  @DisplayName(
      "a full queue fails the write at once instead of blocking; queued frames are written in order")
  void fullQueueFails() throws Exception {
    SseConnection c = new SseConnection(new FrameJson(TestApps.JSON), 2);
    c.send(frame(1), callback);
    c.send(frame(2), callback);
    c.send(frame(3), callback);
    assertThat(results)
        .singleElement()
        .asString()
        .startsWith("failed: ")
        .contains("cannot keep up");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread pump =
        new Thread(
            () -> {
              try {
                c.pump(out, Duration.ofMillis(50));
              } catch (Exception e) {
                results.add("pump: " + e);
              }
            });
    pump.start();
    org.awaitility.Awaitility.await().until(() -> results.size() == 3);
    c.close();
    pump.join(10_000);
    assertThat(pump.isAlive()).as("the pump ends on close").isFalse();
    assertThat(results)
        .containsExactly(
            "failed: event stream " + c.id() + " cannot keep up", "delivered", "delivered");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("event: message\ndata: {\"o\":1}\n\nevent: message\ndata: {\"o\":2}\n\n");
  }

  @Test
  @DisplayName("after close every write fails, and what was queued is failed too")
  void closedFails() {
    SseConnection c = new SseConnection(new FrameJson(TestApps.JSON), 4);
    c.send(frame(1), callback);
    c.close();
    c.send(frame(2), callback);
    assertThat(results).hasSize(2).allMatch(r -> r.startsWith("failed: "));
  }
}
