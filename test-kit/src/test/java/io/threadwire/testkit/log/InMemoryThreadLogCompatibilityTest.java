package io.threadwire.testkit.log;

import io.threadwire.hub.InMemoryThreadLog;
import io.threadwire.spi.ThreadLog;
import java.time.Clock;

/** The log kit on the default, in-memory log. */
class InMemoryThreadLogCompatibilityTest extends ThreadLogCompatibilityKit {

  @Override
  public ThreadLog openLog(Clock clock) {
    return InMemoryThreadLog.create(clock);
  }

  @Override
  public void induceFailure(ThreadLog log) {
    log.close(); // the one outage an in-memory log has
  }
}
