package io.threadwire.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.SendOutcome.Status;
import io.threadwire.ThreadId;
import io.threadwire.spi.AppendResult;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.LogListener;
import io.threadwire.spi.LogPolicy;
import io.threadwire.spi.LogReplay;
import io.threadwire.spi.LogSubscription;
import io.threadwire.spi.Since;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A thread log that fails, hangs or lies: the send is ERROR with a kind of its own and the cause,
 * never INTERNAL, and a message the log never confirmed is never DELIVERED or QUEUED.
 */
class LogFailureTest {

  private static final ThreadId ROOM = ThreadId.of("room");

  private final ThreadHubTest.ManualTime clock = new ThreadHubTest.ManualTime();
  private final AtomicInteger failSubscribes = new AtomicInteger();
  private volatile boolean failReplay;
  private volatile boolean lieAppended;
  private final StubThreadLog log =
      new StubThreadLog(clock) {
        @Override
        public CompletionStage<AppendResult> append(
            ThreadId thread, LogPolicy policy, Message message, long token) {
          if (lieAppended) {
            // Answers stored at 7 but never delivers the entry.
            return CompletableFuture.completedFuture(AppendResult.appended(1, 7));
          }
          return super.append(thread, policy, message, token);
        }

        @Override
        public CompletionStage<LogSubscription> subscribe(
            ThreadId thread, LogPolicy policy, LogListener listener) {
          if (failSubscribes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(new IllegalStateException("no subscription"));
          }
          return super.subscribe(thread, policy, listener);
        }

        @Override
        public CompletionStage<LogReplay> replay(ThreadId thread, LogPolicy policy, Since since) {
          return failReplay
              ? CompletableFuture.failedFuture(new IllegalStateException("no replay"))
              : super.replay(thread, policy, since);
        }
      };
  private final ThreadHub hub =
      ThreadHub.builder((t, e, o, m) -> o + "/" + m.payload())
          .settings(HubSettings.defaults().withSendTimeout(Duration.ofSeconds(5)))
          .clock(clock)
          .threadLog(log)
          .build();
  private final TestConnection member = new TestConnection("a", "u");

  @AfterEach
  void close() {
    hub.close();
  }

  private void joined() {
    hub.start();
    hub.register(member);
    hub.join(member.id(), ROOM, Since.none());
  }

  private SendOutcome send(Message m) {
    return hub.send(ROOM, m).toCompletableFuture().join();
  }

  @Test
  void aFailedAppendIsALogFailedErrorWithItsCause() {
    joined();
    IllegalStateException down = new IllegalStateException("log down");
    log.instead = () -> CompletableFuture.failedFuture(down);

    SendOutcome o = send(Message.of("x"));

    assertThat(o.errorKind()).contains(ErrorKind.LOG_FAILED);
    assertThat(o.cause()).containsSame(down);
    assertThat(o.reason()).contains("log down").contains("may or may not be stored");
    assertThat(o.offset()).isEmpty();
  }

  @Test
  void aLogThatThrowsIsALogFailedErrorNotInternal() {
    joined();
    log.instead =
        () -> {
          throw new IllegalStateException("broken log");
        };

    SendOutcome o = send(Message.of("x"));

    assertThat(o.errorKind()).contains(ErrorKind.LOG_FAILED);
    assertThat(o.cause().orElseThrow()).hasMessage("broken log");
  }

  @Test
  void aLogThatNeverAnswersIsALogTimeoutAtTheDeadline() {
    joined();
    log.instead = CompletableFuture::new;
    CompletableFuture<SendOutcome> f = hub.send(ROOM, Message.of("x")).toCompletableFuture();
    assertThat(f).isNotDone();

    clock.advance(Duration.ofSeconds(6));
    hub.runMaintenance();

    SendOutcome o = f.join();
    assertThat(o.errorKind()).contains(ErrorKind.LOG_TIMEOUT);
    assertThat(o.cause().orElseThrow()).isInstanceOf(java.util.concurrent.TimeoutException.class);
    assertThat(o.status()).isEqualTo(Status.ERROR);
    assertThat(member.frames).isEmpty();
  }

  @Test
  void aConfirmedAppendThatNeverArrivesIsQueuedAtItsOffset() {
    joined();
    lieAppended = true;
    CompletableFuture<SendOutcome> f = hub.send(ROOM, Message.of("x")).toCompletableFuture();

    clock.advance(Duration.ofSeconds(6));
    hub.runMaintenance();

    SendOutcome o = f.join();
    assertThat(o.status()).isEqualTo(Status.QUEUED);
    assertThat(o.offset()).hasValue(7);
    assertThat(member.frames).isEmpty();
  }

  @Test
  void aFailedSubscriptionFailsTheSendAndTheNextSendSubscribesAgain() {
    hub.start();
    failSubscribes.set(1);

    SendOutcome first = send(Message.of("x"));
    assertThat(first.errorKind()).as("%s", first).contains(ErrorKind.LOG_FAILED);
    assertThat(hub.stats().threads()).isZero(); // the failed state was dropped
    assertThat(send(Message.of("y")).status()).isEqualTo(Status.QUEUED);
    assertThat(failSubscribes.get()).isZero();
    assertThat(log.subscribed.get()).isEqualTo(1); // the second, successful subscription
  }

  @Test
  void aRetryAfterALogFailureIsANewSend() {
    joined();
    log.instead = () -> CompletableFuture.failedFuture(new IllegalStateException("blip"));
    Message m = Message.builder("x").idempotencyKey("k").build();
    assertThat(send(m).errorKind()).contains(ErrorKind.LOG_FAILED);

    log.instead = null;
    SendOutcome retry = send(m);

    assertThat(retry.isDuplicate()).isFalse();
    assertThat(retry.status()).isEqualTo(Status.DELIVERED);
    assertThat(member.offsets()).containsExactly(1L);
  }

  @Test
  void aFailedTransientPublishIsALogFailedError() {
    joined();
    SendOutcome ok =
        hub.send(ROOM, Message.of("t"), SendOptions.transientSend()).toCompletableFuture().join();
    assertThat(ok.status()).isEqualTo(Status.DELIVERED);
    log.delegate.close();

    SendOutcome o =
        hub.send(ROOM, Message.of("t"), SendOptions.transientSend()).toCompletableFuture().join();

    assertThat(o.errorKind()).contains(ErrorKind.LOG_FAILED);
  }

  @Test
  void aJoinWhoseReplayFailsJoinsAndSaysItDidNotRecover() {
    hub.start();
    send(Message.of("x"));
    hub.register(member);
    failReplay = true;

    JoinResult r = hub.join(member.id(), ROOM, Since.offset(0));

    assertThat(r.status()).isEqualTo(JoinResult.Status.JOINED);
    assertThat(r.recovered()).isFalse();
    assertThat(r.missed()).isGreaterThanOrEqualTo(1);
    failReplay = false;
    assertThat(send(Message.of("y")).deliveredCount()).isEqualTo(1);
  }
}
