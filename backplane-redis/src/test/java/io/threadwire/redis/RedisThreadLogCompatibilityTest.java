package io.threadwire.redis;

import io.threadwire.spi.ThreadLog;
import io.threadwire.testkit.log.ThreadLogCompatibilityKit;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The thread-log compatibility kit on the real Redis. Not {@code NotificationLossKit}: it expects a
 * lost notification to end in a gap, but this log repairs it from the stream (see {@code
 * SubscriptionRepairTest}, which also covers the unrepairable case).
 */
class RedisThreadLogCompatibilityTest extends ThreadLogCompatibilityKit {

  @BeforeAll
  static void redis() {
    RedisTestSupport.requireRedis();
  }

  @AfterAll
  static void cleanUp() {
    RedisTestSupport.deleteOwnKeys();
  }

  @Override
  public ThreadLog openLog(Clock clock) {
    RedisThreadLog log = RedisThreadLog.create(RedisTestSupport.settings(), clock);
    log.start();
    return log;
  }

  @Override
  public void induceFailure(ThreadLog log) {
    log.close();
  }
}
