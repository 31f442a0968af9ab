package io.threadwire.testkit.log;

import io.threadwire.hub.InMemoryThreadLog;
import io.threadwire.spi.ThreadLog;
import java.time.Clock;
import java.time.Duration;

/** The log kit on the simulated remote log, lost notifications included. */
class RemoteLogSimulationCompatibilityTest extends ThreadLogCompatibilityKit
    implements NotificationLossKit {

  @Override
  public ThreadLog openLog(Clock clock) {
    return RemoteLogSimulation.builder(InMemoryThreadLog.create(clock))
        .maxDelay(Duration.ofMillis(1))
        .build();
  }

  @Override
  public void induceFailure(ThreadLog log) {
    ((RemoteLogSimulation) log).failNextCalls(1000);
  }

  @Override
  public void loseNotifications(ThreadLog log, int n) {
    ((RemoteLogSimulation) log).loseNextNotifications(n);
  }
}
