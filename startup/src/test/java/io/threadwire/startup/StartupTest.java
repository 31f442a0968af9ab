package io.threadwire.startup;

import static io.threadwire.startup.Failures.startupFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.hub.HubSettings;
import io.threadwire.inmemory.Fault;
import io.threadwire.inmemory.InMemoryThreadMessaging;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Startup against the messaging port")
class StartupTest {

  static final ThreadId PROBE = ThreadId.of("threadwire.probe");

  InMemoryThreadMessaging messaging = InMemoryThreadMessaging.create();

  @AfterEach
  void close() {
    messaging.close();
  }

  @Test
  @DisplayName(
      "the original outage is fixed: production config, zero connections, no flag -> ready with"
          + " 'nobody joins the probe thread'")
  void outageReproducedAndFixed() {
    StartupSettings production =
        StartupSettings.fromConfig(ConfigFactory.parseString(OutageScenario.PRODUCTION_CONF));
    assertThat(production).isEqualTo(StartupSettings.defaults());

    ReadinessReport report = OutageScenario.run(production);

    assertThat(report.isReady()).isTrue();
    CheckReport messagingLine = report.check(MessagingReadinessCheck.NAME).orElseThrow();
    assertThat(messagingLine.status()).isEqualTo(CheckReport.Status.READY);
    assertThat(messagingLine.attempts()).isEqualTo(1);
    assertThat(messagingLine.reason()).contains("nobody joins the probe thread");
    assertThat(report.summary()).contains("nobody joins the probe thread");
  }

  @Test
  @DisplayName("a closed port fails startup, naming the messaging check and the cause")
  void closedPortFails() {
    messaging.start();
    messaging.close();
    Startup startup = Startup.create(StartupSettings.defaults(), messaging, List.of());

    StartupFailedException e = startupFailure(startup::run);

    assertThat(e.firstFailure().name()).isEqualTo("messaging");
    assertThat(e.firstFailure().status()).isEqualTo(CheckReport.Status.FAILED);
    assertThat(e.firstFailure().attempts()).isEqualTo(1);
    assertThat(e)
        .hasMessageContaining("check 'messaging' failed first (FAILED)")
        .hasMessageContaining("CLOSED: messaging is closed");
    assertThat(startup.readiness().status()).isEqualTo(ReadinessState.Status.NOT_READY);
  }

  @Test
  @DisplayName("a failing transport fails startup, naming the messaging check and the cause")
  void failingTransportFails() {
    messaging.start();
    messaging.connect(UserId.of("broken"), Fault.FAIL_WRITES).join(PROBE);
    ScriptedCheck later = ScriptedCheck.always("database", CheckResult.ready("ok"));
    Startup startup = Startup.create(StartupSettings.defaults(), messaging, List.of(later));

    StartupFailedException e = startupFailure(startup::run);

    assertThat(e.firstFailure().name()).isEqualTo("messaging");
    assertThat(e).hasCauseInstanceOf(IOException.class);
    assertThat(e)
        .hasMessageContaining("check 'messaging' failed first (FAILED)")
        .hasMessageContaining("TRANSPORT_FAILURE")
        .hasMessageContaining("java.io.IOException: injected write failure")
        .hasMessageContaining("2. database SKIPPED");
    assertThat(later.calls()).isZero();
  }

  @Test
  @DisplayName("a transport that never answers fails startup within the deadline, not later")
  void silentTransportFailsWithinDeadline() throws Exception {
    messaging.start();
    messaging.connect(UserId.of("stalled"), Fault.NEVER_COMPLETE).join(PROBE);
    StartupSettings settings =
        StartupSettings.defaults()
            .withDeadline(Duration.ofSeconds(2))
            .withCheckTimeout(Duration.ofMillis(300));
    Startup startup = Startup.create(settings, messaging, List.of());

    // The port's own send timeout (10s) is far beyond the deadline: only the sequence ends this.
    CompletableFuture<ReadinessReport> run = CompletableFuture.supplyAsync(startup::run);
    // A generous bound, well above the 2s deadline: this checks termination, not speed.
    Throwable thrown = catchThrowable(run);

    assertThat(thrown).isInstanceOf(StartupFailedException.class);
    StartupFailedException e = (StartupFailedException) thrown;
    CheckReport line = e.firstFailure();
    assertThat(line.name()).isEqualTo("messaging");
    assertThat(line.status()).isEqualTo(CheckReport.Status.NOT_READY);
    assertThat(line.reason())
        .startsWith("timed out: no answer within ")
        .contains("when the startup deadline of 2000ms passed");
    assertThat(e).hasMessageContaining("check 'messaging' failed first (NOT_READY)");
    // The run's own measure: the 2s deadline plus scheduling slack, far below the port's 10s send
    // timeout that a run waiting for the probe's outcome would have taken.
    assertThat(e.report().duration()).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  @DisplayName("a send timeout reported by the port itself fails startup with its cause")
  void portTimeoutFails() {
    messaging =
        InMemoryThreadMessaging.create(
            HubSettings.defaults().withSendTimeout(Duration.ofMillis(50)));
    messaging.start();
    messaging.connect(UserId.of("stalled"), Fault.NEVER_COMPLETE).join(PROBE);

    StartupFailedException e =
        startupFailure(Startup.create(StartupSettings.defaults(), messaging, List.of())::run);

    assertThat(e.firstFailure().status()).isEqualTo(CheckReport.Status.FAILED);
    assertThat(e.firstFailure().reason()).contains("TIMEOUT");
    assertThat(e).hasCauseInstanceOf(TimeoutException.class);
  }

  @Test
  @DisplayName("the probe can be disabled; host checks still run")
  void probeDisabled() {
    ScriptedCheck own = ScriptedCheck.always("own", CheckResult.ready("ok"));
    Startup startup =
        Startup.create(StartupSettings.defaults().withProbeEnabled(false), messaging, List.of(own));

    ReadinessReport report = startup.run();

    assertThat(report.checks()).extracting(CheckReport::name).containsExactly("own");
    assertThat(startup.sequence().checks()).containsExactly(own);
  }

  @Test
  @DisplayName("the messaging check runs before host checks of the default order")
  void messagingFirst() {
    messaging.start();
    ScriptedCheck own = ScriptedCheck.always("aaa", CheckResult.ready("ok"));

    ReadinessReport report =
        Startup.create(StartupSettings.defaults(), messaging, List.of(own)).run();

    assertThat(report.checks()).extracting(CheckReport::name).containsExactly("messaging", "aaa");
  }

  static Throwable catchThrowable(CompletableFuture<?> run) throws Exception {
    try {
      run.get(60, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
