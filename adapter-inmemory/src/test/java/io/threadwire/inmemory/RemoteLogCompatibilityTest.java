package io.threadwire.inmemory;

import io.threadwire.UserId;
import io.threadwire.hub.HubSettings;
import io.threadwire.hub.HubStats;
import io.threadwire.hub.InMemoryThreadLog;
import io.threadwire.testkit.KitClient;
import io.threadwire.testkit.KitFault;
import io.threadwire.testkit.KitTransport;
import io.threadwire.testkit.ThreadMessagingCompatibilityKit;
import io.threadwire.testkit.log.RemoteLogSimulation;
import java.time.Clock;
import java.time.Duration;

/**
 * The compatibility kit on a hub over a simulated remote log: every log call runs and answers
 * later, on other threads, in shuffled order.
 */
class RemoteLogCompatibilityTest extends ThreadMessagingCompatibilityKit {

  private long seed = 11;

  @Override
  protected KitTransport open(HubSettings settings, Clock clock) {
    RemoteLogSimulation log =
        RemoteLogSimulation.builder(InMemoryThreadLog.create(clock))
            .maxDelay(Duration.ofMillis(1))
            .seed(seed++)
            .build();
    InMemoryThreadMessaging messaging =
        InMemoryThreadMessaging.builder().settings(settings).clock(clock).threadLog(log).build();
    messaging.start();
    return new Transport(messaging, log);
  }

  private record Transport(InMemoryThreadMessaging messaging, RemoteLogSimulation log)
      implements KitTransport {
    @Override
    public KitClient connect(UserId user) {
      return new KitInMemoryClient(messaging.connect(user));
    }

    @Override
    public boolean supportsFaults() {
      return true;
    }

    @Override
    public KitClient connect(UserId user, KitFault fault) {
      return new KitInMemoryClient(messaging.connect(user, Fault.valueOf(fault.name())));
    }

    @Override
    public boolean supportsLostNotifications() {
      return true;
    }

    @Override
    public void loseNextNotifications(int n) {
      log.loseNextNotifications(n);
    }

    @Override
    public void runMaintenance() {
      // The kit moves its manual clock past deadlines at once; a real network answers well within
      // them, so let the simulated one finish what is in flight first.
      log.awaitQuiescence(Duration.ofSeconds(10));
      messaging.hub().runMaintenance();
    }

    @Override
    public HubStats stats() {
      return messaging.hub().stats();
    }

    @Override
    public void close() {
      messaging.close();
    }
  }
}
