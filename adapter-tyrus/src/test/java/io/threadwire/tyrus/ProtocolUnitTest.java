package io.threadwire.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.Message;
import io.threadwire.ThreadId;
import java.time.Duration;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Protocol pieces without sockets")
class ProtocolUnitTest {

  @Nested
  @DisplayName("Client frames")
  class ClientFrames {

    @Test
    @DisplayName("a join with every field parses; unknown fields are ignored")
    void join() {
      ClientFrame f =
          ClientFrame.parse(
              "{\"type\":\"join\",\"thread\":\"t\",\"since\":5,\"epoch\":2,\"ref\":\"r\","
                  + "\"extra\":{\"deep\":[1,2]}}");
      assertThat(f.error()).isNull();
      assertThat(f)
          .extracting("type", "thread", "since", "epoch", "ref")
          .containsExactly("join", "t", 5L, 2L, "r");
    }

    @Test
    @DisplayName("absent since and epoch read as -1")
    void absent() {
      ClientFrame f = ClientFrame.parse("{\"type\":\"ping\"}");
      assertThat(f.since()).isEqualTo(-1);
      assertThat(f.epoch()).isEqualTo(-1);
      assertThat(f.ref()).isNull();
    }

    @Test
    @DisplayName("a number too large for a long is an invalid field, not a crash")
    void hugeNumber() {
      ClientFrame f = ClientFrame.parse("{\"type\":\"join\",\"thread\":\"t\",\"since\":1e400}");
      assertThat(f.error()).isEqualTo(ErrorCode.INVALID_FIELD);
      f = ClientFrame.parse("{\"type\":\"join\",\"thread\":\"t\",\"since\":99999999999999999999}");
      assertThat(f.error()).isEqualTo(ErrorCode.INVALID_FIELD);
    }

    @Test
    @DisplayName("deep nesting in an ignored field is malformed or skipped, never a crash")
    void deepNesting() {
      ClientFrame f =
          ClientFrame.parse(
              "{\"type\":\"ping\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
      assertThat(f.error()).isIn(null, ErrorCode.MALFORMED_JSON);
    }
  }

  @Nested
  @DisplayName("Server frames")
  class Server {

    @Test
    @DisplayName("a JSON object or array payload is embedded verbatim, anything else as text")
    void payloadForms() {
      assertThat(ServerFrames.isJsonContainer("{\"a\": 1}")).isTrue();
      assertThat(ServerFrames.isJsonContainer("[1, 2]")).isTrue();
      assertThat(ServerFrames.isJsonContainer(" {\"a\":1}")).isFalse();
      assertThat(ServerFrames.isJsonContainer("{\"a\":1} {}")).isFalse();
      assertThat(ServerFrames.isJsonContainer("{\"a\":}")).isFalse();
      assertThat(ServerFrames.isJsonContainer("42")).isFalse();
      assertThat(ServerFrames.isJsonContainer("")).isFalse();
      String json =
          ServerFrames.message(
              ThreadId.of("t"), 3, 7, Message.builder("{\"a\": 1}").id("m").build());
      assertThat(json)
          .isEqualTo(
              "{\"type\":\"message\",\"thread\":\"t\",\"epoch\":3,\"offset\":7,\"id\":\"m\","
                  + "\"payload\":{\"a\": 1}}");
      String text =
          ServerFrames.message(
              ThreadId.of("t"),
              3,
              0,
              Message.builder("hi \"x\"").id("m").metadata("k", "v").build());
      assertThat(text)
          .isEqualTo(
              "{\"type\":\"message\",\"thread\":\"t\",\"epoch\":3,\"offset\":0,\"id\":\"m\","
                  + "\"text\":\"hi \\\"x\\\"\",\"metadata\":{\"k\":\"v\"}}");
    }

    @Test
    @DisplayName("an error frame carries code, reason, thread and ref")
    void error() {
      assertThat(ServerFrames.error(ErrorCode.FORBIDDEN_THREAD, "no", "t", "r"))
          .isEqualTo(
              "{\"type\":\"error\",\"code\":\"forbidden_thread\",\"reason\":\"no\",\"thread\":\"t\","
                  + "\"ref\":\"r\"}");
      assertThat(ServerFrames.pong(null)).isEqualTo("{\"type\":\"pong\"}");
    }
  }

  @Nested
  @DisplayName("Frame size guard")
  class SizeGuard {

    private Buffer buffer(int... bytes) {
      byte[] b = new byte[bytes.length];
      for (int i = 0; i < bytes.length; i++) {
        b[i] = (byte) bytes[i];
      }
      return Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, b);
    }

    @Test
    @DisplayName("small masked frames pass, also with headers split across reads")
    void smallFramesPass() {
      FrameSizeGuard g = new FrameSizeGuard(100);
      // text frame, masked, 3 bytes payload: 0x81 0x83 mask(4) payload(3)
      assertThat(g.accept(buffer(0x81, 0x83, 1, 2))).isTrue();
      assertThat(g.accept(buffer(3, 4, 9, 9, 9, 0x81))).isTrue();
      assertThat(g.accept(buffer(0x80 | 126, 0, 100))).isTrue(); // 100 bytes: at the limit
    }

    @Test
    @DisplayName("a frame announcing more than the limit is refused from its header")
    void bigFrameRefused() {
      FrameSizeGuard g = new FrameSizeGuard(100);
      assertThat(g.accept(buffer(0x81, 0x80 | 126, 0, 101))).isFalse();
      FrameSizeGuard g64 = new FrameSizeGuard(100);
      assertThat(g64.accept(buffer(0x82, 0x80 | 127, 0, 0, 0, 1, 0, 0, 0, 0))).isFalse();
      FrameSizeGuard continuation = new FrameSizeGuard(100);
      assertThat(continuation.accept(buffer(0x00, 0x80 | 126, 1, 0))).isFalse();
    }

    @Test
    @DisplayName("the close frame it sends carries code 1009")
    void closeFrame() {
      byte[] f = FrameSizeGuard.closeFrame(1009, "x");
      assertThat(f).containsExactly((byte) 0x88, (byte) 3, (byte) 0x03, (byte) 0xF1, (byte) 'x');
    }
  }

  @Test
  @DisplayName("a server text frame is framed once, unmasked, with the shortest length form")
  void wireFrames() {
    assertThat(WireFrames.text("hi"))
        .containsExactly((byte) 0x81, (byte) 2, (byte) 'h', (byte) 'i');
    assertThat(WireFrames.text("x".repeat(125))).hasSize(2 + 125);
    byte[] mid = WireFrames.text("x".repeat(126));
    assertThat(mid).hasSize(4 + 126);
    assertThat(mid[1]).isEqualTo((byte) 126);
    assertThat(((mid[2] & 0xFF) << 8) | (mid[3] & 0xFF)).isEqualTo(126);
    byte[] big = WireFrames.text("x".repeat(70_000));
    assertThat(big).hasSize(10 + 70_000);
    assertThat(big[1]).isEqualTo((byte) 127);
    assertThat(WireFrames.text("é"))
        .containsExactly((byte) 0x81, (byte) 2, (byte) 0xC3, (byte) 0xA9);
    Message m = Message.of("{}");
    io.threadwire.spi.Frame f = new io.threadwire.spi.Frame(ThreadId.of("t"), 1, 1, m, "{}");
    assertThat(WireFrames.of(f)).isSameAs(WireFrames.of(f));
  }

  @Test
  @DisplayName("the rate limiter allows a burst, refuses after it and refills with time")
  void rateLimiter() {
    RateLimiter r = new RateLimiter(new TyrusSettings.RateLimit(1, Duration.ofSeconds(1), 2, 3), 0);
    assertThat(r.tryAcquire(0)).isTrue();
    assertThat(r.tryAcquire(0)).isTrue();
    assertThat(r.tryAcquire(0)).isFalse();
    assertThat(r.tryAcquire(1)).isFalse();
    assertThat(r.refusedInARow()).isEqualTo(2);
    assertThat(r.tryAcquire(1_000_000_001L)).isTrue();
    assertThat(r.refusedInARow()).isZero();
  }
}
