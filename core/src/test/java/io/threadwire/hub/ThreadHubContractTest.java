package io.threadwire.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.ConnectionId;
import io.threadwire.HistoryPolicy;
import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.Since;
import io.threadwire.spi.TransportConnection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Edge cases of the hub's contract with transports and callers, each once a real defect. */
class ThreadHubContractTest {

  private static final ThreadId ROOM = ThreadId.of("room");
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private ThreadHub hub = ThreadHub.builder((t, e, o, m) -> m.payload()).clock(clock).build();

  @AfterEach
  void close() {
    hub.close();
  }

  private static SendOutcome get(CompletionStage<SendOutcome> s) {
    return s.toCompletableFuture().join();
  }

  @Test
  void aCallbackThatSendsAgainCannotInterleaveIntoAFanOutInProgress() {
    hub.start();
    // x holds its first write and fails it when the next frame arrives, as a transport dropping
    // an old frame on overflow would: that completes send A inside send B's fan-out.
    TransportConnection x =
        new TransportConnection() {
          DeliveryCallback held;

          @Override
          public ConnectionId id() {
            return ConnectionId.of("x");
          }

          @Override
          public UserId user() {
            return UserId.of("x");
          }

          @Override
          public void send(Frame frame, DeliveryCallback callback) {
            if (held == null && frame.offset() == 1) {
              held = callback;
              return;
            }
            if (held != null) {
              DeliveryCallback h = held;
              held = null;
              h.failed(this, new IllegalStateException("dropped"));
            }
            callback.delivered(this);
          }
        };
    TestConnection y = new TestConnection("y", "y");
    hub.register(x);
    hub.register(y);
    hub.join(x.id(), ROOM, Since.none());
    hub.join(y.id(), ROOM, Since.none());
    List<CompletableFuture<SendOutcome>> third = new ArrayList<>();
    hub.send(ROOM, Message.of("A"))
        .thenRun(() -> third.add(hub.send(ROOM, Message.of("C")).toCompletableFuture()));
    get(hub.send(ROOM, Message.of("B")));
    assertThat(third).hasSize(1);
    assertThat(third.get(0).join().isAccepted()).isTrue();
    assertThat(y.offsets()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aTransportCallingTheHubFromSendIsRefusedInsteadOfDeadlocking() {
    hub.start();
    TransportConnection reentrant =
        new TransportConnection() {
          @Override
          public ConnectionId id() {
            return ConnectionId.of("r");
          }

          @Override
          public UserId user() {
            return UserId.of("r");
          }

          @Override
          public void send(Frame frame, DeliveryCallback callback) {
            hub.unregister(id()); // forbidden by the SPI
            callback.delivered(this);
          }
        };
    hub.register(reentrant);
    hub.join(reentrant.id(), ROOM, Since.none());
    SendOutcome o = get(hub.send(ROOM, Message.of("x")));
    assertThat(o.status()).isEqualTo(SendOutcome.Status.QUEUED);
    assertThat(o.failedConnections()).containsExactly(reentrant.id());
  }

  @Test
  void cancellingTheReturnedStageDoesNotPoisonAnIdempotentRetry() {
    hub.start();
    TestConnection c = new TestConnection("c", "u");
    c.hold = true;
    hub.register(c);
    hub.join(c.id(), ROOM, Since.none());
    Message m = Message.builder("x").idempotencyKey("k").build();
    hub.send(ROOM, m).toCompletableFuture().cancel(true);
    c.held.forEach(cb -> cb.delivered(c));
    SendOutcome retry = get(hub.send(ROOM, m));
    assertThat(retry.isDuplicate()).isTrue();
    // The retry delivered nothing now: QUEUED at the original's offset (issue 12).
    assertThat(retry.status()).isEqualTo(SendOutcome.Status.QUEUED);
    assertThat(retry.deliveredCount()).isZero();
    assertThat(retry.offset()).hasValue(1);
  }

  @Test
  void aRetryAfterAnErrorIsANewSend() {
    HistoryPolicy reject =
        HistoryPolicy.defaults().withMaxMessages(1).withOverflow(HistoryPolicy.Overflow.REJECT);
    hub =
        ThreadHub.builder((t, e, o, m) -> m.payload())
            .settings(HubSettings.defaults().withHistoryPolicy(reject))
            .clock(clock)
            .build();
    hub.start();
    get(hub.send(ROOM, Message.of("fills history")));
    Message m = Message.builder("x").idempotencyKey("k").build();
    assertThat(get(hub.send(ROOM, m)).errorKind()).contains(ErrorKind.HISTORY_FULL);
    SendOutcome retry = get(hub.send(ROOM, m));
    assertThat(retry.isDuplicate()).isFalse();
    assertThat(retry.errorKind()).contains(ErrorKind.HISTORY_FULL);
  }

  @Test
  void anEncoderReturningNullSendsNothingAndSaysWhereTheLogKeptIt() {
    hub = ThreadHub.builder((t, e, o, m) -> null).clock(clock).build();
    hub.start();
    TestConnection c = new TestConnection("c", "u");
    hub.register(c);
    hub.join(c.id(), ROOM, Since.none());
    SendOutcome o = get(hub.send(ROOM, Message.of("x")));
    assertThat(o.errorKind()).contains(ErrorKind.ENCODING_FAILED);
    // The log assigns the offset before the frame is encoded: the message is kept, and said so.
    assertThat(o.offset()).hasValue(1);
    assertThat(c.frames).isEmpty();
  }

  @Test
  void aReplayedMessageThatCannotBeEncodedIsReportedMissed() {
    hub =
        ThreadHub.builder(
                (t, e, o, m) -> {
                  if (m.payload().equals("bad") && o > 0 && hubHasMembers()) {
                    throw new IllegalArgumentException("bad");
                  }
                  return m.payload();
                })
            .clock(clock)
            .build();
    hub.start();
    get(hub.send(ROOM, Message.of("ok")));
    get(hub.send(ROOM, Message.of("bad")));
    TestConnection c = new TestConnection("c", "u");
    hub.register(c);
    replaying = true;
    JoinResult r = hub.join(c.id(), ROOM, Since.offset(0));
    assertThat(r.recovered()).isFalse();
    assertThat(r.missed()).isEqualTo(1);
    assertThat(c.offsets()).containsExactly(1L);
  }

  private boolean replaying;

  private boolean hubHasMembers() {
    return replaying;
  }

  @Test
  void aMessageTooLargeForHistoryIsInvalidUnderEveryPolicy() {
    hub =
        ThreadHub.builder((t, e, o, m) -> m.payload())
            .settings(
                HubSettings.defaults().withHistoryPolicy(HistoryPolicy.defaults().withMaxBytes(10)))
            .clock(clock)
            .build();
    hub.start();
    SendOutcome o = get(hub.send(ROOM, Message.builder("x".repeat(50)).id("m").build()));
    assertThat(o.errorKind()).contains(ErrorKind.INVALID_MESSAGE);
    assertThat(o.reason()).contains("history bound");
  }

  @Test
  void sendsAfterCloseCreateNoState() {
    hub.start();
    hub.close();
    assertThat(get(hub.send(ROOM, Message.of("x"))).errorKind()).contains(ErrorKind.CLOSED);
    assertThat(hub.stats().threads()).isZero();
  }

  @Test
  void twoLogsOnOneClockNeverShareAnEpoch() {
    InMemoryThreadLog a = InMemoryThreadLog.create(clock);
    InMemoryThreadLog b = InMemoryThreadLog.create(clock);
    io.threadwire.spi.LogPolicy p =
        new io.threadwire.spi.LogPolicy(
            HistoryPolicy.defaults(), java.time.Duration.ofMinutes(1), 10);
    long ea = a.replay(ROOM, p, Since.none()).toCompletableFuture().join().position().epoch();
    long eb = b.replay(ROOM, p, Since.none()).toCompletableFuture().join().position().epoch();
    assertThat(ea).isNotEqualTo(eb);
    assertThat(ea).isLessThan(1L << 53);
  }

  @Test
  void sendAndWaitIsBoundedEvenIfNothingAnswers() {
    hub.start();
    TestConnection c = new TestConnection("c", "u");
    c.hold = true;
    hub.register(c);
    hub.join(c.id(), ROOM, Since.none());
    SendOutcome o =
        hub.sendAndWait(
            ROOM,
            Message.of("x"),
            SendOptions.defaults().withTimeout(java.time.Duration.ofMillis(1)));
    // The fixed clock never passes the deadline, so only sendAndWait's own bound ends the wait.
    assertThat(o.errorKind()).contains(ErrorKind.TIMEOUT);
  }
}
