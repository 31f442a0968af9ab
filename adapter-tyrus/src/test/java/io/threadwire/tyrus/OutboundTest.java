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
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.memory.MemoryManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

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

  /** Counts the three answers apart. */
  private static final class Threeway implements DeliveryCallback {
    final AtomicInteger delivered = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger unconfirmed = new AtomicInteger();

    @Override
    public void delivered(TransportConnection connection) {
      delivered.incrementAndGet();
    }

    @Override
    public void failed(TransportConnection connection, Throwable cause) {
      failed.incrementAndGet();
    }

    @Override
    public void unconfirmed(TransportConnection connection, Throwable cause) {
      unconfirmed.incrementAndGet();
    }
  }

  @Test
  @DisplayName(
      "cut while writing: the frames of the write in flight are unconfirmed, the queued ones failed")
  void cutMidWriteIsUnconfirmed() {
    Remote remote = new Remote(false);
    Outbound out = new Outbound(owner, () -> {}, direct(), 10, Long.MAX_VALUE);
    out.attach(remote);
    Threeway inFlight = new Threeway();
    Threeway queued = new Threeway();
    out.offer(frame(1), inFlight);
    out.offer(frame(2), queued);
    out.offer(frame(3), queued);
    assertThat(remote.texts).hasSize(1); // frame 1 handed to the network
    out.close(new IOException("cut as a slow consumer"));
    remote.complete(null); // answers late: ignored
    assertThat(inFlight.unconfirmed).hasValue(1);
    assertThat(inFlight.failed).hasValue(0);
    assertThat(inFlight.delivered).hasValue(0);
    assertThat(queued.failed).hasValue(2);
    assertThat(queued.unconfirmed).hasValue(0);
  }

  @Test
  @DisplayName("a write that fails after the hand-over: its frames are unconfirmed, not failed")
  void failedWriteIsUnconfirmed() {
    Remote remote = new Remote(false);
    Outbound out = new Outbound(owner, () -> {}, direct(), 10, Long.MAX_VALUE);
    out.attach(remote);
    Threeway first = new Threeway();
    Threeway second = new Threeway();
    out.offer(frame(1), first);
    out.offer(frame(2), second);
    remote.complete(new IOException("reset"));
    out.close(new IOException("closed"));
    assertThat(first.unconfirmed).hasValue(1);
    assertThat(first.failed).hasValue(0);
    assertThat(second.failed).hasValue(1);
  }

  private static Frame frame(int n) {
    Message m = Message.of("{\"n\":" + n + "}");
    return new Frame(ThreadId.of("t"), 1, n, m, ServerFrames.message(ThreadId.of("t"), 1, n, m));
  }

  /** Runs flushes at once, in the offering thread, draining like the server's I/O thread. */
  private static Flusher direct() {
    return new Flusher(Runnable::run);
  }

  @Test
  @DisplayName("synchronous completions are looped, not recursed, and keep order")
  void synchronousCompletions() {
    Remote remote = new Remote(true);
    Outbound out = new Outbound(owner, () -> {}, direct(), 10_000, Long.MAX_VALUE);
    out.attach(remote);
    Answers answers = new Answers();
    for (int i = 1; i <= 5000; i++) {
      out.offer(frame(i), answers);
    }
    assertThat(answers.delivered).hasValue(5000);
    assertThat(remote.texts).hasSize(5000);
    assertThat(remote.texts.get(4999)).contains("\"offset\":5000");
  }

  @Test
  @DisplayName("one write in flight at a time; the rest waits in order")
  void oneInFlight() {
    Remote remote = new Remote(false);
    Outbound out = new Outbound(owner, () -> {}, direct(), 10, Long.MAX_VALUE);
    out.attach(remote);
    Answers answers = new Answers();
    for (int i = 1; i <= 3; i++) {
      out.offer(frame(i), answers);
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
  @DisplayName("the sender never writes and no answer comes in its thread: the flusher writes")
  void senderNeverWrites() {
    Remote remote = new Remote(true);
    List<Runnable> flushes = new ArrayList<>();
    Outbound out = new Outbound(owner, () -> {}, flushes::add, 10, Long.MAX_VALUE);
    out.attach(remote);
    Answers answers = new Answers();
    out.offer(frame(1), answers);
    out.offer(frame(2), answers);
    assertThat(remote.texts).isEmpty();
    assertThat(answers.delivered).hasValue(0);
    assertThat(flushes).hasSize(1); // one hand-over for both frames
    while (!flushes.isEmpty()) {
      flushes.remove(0).run();
    }
    assertThat(remote.texts).hasSize(2);
    assertThat(answers.delivered).hasValue(2);
  }

  @Test
  @DisplayName("over TCP, what queued behind a write in flight goes out in one gathering write")
  void coalescesOverTcp() {
    Tcp tcp = new Tcp();
    Outbound out = new Outbound(owner, () -> {}, direct(), 1_000, Long.MAX_VALUE);
    out.attach(tcp.connection);
    Answers answers = new Answers();
    int total = 2 + Outbound.MAX_BATCH_FRAMES;
    List<Frame> sent = new ArrayList<>();
    for (int i = 1; i <= total; i++) {
      sent.add(frame(i));
      out.offer(sent.get(i - 1), answers);
    }
    assertThat(tcp.writes).hasSize(1); // frame 1, written as soon as it came
    tcp.complete();
    assertThat(tcp.writes).hasSize(2); // then everything that waited, up to the batch bound
    assertThat(tcp.frames(1)).isEqualTo(framed(sent.subList(1, 1 + Outbound.MAX_BATCH_FRAMES)));
    assertThat(answers.delivered).hasValue(1);
    tcp.complete();
    assertThat(answers.delivered).hasValue(1 + Outbound.MAX_BATCH_FRAMES);
    tcp.complete();
    assertThat(tcp.frames(2)).isEqualTo(framed(sent.subList(total - 1, total)));
    assertThat(answers.delivered).hasValue(total);
    assertThat(tcp.writes).hasSize(3);
  }

  @Test
  @DisplayName(
      "over TCP, batches read across the ring's wrap and its growth keep the frames' order")
  void ringWrapsAndGrowsInOrder() {
    Tcp tcp = new Tcp();
    Outbound out = new Outbound(owner, () -> {}, direct(), 1_000, Long.MAX_VALUE);
    out.attach(tcp.connection);
    Answers answers = new Answers();
    List<Frame> sent = new ArrayList<>();
    int ringFrames = Outbound.INITIAL_SLOTS / 2;
    // Frame 1 in flight, then frames 2..ringFrames behind it; the write of frame 1 completes and
    // the batch 2..ringFrames goes out, so the ring's head is past its middle when more come.
    for (int i = 1; i <= ringFrames; i++) {
      sent.add(frame(i));
      out.offer(sent.get(i - 1), answers);
    }
    tcp.complete();
    assertThat(tcp.frames(1)).isEqualTo(framed(sent.subList(1, ringFrames)));
    // These wrap around the end of the ring, and then make it grow with its head not at 0.
    int total = 5 * ringFrames;
    for (int i = ringFrames + 1; i <= total; i++) {
      sent.add(frame(i));
      out.offer(sent.get(i - 1), answers);
    }
    assertThat(out.queuedFrames()).isEqualTo(total - 1);
    tcp.complete();
    assertThat(tcp.frames(2)).isEqualTo(framed(sent.subList(ringFrames, total)));
    tcp.complete();
    assertThat(answers.delivered).hasValue(total);
    assertThat(answers.failed).hasValue(0);
    assertThat(out.queuedFrames()).isZero();
    assertThat(out.queuedBytes()).isZero();
  }

  @Test
  @DisplayName("a close with the ring wrapped answers every frame once: in flight unconfirmed")
  void closeWithRingWrapped() {
    Remote remote = new Remote(false);
    Outbound out = new Outbound(owner, () -> {}, direct(), 100, Long.MAX_VALUE);
    out.attach(remote);
    Threeway first = new Threeway();
    Threeway rest = new Threeway();
    out.offer(frame(1), first);
    out.offer(frame(2), first);
    out.offer(frame(3), first);
    remote.complete(null);
    remote.complete(null); // frame 3 in flight, the ring's head at its fifth slot
    int more = Outbound.INITIAL_SLOTS; // wraps, then grows
    for (int i = 0; i < more; i++) {
      out.offer(frame(4 + i), rest);
    }
    out.close(new IOException("cut"));
    remote.complete(null); // late: ignored
    assertThat(first.delivered).hasValue(2);
    assertThat(first.unconfirmed).hasValue(1);
    assertThat(rest.failed).hasValue(more);
    assertThat(rest.delivered).hasValue(0);
    assertThat(remote.texts).hasSize(3);
  }

  @Test
  @DisplayName("over TCP, a failed gathering write fails every frame in it, once")
  void failedBatchOverTcp() {
    Tcp tcp = new Tcp();
    AtomicInteger broken = new AtomicInteger();
    Outbound out = new Outbound(owner, broken::incrementAndGet, direct(), 100, Long.MAX_VALUE);
    out.attach(tcp.connection);
    List<Answers> all = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      Answers a = new Answers();
      all.add(a);
      out.offer(frame(i), a);
    }
    tcp.complete();
    tcp.fail(new IOException("reset"));
    out.close(new IOException("closed"));
    assertThat(all.get(0).delivered).hasValue(1);
    for (Answers a : all.subList(1, 5)) {
      assertThat(a.failed).hasValue(1);
      assertThat(a.delivered).hasValue(0);
    }
    assertThat(broken).hasValue(1);
  }

  private static byte[] framed(List<Frame> frames) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (Frame f : frames) {
      bytes.writeBytes(WireFrames.text(f.text()));
    }
    return bytes.toByteArray();
  }

  /** A mocked Grizzly connection: records each write's bytes and completes it when told. */
  private static final class Tcp {
    @SuppressWarnings("unchecked")
    final Connection<SocketAddress> connection = Mockito.mock(Connection.class);

    final List<byte[]> writes = new ArrayList<>();
    final List<CompletionHandler<WriteResult<Buffer, SocketAddress>>> pending = new ArrayList<>();

    @SuppressWarnings("unchecked")
    Tcp() {
      Mockito.doReturn(MemoryManager.DEFAULT_MEMORY_MANAGER).when(connection).getMemoryManager();
      Mockito.doAnswer(
              call -> {
                Buffer b = call.getArgument(0);
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                writes.add(bytes);
                pending.add(call.getArgument(1));
                return null;
              })
          .when(connection)
          .write(Mockito.any(Buffer.class), Mockito.any(CompletionHandler.class));
    }

    byte[] frames(int write) {
      return writes.get(write);
    }

    void complete() {
      pending.remove(0).completed(null);
    }

    void fail(Throwable cause) {
      pending.remove(0).failed(cause);
    }
  }

  @Test
  @DisplayName("a full queue refuses the frame and closes; close fails the rest exactly once")
  void fullQueue() {
    Remote remote = new Remote(false);
    Outbound out = new Outbound(owner, () -> {}, direct(), 3, Long.MAX_VALUE, 0);
    out.attach(remote);
    List<Answers> all = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Answers a = new Answers();
      all.add(a);
      assertThat(out.offer(frame(i), a)).isEqualTo(Outbound.Offer.QUEUED);
    }
    Answers refused = new Answers();
    assertThat(out.offer(frame(4), refused)).isEqualTo(Outbound.Offer.FULL);
    assertThat(refused.failed).hasValue(1);
    out.close(new IOException("cut"));
    remote.complete(null); // the write in flight answers late: already failed, ignored
    Answers late = new Answers();
    assertThat(out.offer(frame(5), late)).isEqualTo(Outbound.Offer.CLOSED);
    for (Answers a : all) {
      assertThat(a.delivered.get() + a.failed.get()).isEqualTo(1);
    }
    assertThat(late.failed).hasValue(1);
  }

  @Test
  @DisplayName("past its bounds the queue still takes frames while its own flusher is behind")
  void flusherBehindIsNotASlowClient() {
    List<Runnable> flushes = new ArrayList<>();
    Outbound out = new Outbound(owner, () -> {}, flushes::add, 3, Long.MAX_VALUE, 0);
    out.attach(new Remote(true));
    Answers answers = new Answers();
    for (int i = 1; i <= 3 * Outbound.HARD_LIMIT_FACTOR; i++) {
      assertThat(out.offer(frame(i), answers)).isEqualTo(Outbound.Offer.QUEUED);
    }
    Answers refused = new Answers();
    assertThat(out.offer(frame(99), refused)).isEqualTo(Outbound.Offer.FULL); // the hard limit
    assertThat(refused.failed).hasValue(1);
  }

  @Test
  @DisplayName("a failed write fails its frame, reports the connection broken and stops writing")
  void failedWrite() {
    Remote remote = new Remote(false);
    AtomicInteger broken = new AtomicInteger();
    Outbound out = new Outbound(owner, broken::incrementAndGet, direct(), 10, Long.MAX_VALUE);
    out.attach(remote);
    Answers first = new Answers();
    Answers second = new Answers();
    out.offer(frame(1), first);
    out.offer(frame(2), second);
    remote.complete(new IOException("reset"));
    assertThat(first.failed).hasValue(1);
    assertThat(broken).hasValue(1);
    assertThat(remote.texts).hasSize(1);
    out.close(new IOException("closed"));
    assertThat(second.failed).hasValue(1);
  }

  @Test
  @DisplayName("the byte bound counts framed bytes; a write in flight is stalled past its timeout")
  void byteBoundAndStall() {
    Remote remote = new Remote(false);
    Frame f = frame(1);
    Outbound out = new Outbound(owner, () -> {}, direct(), 100, WireFrames.of(f).length * 2L, 0);
    out.attach(remote);
    assertThat(out.offer(f, new Answers())).isEqualTo(Outbound.Offer.QUEUED);
    assertThat(out.offer(f, new Answers())).isEqualTo(Outbound.Offer.QUEUED);
    assertThat(out.offer(f, new Answers())).isEqualTo(Outbound.Offer.FULL);
    assertThat(out.isStalled(System.nanoTime() + 10, 1)).isFalse(); // closed: nothing in flight
    Outbound other = new Outbound(owner, () -> {}, direct(), 100, Long.MAX_VALUE);
    other.attach(new Remote(false));
    other.offer(f, new Answers());
    assertThat(other.isStalled(System.nanoTime() + 1_000_000_000L, 1_000)).isTrue();
  }

  @Test
  @DisplayName("the global budget counts a frame shared by three queues once, and exactly")
  void budgetCountsSharedFramesOnce() {
    AtomicInteger overs = new AtomicInteger();
    OutboundBudget budget = new OutboundBudget(1 << 20, overs::incrementAndGet);
    List<Remote> remotes = new ArrayList<>();
    List<Outbound> queues = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Remote r = new Remote(false);
      Outbound q = new Outbound(owner, () -> {}, direct(), 100, Long.MAX_VALUE, 0, budget);
      q.attach(r);
      remotes.add(r);
      queues.add(q);
    }
    Frame shared = frame(1);
    int length = WireFrames.of(shared).length;
    for (Outbound q : queues) {
      q.offer(shared, new Answers());
    }
    assertThat(budget.used()).as("one frame, three holders").isEqualTo(length);
    assertThat(queues.get(0).queuedBytes()).as("each queue counts what it holds").isEqualTo(length);
    remotes.get(0).complete(null);
    remotes.get(1).complete(null);
    assertThat(budget.used()).as("still held by the third queue").isEqualTo(length);
    queues.get(2).close(new IOException("closed"));
    assertThat(budget.used()).as("released by its last holder").isZero();
    queues.get(0).offerControl("{\"type\":\"pong\"}");
    assertThat(budget.used()).isEqualTo(WireFrames.text("{\"type\":\"pong\"}").length);
    remotes.get(0).complete(null);
    assertThat(budget.used()).isZero();
    assertThat(overs).hasValue(0);
  }

  @Test
  @DisplayName("past the budget, a queue whose write is stuck is refused; a fresh one is not")
  void overBudgetRefusesStuckQueues() {
    AtomicInteger overs = new AtomicInteger();
    Frame f = frame(1);
    OutboundBudget budget =
        new OutboundBudget(WireFrames.of(f).length + 1L, overs::incrementAndGet);
    Outbound stuck = new Outbound(owner, () -> {}, direct(), 100, Long.MAX_VALUE, 0, budget);
    stuck.attach(new Remote(false)); // never completes: its write stays in flight
    assertThat(stuck.offer(f, new Answers())).isEqualTo(Outbound.Offer.QUEUED);
    assertThat(stuck.offer(frame(2), new Answers())).isEqualTo(Outbound.Offer.QUEUED);
    assertThat(overs).as("the second frame took the total past the budget").hasValue(1);
    Answers refused = new Answers();
    assertThat(stuck.offer(frame(3), refused)).isEqualTo(Outbound.Offer.OVER_BUDGET);
    assertThat(refused.failed).hasValue(1);
    assertThat(budget.used())
        .as("a refused frame is not counted")
        .isEqualTo(2L * WireFrames.of(f).length);
    Outbound fresh = new Outbound(owner, () -> {}, direct(), 100, Long.MAX_VALUE, 0, budget);
    fresh.attach(new Remote(true));
    assertThat(fresh.offer(frame(4), new Answers()))
        .as("nothing in flight: this client keeps up")
        .isEqualTo(Outbound.Offer.QUEUED);
    stuck.close(new IOException("cut"));
    assertThat(budget.used()).isZero();
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
