package io.threadwire.startup;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.hub.InMemoryThreadLog;
import io.threadwire.hub.ThreadHub;
import io.threadwire.spi.ThreadLog;
import io.threadwire.testkit.log.RemoteLogSimulation;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadLogReadinessCheckTest {

  private static CheckResult run(ReadinessCheck check) throws Exception {
    return check.check().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aHealthyLogIsReady() throws Exception {
    ThreadHub hub = ThreadHub.builder((t, e, o, m) -> m.payload()).build();
    hub.start();
    try {
      CheckResult r = run(ThreadLogReadinessCheck.create(hub));
      assertThat(r.status()).isEqualTo(CheckResult.Status.READY);
      assertThat(r.reason()).contains("in-memory log");
    } finally {
      hub.close();
    }
  }

  @Test
  void anUnhealthyLogFailsWithItsDetail() throws Exception {
    ThreadLog log = InMemoryThreadLog.create(Clock.systemUTC());
    log.close();
    CheckResult r = run(ThreadLogReadinessCheck.create(log));
    assertThat(r.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(r.reason()).contains("closed");
  }

  @Test
  void aLogThatCannotAnswerFails() throws Exception {
    RemoteLogSimulation log =
        RemoteLogSimulation.builder(InMemoryThreadLog.create(Clock.systemUTC())).build();
    try {
      log.failNextCalls(1);
      CheckResult r = run(ThreadLogReadinessCheck.create(log));
      assertThat(r.status()).isEqualTo(CheckResult.Status.FAILED);
      assertThat(r.reason()).contains("did not answer").contains("injected failure");
    } finally {
      log.close();
    }
  }

  @Test
  void itRunsBeforeTheMessagingProbe() {
    assertThat(ThreadLogReadinessCheck.ORDER).isLessThan(MessagingReadinessCheck.ORDER);
  }
}
