package io.threadwire.testkit.log;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.threadwire.hub.InMemoryThreadLog;
import io.threadwire.spi.ThreadLog;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The kit can fail: logs broken on purpose (notifications out of order, a lost notification not
 * signalled) turn the tests that guard those rules red.
 */
class BrokenLogsTurnTheKitRedTest {

  /** The kit over a simulation with one contract switch broken. */
  private static final class Broken extends ThreadLogCompatibilityKit
      implements NotificationLossKit {
    private final boolean ordering;
    private final boolean gapSignal;

    Broken(boolean ordering, boolean gapSignal) {
      this.ordering = ordering;
      this.gapSignal = gapSignal;
    }

    @Override
    public ThreadLog openLog(Clock clock) {
      RemoteLogSimulation s =
          RemoteLogSimulation.builder(InMemoryThreadLog.create(clock))
              .maxDelay(Duration.ofMillis(3))
              .threads(4)
              .build();
      s.breakOrdering(ordering);
      s.breakGapSignal(gapSignal);
      return s;
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

  @Test
  void outOfOrderNotificationsFailTheOrderTests() {
    Broken kit = new Broken(true, false);
    assertThatThrownBy(kit::everyEntryInOrder).isInstanceOf(AssertionError.class);
    assertThatThrownBy(kit::concurrentAppendersOneOrder).isInstanceOf(AssertionError.class);
  }

  @Test
  void aLossWithoutAGapFailsTheLossTest() {
    Broken kit = new Broken(false, true);
    assertThatThrownBy(kit::lossIsSignalled).isInstanceOf(AssertionError.class);
  }

  @Test
  void theSameKitPassesWithNothingBroken() throws Exception {
    Broken kit = new Broken(false, false);
    kit.everyEntryInOrder();
    kit.concurrentAppendersOneOrder();
    kit.lossIsSignalled();
  }
}
