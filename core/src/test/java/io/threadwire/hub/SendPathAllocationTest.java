package io.threadwire.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.ConnectionId;
import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.Since;
import io.threadwire.spi.TransportConnection;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Checks that the send path allocates nothing per recipient: the bytes allocated per send are the
 * same (within a small constant) for 10 and for 2,000 recipients. It measures allocation, not time,
 * with the JVM's per-thread allocation counter, so it is deterministic enough for a unit test; the
 * JMH benchmark in {@code benchmarks} reports the exact figure.
 */
class SendPathAllocationTest {

  private static final int SENDS = 5_000;

  @Test
  void allocationPerSendDoesNotGrowWithRecipients() {
    long small = bytesPerSend(10);
    long large = bytesPerSend(2_000);
    // One allocation per recipient would cost at least 16 bytes x 1,990 recipients.
    assertThat(large - small)
        .as("bytes per send: %d with 10 recipients, %d with 2000", small, large)
        .isLessThan(256);
  }

  private static long bytesPerSend(int recipients) {
    ThreadHub hub =
        ThreadHub.builder((t, e, o, m) -> m.payload())
            .settings(
                HubSettings.defaults().withHistoryPolicy(io.threadwire.HistoryPolicy.disabled()))
            .build();
    hub.start();
    try {
      ThreadId room = ThreadId.of("room");
      for (int i = 0; i < recipients; i++) {
        NoOp c = new NoOp(ConnectionId.of("c" + i));
        hub.register(c);
        hub.join(c.id(), room, Since.none());
      }
      Message message = Message.of("{\"n\":1}");
      for (int i = 0; i < SENDS; i++) {
        hub.send(room, message, SendOptions.defaults());
      }
      com.sun.management.ThreadMXBean mx =
          (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long id = Thread.currentThread().getId();
      long before = mx.getThreadAllocatedBytes(id);
      for (int i = 0; i < SENDS; i++) {
        hub.send(room, message, SendOptions.defaults());
      }
      return (mx.getThreadAllocatedBytes(id) - before) / SENDS;
    } finally {
      hub.close();
    }
  }

  private record NoOp(ConnectionId id) implements TransportConnection {
    @Override
    public UserId user() {
      return UserId.anonymous();
    }

    @Override
    public void send(Frame frame, DeliveryCallback callback) {
      callback.delivered(this);
    }
  }
}
