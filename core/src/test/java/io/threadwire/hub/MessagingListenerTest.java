package io.threadwire.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.ConnectionId;
import io.threadwire.HistoryPolicy;
import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.Status;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.spi.AppendResult;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.DeliveryReport;
import io.threadwire.spi.Frame;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.LogPolicy;
import io.threadwire.spi.MessagingListener;
import io.threadwire.spi.Since;
import io.threadwire.spi.ThreadLog;
import io.threadwire.spi.TransportConnection;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The hub tells its MessagingListener every send's outcome and every join, once")
class MessagingListenerTest {

  private static final ThreadId ROOM = ThreadId.of("room");
  private final Recording events = new Recording();
  private final ThreadHub hub =
      ThreadHub.builder((t, e, o, m) -> m.payload()).listener(events).build();

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  @DisplayName("a send that completes in the call is reported before send returns")
  void synchronousSend() {
    hub.start();
    hub.register(new Answering(ConnectionId.of("a")));
    hub.join(ConnectionId.of("a"), ROOM, Since.none());
    CompletableFuture<SendOutcome> f =
        hub.send(ROOM, Message.of("x"), SendOptions.defaults()).toCompletableFuture();
    assertThat(f).isDone();
    assertThat(events.outcomes).hasSize(1);
    assertThat(events.outcomes.get(0).status()).isEqualTo(Status.DELIVERED);
    assertThat(events.latencies.get(0)).isNotNegative();
  }

  @Test
  @DisplayName("a send waiting for its writes is reported when the last write answers")
  void asynchronousSend() {
    hub.start();
    Later later = new Later(ConnectionId.of("b"));
    hub.register(later);
    hub.join(later.id(), ROOM, Since.none());
    CompletableFuture<SendOutcome> f =
        hub.send(ROOM, Message.of("x"), SendOptions.defaults()).toCompletableFuture();
    assertThat(f).isNotDone();
    assertThat(events.outcomes).isEmpty();
    assertThat(f.getNumberOfDependents())
        .as("the listener adds no completion stage to the caller's future")
        .isZero();
    later.answer();
    assertThat(f).isDone();
    assertThat(events.outcomes)
        .singleElement()
        .satisfies(o -> assertThat(o.deliveredCount()).isOne());
  }

  @Test
  @DisplayName("refusals, no-recipient and duplicate sends are reported too, each once")
  void everyOutcome() {
    hub.send(ROOM, Message.of("early"), SendOptions.defaults()); // not started
    hub.start();
    hub.send(ThreadId.of("empty"), Message.of("x"), SendOptions.transientSend());
    Message keyed = Message.builder("k").idempotencyKey("key-1").build();
    hub.send(ROOM, keyed, SendOptions.defaults());
    hub.send(ROOM, keyed, SendOptions.defaults());
    assertThat(events.outcomes)
        .extracting(SendOutcome::status)
        .containsExactly(Status.ERROR, Status.NO_RECIPIENTS, Status.QUEUED, Status.QUEUED);
    assertThat(events.outcomes.get(3).isDuplicate()).isTrue();
  }

  @Test
  @DisplayName("a listener that samples latency gets -1 for the sends the hub did not time")
  void untimedSends() {
    List<Long> latencies = new CopyOnWriteArrayList<>();
    ThreadHub h =
        ThreadHub.builder((t, e, o, m) -> m.payload())
            .listener(
                new MessagingListener() {
                  @Override
                  public void sendCompleted(SendOutcome outcome, long latencyNanos) {
                    latencies.add(latencyNanos);
                  }

                  @Override
                  public int latencySampleInterval() {
                    return 1 << 30; // one send in a billion: none of these 100
                  }
                })
            .build();
    h.start();
    try {
      for (int i = 0; i < 100; i++) {
        h.send(ROOM, Message.of("x"), SendOptions.transientSend());
      }
    } finally {
      h.close();
    }
    assertThat(latencies).hasSize(100).containsOnly(-1L);
  }

  @Test
  @DisplayName(
      "a send that reached the log is recorded through the recorder its completing thread asked"
          + " for, once per thread; one that ended early through sendCompleted")
  void perThreadRecorder() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    List<String> recorded = new CopyOnWriteArrayList<>();
    List<SendOutcome> direct = new CopyOnWriteArrayList<>();
    ThreadHub h =
        ThreadHub.builder((t, e, o, m) -> m.payload())
            .listener(
                new MessagingListener() {
                  @Override
                  public void sendCompleted(SendOutcome outcome, long latencyNanos) {
                    direct.add(outcome);
                  }

                  @Override
                  public SendRecorder sendRecorder() {
                    String asker = Thread.currentThread().getName();
                    asked.add(asker);
                    return (outcome, latencyNanos) -> {
                      assertThat(Thread.currentThread().getName()).isEqualTo(asker);
                      recorded.add(asker + ":" + outcome.status());
                    };
                  }
                })
            .build();
    h.start();
    try {
      h.register(new Answering(ConnectionId.of("a")));
      h.join(ConnectionId.of("a"), ROOM, Since.none());
      String me = Thread.currentThread().getName();
      for (int i = 0; i < 3; i++) {
        h.send(ROOM, Message.of("x"), SendOptions.defaults());
      }
      Thread other =
          new Thread(() -> h.send(ROOM, Message.of("y"), SendOptions.defaults()), "other-sender");
      other.start();
      other.join();
      h.send(ThreadId.of("nobody"), Message.of("z"), SendOptions.transientSend());
      assertThat(asked).containsExactly(me, "other-sender");
      assertThat(recorded)
          .containsExactly(
              me + ":DELIVERED", me + ":DELIVERED", me + ":DELIVERED", "other-sender:DELIVERED");
      assertThat(direct).extracting(SendOutcome::status).containsExactly(Status.NO_RECIPIENTS);
    } finally {
      h.close();
    }
  }

  @Test
  @DisplayName("a listener whose sendRecorder throws is reported to through sendCompleted")
  void throwingRecorderLookup() {
    List<SendOutcome> direct = new CopyOnWriteArrayList<>();
    ThreadHub h =
        ThreadHub.builder((t, e, o, m) -> m.payload())
            .listener(
                new MessagingListener() {
                  @Override
                  public void sendCompleted(SendOutcome outcome, long latencyNanos) {
                    direct.add(outcome);
                  }

                  @Override
                  public SendRecorder sendRecorder() {
                    throw new IllegalStateException("broken listener");
                  }
                })
            .build();
    h.start();
    try {
      h.register(new Answering(ConnectionId.of("a")));
      h.join(ConnectionId.of("a"), ROOM, Since.none());
      assertThat(h.sendAndWait(ROOM, Message.of("x"), SendOptions.defaults()).deliveredCount())
          .isOne();
      assertThat(direct).extracting(SendOutcome::status).containsExactly(Status.DELIVERED);
    } finally {
      h.close();
    }
  }

  @Test
  @DisplayName("every join answer is reported, refusals included")
  void joins() {
    hub.start();
    hub.register(new Answering(ConnectionId.of("a")));
    hub.send(ROOM, Message.of("one"), SendOptions.defaults());
    hub.join(ConnectionId.of("a"), ROOM, Since.offset(0));
    hub.join(ConnectionId.of("a"), ROOM, Since.none());
    hub.close();
    hub.join(ConnectionId.of("a"), ThreadId.of("other"), Since.none());
    assertThat(events.joins)
        .extracting(JoinResult::status)
        .containsExactly(
            JoinResult.Status.JOINED,
            JoinResult.Status.ALREADY_JOINED,
            JoinResult.Status.NOT_RUNNING);
    assertThat(events.joins.get(0).replayed()).isOne();
  }

  @Test
  @DisplayName("a listener that throws breaks neither the send nor the join")
  void throwingListener() {
    ThreadHub h =
        ThreadHub.builder((t, e, o, m) -> m.payload())
            .listener(
                new MessagingListener() {
                  @Override
                  public void sendCompleted(SendOutcome outcome, long latencyNanos) {
                    throw new IllegalStateException("broken listener");
                  }

                  @Override
                  public void joined(JoinResult result) {
                    throw new IllegalStateException("broken listener");
                  }
                })
            .build();
    h.start();
    try {
      h.register(new Answering(ConnectionId.of("a")));
      assertThat(h.join(ConnectionId.of("a"), ROOM, Since.none()).isMember()).isTrue();
      assertThat(h.sendAndWait(ROOM, Message.of("x"), SendOptions.defaults()).deliveredCount())
          .isOne();
    } finally {
      h.close();
    }
  }

  @Test
  @DisplayName("a listener adds no allocation to an untimed send (a timed one carries its start)")
  void noAllocation() {
    long without = bytesPerSend(MessagingListener.none());
    long with =
        bytesPerSend(
            new MessagingListener() {
              @Override
              public int latencySampleInterval() {
                return 1 << 30;
              }
            });
    assertThat(with - without)
        .as("bytes per send: %d without a listener, %d with one", without, with)
        .isLessThan(8);
  }

  private static long bytesPerSend(MessagingListener listener) {
    ThreadHub h =
        ThreadHub.builder((t, e, o, m) -> m.payload())
            .settings(HubSettings.defaults().withHistoryPolicy(HistoryPolicy.disabled()))
            .listener(listener)
            .build();
    h.start();
    try {
      Answering c = new Answering(ConnectionId.of("c"));
      h.register(c);
      h.join(c.id(), ROOM, Since.none());
      Message message = Message.of("{\"n\":1}");
      int sends = 20_000;
      for (int i = 0; i < sends; i++) {
        h.send(ROOM, message, SendOptions.defaults());
      }
      com.sun.management.ThreadMXBean mx =
          (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long id = Thread.currentThread().getId();
      long before = mx.getThreadAllocatedBytes(id);
      for (int i = 0; i < sends; i++) {
        h.send(ROOM, message, SendOptions.defaults());
      }
      return (mx.getThreadAllocatedBytes(id) - before) / sends;
    } finally {
      h.close();
    }
  }

  @Test
  @DisplayName(
      "over a log that reports deliveries, the listener hears the cluster-wide outcome the caller"
          + " gets, once, not the local one")
  void clusterOutcomeReported() {
    CompletableFuture<DeliveryReport> remote = new CompletableFuture<>();
    ThreadHub h =
        ThreadHub.builder((t, e, o, m) -> m.payload())
            .threadLog(new ReportingLog(InMemoryThreadLog.create(Clock.systemUTC()), remote))
            .listener(events)
            .build();
    try {
      h.start();
      // No member on this node: only the other node's report can deliver it.
      CompletableFuture<SendOutcome> f =
          h.send(ROOM, Message.of("x"), SendOptions.defaults()).toCompletableFuture();
      assertThat(events.outcomes).isEmpty(); // the local part alone is not the send's outcome
      remote.complete(DeliveryReport.of(2, 0, 0));
      SendOutcome caller = f.join();
      assertThat(caller.status()).isEqualTo(Status.DELIVERED);
      assertThat(events.outcomes).containsExactly(caller);
      assertThat(events.outcomes.get(0).deliveredCount()).isEqualTo(2);
    } finally {
      h.close();
    }
  }

  /** The default log, answering as a log of a cluster with one other node that reports. */
  private static final class ReportingLog extends ForwardingLog {
    private final CompletionStage<DeliveryReport> remote;

    ReportingLog(ThreadLog log, CompletionStage<DeliveryReport> remote) {
      super(log);
      this.remote = remote;
    }

    @Override
    public boolean isShared() {
      return true;
    }

    @Override
    public boolean reportsDeliveries() {
      return true;
    }

    @Override
    public CompletionStage<AppendResult> append(
        ThreadId thread, LogPolicy policy, Message message, long token) {
      return log.append(thread, policy, message, token).thenApply(r -> r.withRemote(1, remote));
    }

    @Override
    public CompletionStage<AppendResult> publish(ThreadId thread, Message message, long token) {
      return log.publish(thread, message, token).thenApply(r -> r.withRemote(1, remote));
    }
  }

  /** Records what it hears. */
  private static final class Recording implements MessagingListener {
    final List<SendOutcome> outcomes = new CopyOnWriteArrayList<>();
    final List<Long> latencies = new CopyOnWriteArrayList<>();
    final List<JoinResult> joins = new CopyOnWriteArrayList<>();

    @Override
    public void sendCompleted(SendOutcome outcome, long latencyNanos) {
      outcomes.add(outcome);
      latencies.add(latencyNanos);
    }

    @Override
    public void joined(JoinResult result) {
      joins.add(result);
    }
  }

  /** Acknowledges every write in the call. */
  private record Answering(ConnectionId id) implements TransportConnection {
    @Override
    public UserId user() {
      return UserId.anonymous();
    }

    @Override
    public void send(Frame frame, DeliveryCallback callback) {
      callback.delivered(this);
    }
  }

  /** Acknowledges its one pending write when told to, from the test's thread. */
  private static final class Later implements TransportConnection {
    private final ConnectionId id;
    private volatile DeliveryCallback pending;

    Later(ConnectionId id) {
      this.id = id;
    }

    @Override
    public ConnectionId id() {
      return id;
    }

    @Override
    public UserId user() {
      return UserId.anonymous();
    }

    @Override
    public void send(Frame frame, DeliveryCallback callback) {
      pending = callback;
    }

    void answer() {
      pending.delivered(this);
    }
  }
}
