package io.threadwire.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.Message;
import io.threadwire.ThreadId;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("socket")
@DisplayName("Idle connections are pinged, and closed when they stay silent")
class IdleTimeoutTest {

  /** What a raw client that never answers saw: the opcodes of every frame, and the close code. */
  private record Seen(List<Integer> opcodes, int closeCode) {}

  @Test
  @DisplayName("a client that never answers pings is closed with 1000; one that does stays open")
  void idleClosedPingedStays() throws Exception {
    TyrusSettings settings =
        TyrusSettings.builder()
            .port(0)
            .idleTimeout(Duration.ofSeconds(3))
            .pingInterval(Duration.ofMillis(200))
            .build();
    try (TyrusThreadMessaging m = started(settings);
        TestClient answering = connectJdk(m)) {
      DeliveryTest.join(answering, ThreadId.of("room-1"));
      Seen silent = rawClientUntilClosed(m.boundPort());
      assertThat(silent.closeCode()).isEqualTo(1000);
      assertThat(silent.opcodes()).contains(0x9); // pinged before being closed
      assertThat(answering.isClosed()).isFalse();
      m.send(ThreadId.of("room-1"), Message.of("{\"still\":\"here\"}"));
      answering.await(f -> "message".equals(f.path("type").asText()));
    }
  }

  private static TyrusThreadMessaging started(TyrusSettings settings) {
    TyrusThreadMessaging m = TyrusThreadMessaging.create(settings);
    m.start();
    return m;
  }

  private static TestClient connectJdk(TyrusThreadMessaging m) {
    return TestClient.connect(m.uri(), Map.of());
  }

  /** Opens a WebSocket by hand, never answers anything, and reads until the server closes. */
  private static Seen rawClientUntilClosed(int port) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET /threads HTTP/1.1\r\nHost: 127.0.0.1:"
                  + port
                  + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  + "Sec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      String status = readHead(in);
      assertThat(status).startsWith("HTTP/1.1 101");
      List<Integer> opcodes = new ArrayList<>();
      while (true) {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7F;
        if (len == 126) {
          len = in.readUnsignedShort();
        } else if (len == 127) {
          len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        int opcode = b0 & 0x0F;
        opcodes.add(opcode);
        if (opcode == 0x8) {
          int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
          return new Seen(opcodes, code);
        }
      }
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed during the handshake");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }
}
