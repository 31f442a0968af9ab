package io.threadwire.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.threadwire.ThreadMessaging;
import io.threadwire.inmemory.InMemoryThreadMessaging;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("MessagingRuntime: start messaging, run the startup sequence, close everything")
class MessagingRuntimeTest {

  private final InMemoryThreadMessaging messaging = InMemoryThreadMessaging.create();
  private final List<String> closed = new ArrayList<>();

  private Startup startup(ReadinessCheck... checks) {
    return Startup.create(StartupSettings.defaults(), messaging, List.of(checks));
  }

  @Test
  @DisplayName("starts messaging before the checks, and close stops the extras then messaging")
  void startsRunsCloses() {
    MessagingRuntime runtime =
        MessagingRuntime.builder(messaging, startup())
            .alsoClose(() -> closed.add("http"))
            .alsoClose(() -> closed.add("scheduler"))
            .start();

    assertThat(messaging.state()).isEqualTo(ThreadMessaging.State.RUNNING);
    assertThat(runtime.report().isReady()).isTrue();
    assertThat(runtime.startup().readiness().status()).isEqualTo(ReadinessState.Status.READY);

    runtime.close();
    runtime.close();
    assertThat(closed).containsExactly("scheduler", "http");
    assertThat(messaging.state()).isEqualTo(ThreadMessaging.State.CLOSED);
  }

  @Test
  @DisplayName("a failed startup closes messaging and the extras, then throws the report")
  void failedStartupClosesEverything() {
    ReadinessCheck broken =
        ScriptedCheck.always("database", CheckResult.failed("database is down"));
    assertThatThrownBy(
            () ->
                MessagingRuntime.builder(messaging, startup(broken))
                    .alsoClose(() -> closed.add("http"))
                    .start())
        .isInstanceOf(StartupFailedException.class)
        .hasMessageContaining("database is down");
    assertThat(closed).containsExactly("http");
    assertThat(messaging.state()).isEqualTo(ThreadMessaging.State.CLOSED);
  }

  @Test
  @DisplayName("a messaging start failure closes the extras and is thrown as it is")
  void startFailureThrown() {
    messaging.close();
    assertThatThrownBy(
            () ->
                MessagingRuntime.builder(messaging, startup())
                    .alsoClose(() -> closed.add("http"))
                    .start())
        .isInstanceOf(IllegalStateException.class);
    assertThat(closed).containsExactly("http");
  }

  @Test
  @DisplayName("closeOnShutdown registers a JVM hook, and close removes it again")
  void shutdownHook() {
    MessagingRuntime runtime =
        MessagingRuntime.builder(messaging, startup()).closeOnShutdown().start();
    Thread hook = runtime.shutdownHook().orElseThrow();
    runtime.close();
    assertThat(Runtime.getRuntime().removeShutdownHook(hook)).as("already removed").isFalse();
    InMemoryThreadMessaging other = InMemoryThreadMessaging.create();
    try (MessagingRuntime plain =
        MessagingRuntime.start(
            other, Startup.create(StartupSettings.defaults(), other, List.of()))) {
      assertThat(plain.shutdownHook()).isEmpty();
    }
  }

  @Test
  @DisplayName("the one-call form starts and runs without a hook")
  void oneCall() {
    try (MessagingRuntime runtime = MessagingRuntime.start(messaging, startup())) {
      assertThat(runtime.report().isReady()).isTrue();
      assertThat(runtime.shutdownHook()).isEmpty();
    }
    assertThat(messaging.state()).isEqualTo(ThreadMessaging.State.CLOSED);
  }
}
