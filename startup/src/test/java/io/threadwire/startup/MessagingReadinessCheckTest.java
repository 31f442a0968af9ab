package io.threadwire.startup;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.ThreadMessaging;
import io.threadwire.UserId;
import io.threadwire.inmemory.Fault;
import io.threadwire.inmemory.InMemoryClient;
import io.threadwire.inmemory.InMemoryThreadMessaging;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.Since;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("MessagingReadinessCheck")
class MessagingReadinessCheckTest {

  static final ThreadId PROBE = ThreadId.of("threadwire.probe");

  final InMemoryThreadMessaging messaging = InMemoryThreadMessaging.create();

  @AfterEach
  void close() {
    messaging.close();
  }

  static CheckResult answer(ReadinessCheck check) throws Exception {
    return check.check().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("NO_RECIPIENTS is READY: nobody on the probe thread is normal and healthy")
  void noRecipientsIsReady() throws Exception {
    messaging.start();

    CheckResult result = answer(MessagingReadinessCheck.create(messaging));

    assertThat(result.status()).isEqualTo(CheckResult.Status.READY);
    assertThat(result.reason()).isEqualTo(MessagingReadinessCheck.NO_RECIPIENTS_REASON);
    assertThat(result.cause()).isEmpty();
  }

  @Test
  @DisplayName(
      "NO_RECIPIENTS says nothing about client connections: the probe thread has none, others may")
  void noRecipientsWordingIsHonest() throws Exception {
    messaging.start();
    InMemoryClient client = messaging.connect(UserId.of("ada"));
    client.join(ThreadId.of("room-1"));

    CheckResult result = answer(MessagingReadinessCheck.create(messaging));

    assertThat(result.status()).isEqualTo(CheckResult.Status.READY);
    assertThat(result.reason())
        .doesNotContain("no connections")
        .contains("probe thread", "accepted");
  }

  @Test
  @DisplayName(
      "a port whose start failed is FAILED naming the start failure, not 'messaging is closed'")
  void startFailureIsNamed() throws Exception {
    IllegalStateException bind =
        new IllegalStateException(
            "could not start the WebSocket server on 127.0.0.1:8431: java.net.BindException:"
                + " Address already in use");
    messaging.start();
    messaging.close();
    ThreadMessaging failed =
        new ThreadMessaging() {
          @Override
          public CompletionStage<SendOutcome> send(
              ThreadId thread, Message message, SendOptions options) {
            return messaging.send(thread, message, options);
          }

          @Override
          public int connectionCount(ThreadId thread) {
            return 0;
          }

          @Override
          public int userCount(ThreadId thread) {
            return 0;
          }

          @Override
          public State state() {
            return State.CLOSED;
          }

          @Override
          public void start() {
            throw bind;
          }

          @Override
          public java.util.Optional<Throwable> startFailure() {
            return java.util.Optional.of(bind);
          }

          @Override
          public void close() {}
        };

    CheckResult result = answer(MessagingReadinessCheck.create(failed));

    assertThat(result.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(result.reason())
        .startsWith("messaging failed to start: ")
        .contains("127.0.0.1:8431", "Address already in use")
        .doesNotContain("messaging is closed");
    assertThat(result.cause()).contains(bind);
  }

  @Test
  @DisplayName("DELIVERED is READY and says how many connections got the probe")
  void deliveredIsReady() throws Exception {
    messaging.start();
    InMemoryClient watcher = messaging.connect(UserId.of("ops"));
    watcher.join(PROBE);

    CheckResult result = answer(MessagingReadinessCheck.create(messaging, PROBE));

    assertThat(result.status()).isEqualTo(CheckResult.Status.READY);
    assertThat(result.reason()).contains("delivered to 1 of 1 connection(s)");
    assertThat(watcher.received(PROBE))
        .singleElement()
        .satisfies(f -> assertThat(f.offset()).isZero());
  }

  @Test
  @DisplayName("QUEUED is READY with the outcome's reason")
  void queuedIsReady() throws Exception {
    FixedOutcome port = new FixedOutcome(SendOutcome.queued(7, List.of()));

    CheckResult result = answer(MessagingReadinessCheck.create(port));

    assertThat(result.status()).isEqualTo(CheckResult.Status.READY);
    assertThat(result.reason()).contains("kept in history at offset 7");
  }

  @Test
  @DisplayName("sends one transient probe to the configured probe thread")
  void sendsTransientProbe() throws Exception {
    FixedOutcome port = new FixedOutcome(SendOutcome.noRecipients());
    ThreadId custom = ThreadId.of("ops:probe-7");

    answer(MessagingReadinessCheck.create(port, custom));

    assertThat(port.thread).isEqualTo(custom);
    assertThat(port.options.isTransient()).isTrue();
    assertThat(port.message.metadata())
        .containsEntry(MessagingReadinessCheck.PROBE_METADATA_KEY, "true");
  }

  @Test
  @DisplayName("ERROR from a closed port is FAILED, naming the error kind and reason")
  void closedIsFailed() throws Exception {
    messaging.start();
    messaging.close();

    CheckResult result = answer(MessagingReadinessCheck.create(messaging));

    assertThat(result.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(result.reason())
        .isEqualTo(
            "messaging refused the probe on thread threadwire.probe: CLOSED: messaging is closed");
  }

  @Test
  @DisplayName("ERROR from a port never started is FAILED with NOT_STARTED")
  void notStartedIsFailed() throws Exception {
    CheckResult result = answer(MessagingReadinessCheck.create(messaging));

    assertThat(result.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(result.reason()).contains("NOT_STARTED");
  }

  @Test
  @DisplayName("ERROR from a failing transport is FAILED with the outcome's cause")
  void transportFailureIsFailedWithCause() throws Exception {
    messaging.start();
    messaging.connect(UserId.of("broken"), Fault.FAIL_WRITES).join(PROBE);

    CheckResult result = answer(MessagingReadinessCheck.create(messaging));

    assertThat(result.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(result.reason()).contains("TRANSPORT_FAILURE");
    assertThat(result.cause())
        .get()
        .isInstanceOf(IOException.class)
        .extracting(Throwable::getMessage)
        .isEqualTo("injected write failure");
  }

  @Test
  @DisplayName("the probe is never stored: a client joining the probe thread since 0 gets nothing")
  void probeNeverReplayed() {
    messaging.start();
    Startup startup = Startup.create(StartupSettings.defaults(), messaging, List.of());
    startup.run();
    startup.run();
    startup.readiness().refresh().toCompletableFuture().join();

    InMemoryClient late = messaging.connect(UserId.of("late"));
    JoinResult join = late.join(PROBE, Since.offset(0));

    assertThat(join.isMember()).isTrue();
    assertThat(join.offset()).isZero();
    assertThat(join.replayed()).isZero();
    assertThat(late.received()).isEmpty();
    assertThat(messaging.hub().stats().historyMessages()).isZero();
  }

  @Test
  @DisplayName(
      "the probe is not stored either when the probe thread is known to the hub: a client that"
          + " joined and left it earlier")
  void probeNeverReplayedOnAKnownThread() throws Exception {
    messaging.start();
    InMemoryClient watcher = messaging.connect(UserId.of("ops"));
    watcher.join(PROBE);
    watcher.leave(PROBE);
    Startup startup = Startup.create(StartupSettings.defaults(), messaging, List.of());

    ReadinessReport report = startup.run();
    startup.readiness().refresh().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(report.check(MessagingReadinessCheck.NAME).orElseThrow().reason())
        .isEqualTo(MessagingReadinessCheck.NO_RECIPIENTS_REASON);
    InMemoryClient late = messaging.connect(UserId.of("late"));
    JoinResult join = late.join(PROBE, Since.offset(0));
    assertThat(join.offset()).isZero();
    assertThat(join.replayed()).isZero();
    assertThat(late.received()).isEmpty();
    assertThat(watcher.received()).isEmpty();
    assertThat(messaging.hub().stats().historyMessages()).isZero();
  }

  /** A port that answers every send with one outcome and remembers the last send. */
  static final class FixedOutcome implements ThreadMessaging {
    private final SendOutcome outcome;
    volatile ThreadId thread;
    volatile Message message;
    volatile SendOptions options;

    FixedOutcome(SendOutcome outcome) {
      this.outcome = outcome;
    }

    @Override
    public CompletionStage<SendOutcome> send(
        ThreadId thread, Message message, SendOptions options) {
      this.thread = thread;
      this.message = message;
      this.options = options;
      return CompletableFuture.completedFuture(outcome);
    }

    @Override
    public int connectionCount(ThreadId thread) {
      return 0;
    }

    @Override
    public int userCount(ThreadId thread) {
      return 0;
    }

    @Override
    public State state() {
      return State.RUNNING;
    }

    @Override
    public void start() {}

    @Override
    public void close() {}
  }
}
