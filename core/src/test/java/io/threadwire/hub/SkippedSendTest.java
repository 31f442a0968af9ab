package io.threadwire.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.Message;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.Status;
import io.threadwire.ThreadId;
import io.threadwire.spi.AppendResult;
import io.threadwire.spi.LogGap;
import io.threadwire.spi.LogListener;
import io.threadwire.spi.LogPolicy;
import io.threadwire.spi.LogSubscription;
import io.threadwire.spi.Since;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stored send whose entry the log skipped (a gap moved the thread past its offset) ends when the
 * gap is decided, whether the log's answer came before the gap or after it: QUEUED at its offset,
 * the local members unconfirmed. The clock stands still, so no deadline can end it instead.
 */
class SkippedSendTest {

  private static final ThreadId ROOM = ThreadId.of("room");

  private final ThreadHubTest.ManualTime clock = new ThreadHubTest.ManualTime();
  private volatile LogListener sequencer;
  private final StubThreadLog log =
      new StubThreadLog(clock) {
        @Override
        public CompletionStage<LogSubscription> subscribe(
            ThreadId thread, LogPolicy policy, LogListener listener) {
          sequencer = listener;
          return super.subscribe(thread, policy, listener);
        }
      };
  private final ThreadHub hub =
      ThreadHub.builder((t, e, o, m) -> o + "/" + m.payload())
          .settings(
              HubSettings.defaults()
                  .withSendTimeout(Duration.ofHours(1))
                  .withOutcomeDeadline(Duration.ofHours(1)))
          .clock(clock)
          .threadLog(log)
          .build();
  private final TestConnection a = new TestConnection("a", "u");
  private final TestConnection b = new TestConnection("b", "v");
  private long epoch;

  @BeforeEach
  void joined() {
    hub.start();
    hub.register(a);
    hub.register(b);
    hub.join(a.id(), ROOM, Since.none());
    hub.join(b.id(), ROOM, Since.none());
    SendOutcome first = hub.send(ROOM, Message.of("1")).toCompletableFuture().join();
    assertThat(first.status()).isEqualTo(Status.DELIVERED);
    epoch = a.joins.get(0).epoch();
  }

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void answeredThenSkipped() {
    CompletableFuture<AppendResult> answer = new CompletableFuture<>();
    log.instead = () -> answer;
    CompletableFuture<SendOutcome> f = hub.send(ROOM, Message.of("2")).toCompletableFuture();
    answer.complete(AppendResult.appended(epoch, 2));
    assertThat(f).isNotDone();

    sequencer.gap(new LogGap(ROOM, epoch, 2, "lost"));

    assertSkipped(f);
  }

  @Test
  void skippedThenAnswered() {
    CompletableFuture<AppendResult> answer = new CompletableFuture<>();
    log.instead = () -> answer;
    CompletableFuture<SendOutcome> f = hub.send(ROOM, Message.of("2")).toCompletableFuture();
    sequencer.gap(new LogGap(ROOM, epoch, 2, "lost"));
    assertThat(f).isNotDone();

    answer.complete(AppendResult.appended(epoch, 2));

    assertSkipped(f);
  }

  @Test
  void aSendBeyondTheGapWaitsForItsEntry() {
    CompletableFuture<AppendResult> answer = new CompletableFuture<>();
    log.instead = () -> answer;
    CompletableFuture<SendOutcome> f = hub.send(ROOM, Message.of("3")).toCompletableFuture();
    sequencer.gap(new LogGap(ROOM, epoch, 2, "lost"));
    answer.complete(AppendResult.appended(epoch, 3));

    assertThat(f).isNotDone();
  }

  private void assertSkipped(CompletableFuture<SendOutcome> f) {
    assertThat(f).isDone();
    SendOutcome o = f.join();
    assertThat(o.status()).isEqualTo(Status.QUEUED);
    assertThat(o.offset()).hasValue(2);
    assertThat(o.deliveredCount()).isZero();
    assertThat(o.failedCount()).isZero();
    assertThat(o.unconfirmedCount()).isEqualTo(2);
    assertThat(a.offsets()).containsExactly(1L);
  }
}
