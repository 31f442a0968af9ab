package io.threadwire.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.Message;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.ThreadId;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.Since;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A join or send that passed the running check and is creating a thread's state when {@link
 * ThreadHub#close()} runs. The log's {@code subscribe} holds it there, so the interleaving is
 * forced, not hoped for.
 */
class CloseRaceTest {

  private static final ThreadId ROOM = ThreadId.of("room");

  private final StubThreadLog store = new StubThreadLog(java.time.Clock.systemUTC());
  private final ThreadHub hub =
      ThreadHub.builder((t, e, o, m) -> o + "/" + m.payload()).threadLog(store).build();
  private final CountDownLatch opening = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);

  @AfterEach
  void close() {
    closed.countDown();
    hub.close();
  }

  /**
   * Runs {@code call} on its own thread, closes the hub while it subscribes to the log, returns it.
   */
  private <T> T closingWhileOpening(Supplier<T> call) throws Exception {
    store.onSubscribe =
        () -> {
          opening.countDown();
          try {
            closed.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread racer =
        new Thread(
            () -> {
              try {
                result.complete(call.get());
              } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
              }
            },
            "close-race");
    racer.start();
    assertThat(opening.await(30, TimeUnit.SECONDS)).isTrue();
    hub.close();
    closed.countDown();
    return result.get(30, TimeUnit.SECONDS);
  }

  @Test
  void aJoinRacingCloseIsRefusedAndLeavesNothing() throws Exception {
    hub.start();
    TestConnection c = new TestConnection("a", "u");
    hub.register(c);

    JoinResult r = closingWhileOpening(() -> hub.join(c.id(), ROOM, Since.none()));

    assertThat(r.status()).isEqualTo(JoinResult.Status.NOT_RUNNING);
    assertThat(c.joins).isEmpty();
    assertThat(hub.joinedThreads(c.id())).isEmpty();
    assertThat(hub.connectionCount(ROOM)).isZero();
    assertThat(hub.stats().threads()).isZero();
    assertThat(hub.stats().memberships()).isZero();
    assertThat(store.subscribed.get()).isEqualTo(1);
    assertThat(store.closed.get()).isEqualTo(1);
  }

  @Test
  void aSendRacingCloseIsAClosedErrorAndLeavesNothing() throws Exception {
    hub.start();

    SendOutcome o =
        closingWhileOpening(() -> hub.send(ROOM, Message.of("x")).toCompletableFuture().join());

    assertThat(o.errorKind()).contains(ErrorKind.CLOSED);
    assertThat(hub.stats().threads()).isZero();
    assertThat(hub.stats().historyMessages()).isZero();
    assertThat(store.subscribed.get()).isEqualTo(1);
    assertThat(store.closed.get()).isEqualTo(1);
  }
}
