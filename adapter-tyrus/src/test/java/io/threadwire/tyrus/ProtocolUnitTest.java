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

    private InboundGuard guard(int max) {
      return new InboundGuard(
          TyrusSettings.builder()
              .maxFrameBytes(Math.max(128, max))
              .rateLimit(new TyrusSettings.RateLimit(1, Duration.ofHours(1), 3, 2))
              .build(),
          System.nanoTime());
    }

    @Test
    @DisplayName("small masked frames pass, also with headers split across reads")
    void smallFramesPass() {
      InboundGuard g = guard(128);
      // text frame, masked, 3 bytes payload: 0x81 0x83 mask(4) payload(3)
      assertThat(g.accept(buffer(0x81, 0x83, 1, 2))).isEqualTo(InboundGuard.PASS);
      assertThat(g.accept(buffer(3, 4, 9, 9, 9, 0x81))).isEqualTo(InboundGuard.PASS);
      assertThat(g.accept(buffer(0x80 | 126, 0, 128))).isEqualTo(InboundGuard.PASS); // at the limit
    }

    @Test
    @DisplayName("a frame announcing more than the limit is refused from its header with 1009")
    void bigFrameRefused() {
      assertThat(guard(128).accept(buffer(0x81, 0x80 | 126, 0, 129))).isEqualTo(1009);
      assertThat(guard(128).accept(buffer(0x82, 0x80 | 127, 0, 0, 0, 1, 0, 0, 0, 0)))
          .isEqualTo(1009);
    }

    @Test
    @DisplayName("fragments are added up, binary or text, and refused once the total passes")
    void fragmentsAddUp() {
      InboundGuard g = guard(128);
      // binary, FIN=0, 100 bytes announced: mask and payload follow
      assertThat(g.accept(buffer(0x02, 0x80 | 100, 0, 0, 0, 0))).isEqualTo(InboundGuard.PASS);
      assertThat(g.accept(Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, new byte[100])))
          .isEqualTo(InboundGuard.PASS);
      // a continuation of 29 bytes: 129 in total
      assertThat(g.accept(buffer(0x80, 0x80 | 29))).isEqualTo(1009);
    }

    @Test
    @DisplayName("RFC 6455 framing errors are refused with 1002")
    void framingErrors() {
      assertThat(guard(128).accept(buffer(0x81, 0x03))).as("unmasked").isEqualTo(1002);
      assertThat(guard(128).accept(buffer(0xC1, 0x83))).as("RSV1 set").isEqualTo(1002);
      assertThat(guard(128).accept(buffer(0x83, 0x80))).as("reserved opcode").isEqualTo(1002);
      assertThat(guard(128).accept(buffer(0x80, 0x80))).as("stray continuation").isEqualTo(1002);
      assertThat(guard(128).accept(buffer(0x09, 0x80))).as("fragmented ping").isEqualTo(1002);
      assertThat(guard(128).accept(buffer(0x89, 0x80 | 126, 0, 126)))
          .as("ping over 125 bytes")
          .isEqualTo(1002);
      InboundGuard g = guard(128);
      assertThat(g.accept(buffer(0x01, 0x80, 0, 0, 0, 0))).isEqualTo(InboundGuard.PASS);
      assertThat(g.accept(buffer(0x81, 0x80))).as("new message inside one").isEqualTo(1002);
    }

    @Test
    @DisplayName("fragments and pings take rate-limit tokens; too many refusals close with 1008")
    void rateCountsFrames() {
      InboundGuard g = guard(128);
      // burst 3, closed after 2 refusals in a row: 3 pings pass, the 4th leaves a debt,
      // the 5th closes
      for (int i = 0; i < 3; i++) {
        assertThat(g.accept(buffer(0x89, 0x80, 0, 0, 0, 0))).isEqualTo(InboundGuard.PASS);
      }
      assertThat(g.accept(buffer(0x89, 0x80, 0, 0, 0, 0))).isEqualTo(InboundGuard.PASS);
      assertThat(g.tryAcquireMessage(System.nanoTime())).as("the debt refuses a message").isFalse();
      assertThat(g.accept(buffer(0x89, 0x80, 0, 0, 0, 0))).isEqualTo(1008);
    }

    @Test
    @DisplayName("once closing, input is dropped until the client's close frame")
    void closing() {
      InboundGuard g = guard(128);
      assertThat(g.startClosing()).isTrue();
      assertThat(g.startClosing()).as("once").isFalse();
      assertThat(g.accept(buffer(0x81, 0x81, 0, 0, 0, 0, 'x'))).isEqualTo(InboundGuard.DROP);
      assertThat(g.accept(buffer(0x88, 0x82, 0, 0, 0, 0, 3))).isEqualTo(InboundGuard.DROP);
      assertThat(g.accept(buffer(0xE8))).isEqualTo(InboundGuard.CLIENT_CLOSED);
    }

    @Test
    @DisplayName("the close frame it sends carries code 1009")
    void closeFrame() {
      byte[] f = InboundGuard.closeFrame(1009, "x");
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
