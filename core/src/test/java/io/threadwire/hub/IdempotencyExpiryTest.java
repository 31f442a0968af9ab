package io.threadwire.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.Message;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.Status;
import io.threadwire.ThreadId;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An idle thread outlives its TTL while it still remembers idempotency keys of the window. */
class IdempotencyExpiryTest {

  private static final ThreadId ROOM = ThreadId.of("room");

  private final ThreadHubTest.ManualTime clock = new ThreadHubTest.ManualTime();
  private final ThreadHub hub =
      ThreadHub.builder((t, e, o, m) -> o + "/" + m.payload())
          .settings(
              HubSettings.defaults()
                  .withIdleThreadTtl(Duration.ofMinutes(1))
                  .withIdempotency(Duration.ofMinutes(5), 100))
          .clock(clock)
          .build();

  @AfterEach
  void close() {
    hub.close();
  }

  private SendOutcome send(Message m) {
    return hub.send(ROOM, m).toCompletableFuture().join();
  }

  private static Message keyed() {
    return Message.builder("x").id("m-1").idempotencyKey("k-1").build();
  }

  @Test
  void aRetryWithinTheWindowIsADuplicateEvenAfterTheIdleTtl() {
    hub.start();
    assertThat(send(keyed()).status()).isEqualTo(Status.QUEUED);

    clock.advance(Duration.ofMinutes(2)); // past the TTL, within the window
    hub.runMaintenance();

    assertThat(hub.stats().threads()).isEqualTo(1);
    assertThat(hub.stats().idempotencyKeys()).isEqualTo(1);
    SendOutcome retry = send(keyed());
    assertThat(retry.isDuplicate()).isTrue();
    assertThat(retry.offset()).hasValue(1);
    assertThat(hub.stats().historyMessages()).isEqualTo(1);
  }

  @Test
  void theThreadExpiresOnceItsKeysHaveLeftTheWindow() {
    hub.start();
    send(keyed());

    clock.advance(Duration.ofMinutes(5));
    hub.runMaintenance();

    assertThat(hub.stats().threads()).isZero();
    assertThat(hub.stats().idempotencyKeys()).isZero();
    assertThat(hub.stats().historyMessages()).isZero();
  }

  @Test
  void aThreadWithoutKeysStillExpiresAfterTheTtl() {
    hub.start();
    send(Message.of("x"));

    clock.advance(Duration.ofMinutes(1));
    hub.runMaintenance();

    assertThat(hub.stats().threads()).isZero();
  }
}
