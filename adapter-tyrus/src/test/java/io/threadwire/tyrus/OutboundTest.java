package io.threadwire.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.ConnectionId;
import io.threadwire.Message;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.TransportConnection;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The outbound queue: one write in flight, bounded, every frame answered once")
class OutboundTest {

  private final TransportConnection owner =
      new TransportConnection() {
        @Override
        public ConnectionId id() {
          return ConnectionId.of("c-test");
        }

        @Override
        public UserId user() {
          return UserId.anonymous();
        }

        @Override
        public void send(Frame frame, DeliveryCallback callback) {}
      };

  /** Counts answers per frame, to check exactly-once. */
  private static final class Answers implements DeliveryCallback {
    final AtomicInteger delivered = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();

    @Override
    public void delivered(TransportConnection connection) {
      delivered.incrementAndGet();
    }

    @Override
    public void failed(TransportConnection connection, Throwable cause) {
      failed.incrementAndGet();
    }
  }

  private static Frame frame(int n) {
    Message m = Message.of("{\"n\":" + n + "}");
    return new Frame(ThreadId.of("t"), 1, n, m, ServerFrames.message(ThreadId.of("t"), 1, n, m));
  }

  @Test
  @DisplayName("synchronous completions are looped, not recursed, and keep order")
  void synchronousCompletions() {
    Remote remote = new Remote(true);
    List<Runnable> handedOff = new ArrayList<>();
    Outbound out = new Outbound(owner, () -> {}, handedOff::add, 10_000, Long.MAX_VALUE);
    out.attach(remote);
    Answers answers = new Answers();
    for (int i = 1; i <= 5000; i++) {
      out.offer(frame(i), answers, false);
    }
    assertThat(answers.delivered).hasValue(5000);
    assertThat(remote.texts).hasSize(5000);
    assertThat(remote.texts.get(4999)).contains("\"offset\":5000");
    assertThat(handedOff).isEmpty();
  }

  @Test
  @DisplayName("one write in flight at a time; the rest waits in order")
  void oneInFlight() {
    Remote remote = new Remote(false);
    Outbound out = new Outbound(owner, () -> {}, Runnable::run, 10, Long.MAX_VALUE);
    out.attach(remote);
    Answers answers = new Answers();
    for (int i = 1; i <= 3; i++) {
      out.offer(frame(i), answers, false);
    }
    assertThat(remote.texts).hasSize(1);
    remote.complete(null);
    assertThat(remote.texts).hasSize(2);
    remote.complete(null);
    remote.complete(null);
    assertThat(remote.texts).hasSize(3);
    assertThat(answers.delivered).hasValue(3);
  }

  @Test
  @DisplayName("from the hub's send path only the caller's own frame is written in its thread")
  void hubCallerHandsOff() {
    Remote remote = new Remote(false);
    List<Runnable> handedOff = new ArrayList<>();
    Outbound out = new Outbound(owner, () -> {}, handedOff::add, 10, Long.MAX_VALUE);
    out.attach(remote);
    Answers answers = new Answers();
    out.offer(frame(1), answers, true);
    out.offer(frame(2), answers, true);
    remote.synchronous = true;
    remote.complete(null); // frame 1 done on a "Tyrus" thread: frame 2 is written there
    assertThat(answers.delivered).hasValue(2);
    Outbound hubOut = new Outbound(owner, () -> {}, handedOff::add, 10, Long.MAX_VALUE);
    Remote syncRemote = new Remote(true);
    hubOut.attach(syncRemote);
    AtomicInteger sends = new AtomicInteger();
    syncRemote.onSend =
        () -> {
          if (sends.incrementAndGet() == 1) { // another sender queues while frame 3 is written
            hubOut.offerControl("{\"type\":\"pong\"}", false);
          }
        };
    hubOut.offer(frame(3), answers, true);
    assertThat(handedOff).hasSize(1); // the pong queued meanwhile is written by the executor
    handedOff.get(0).run();
    assertThat(syncRemote.texts).hasSize(2);
  }

  @Test
  @DisplayName("a full queue refuses the frame and closes; close fails the rest exactly once")
  void fullQueue() {
    Remote remote = new Remote(false);
    Outbound out = new Outbound(owner, () -> {}, Runnable::run, 3, Long.MAX_VALUE);
    out.attach(remote);
    List<Answers> all = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Answers a = new Answers();
      all.add(a);
      assertThat(out.offer(frame(i), a, true)).isEqualTo(Outbound.Offer.QUEUED);
    }
    Answers refused = new Answers();
    assertThat(out.offer(frame(4), refused, true)).isEqualTo(Outbound.Offer.FULL);
    assertThat(refused.failed).hasValue(1);
    out.close(new IOException("cut"));
    remote.complete(null); // the write in flight answers late: already failed, ignored
    Answers late = new Answers();
    assertThat(out.offer(frame(5), late, false)).isEqualTo(Outbound.Offer.CLOSED);
    for (Answers a : all) {
      assertThat(a.delivered.get() + a.failed.get()).isEqualTo(1);
    }
    assertThat(late.failed).hasValue(1);
  }

  @Test
  @DisplayName("a failed write fails its frame, reports the connection broken and stops writing")
  void failedWrite() {
    Remote remote = new Remote(false);
    AtomicInteger broken = new AtomicInteger();
    Outbound out = new Outbound(owner, broken::incrementAndGet, Runnable::run, 10, Long.MAX_VALUE);
    out.attach(remote);
    Answers first = new Answers();
    Answers second = new Answers();
    out.offer(frame(1), first, false);
    out.offer(frame(2), second, false);
    remote.complete(new IOException("reset"));
    assertThat(first.failed).hasValue(1);
    assertThat(broken).hasValue(1);
    assertThat(remote.texts).hasSize(1);
    out.close(new IOException("closed"));
    assertThat(second.failed).hasValue(1);
  }

  @Test
  @DisplayName("the byte bound counts frame text; a write in flight is stalled past its timeout")
  void byteBoundAndStall() {
    Remote remote = new Remote(false);
    Frame f = frame(1);
    Outbound out = new Outbound(owner, () -> {}, Runnable::run, 100, f.text().length() * 2L);
    out.attach(remote);
    assertThat(out.offer(f, new Answers(), false)).isEqualTo(Outbound.Offer.QUEUED);
    assertThat(out.offer(f, new Answers(), false)).isEqualTo(Outbound.Offer.QUEUED);
    assertThat(out.offer(f, new Answers(), false)).isEqualTo(Outbound.Offer.FULL);
    assertThat(out.isStalled(System.nanoTime() + 10, 1)).isFalse(); // closed: nothing in flight
    Outbound other = new Outbound(owner, () -> {}, Runnable::run, 100, Long.MAX_VALUE);
    other.attach(new Remote(false));
    other.offer(f, new Answers(), false);
    assertThat(other.isStalled(System.nanoTime() + 1_000_000_000L, 1_000)).isTrue();
  }

  /** A fake Tyrus remote: records texts and completes writes now or when told. */
  private static final class Remote implements RemoteEndpoint.Async {
    final List<String> texts = new ArrayList<>();
    final List<SendHandler> pending = new ArrayList<>();
    boolean synchronous;
    Runnable onSend = () -> {};

    Remote(boolean synchronous) {
      this.synchronous = synchronous;
    }

    void complete(Throwable failure) {
      SendHandler h = pending.remove(0);
      h.onResult(
          failure == null
              ? new SendResult((jakarta.websocket.Session) null)
              : new SendResult((jakarta.websocket.Session) null, failure));
    }

    @Override
    public void sendText(String text, SendHandler handler) {
      texts.add(text);
      onSend.run();
      if (synchronous) {
        handler.onResult(new SendResult((jakarta.websocket.Session) null));
      } else {
        pending.add(handler);
      }
    }

    @Override
    public long getSendTimeout() {
      return 0;
    }

    @Override
    public void setSendTimeout(long timeoutmillis) {}

    @Override
    public Future<Void> sendText(String text) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> sendBinary(ByteBuffer data) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void sendBinary(ByteBuffer data, SendHandler handler) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> sendObject(Object data) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void sendObject(Object data, SendHandler handler) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void setBatchingAllowed(boolean allowed) {}

    @Override
    public boolean getBatchingAllowed() {
      return false;
    }

    @Override
    public void flushBatch() {}

    @Override
    public void sendPing(ByteBuffer applicationData) {}

    @Override
    public void sendPong(ByteBuffer applicationData) {}
  }
}
