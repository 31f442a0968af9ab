package io.threadwire.inmemory;

import io.threadwire.UserId;
import io.threadwire.hub.HubSettings;
import io.threadwire.hub.HubStats;
import io.threadwire.testkit.KitClient;
import io.threadwire.testkit.KitFault;
import io.threadwire.testkit.KitTransport;
import io.threadwire.testkit.ThreadMessagingCompatibilityKit;
import java.time.Clock;

class InMemoryCompatibilityTest extends ThreadMessagingCompatibilityKit {

  @Override
  protected KitTransport open(HubSettings settings, Clock clock) {
    InMemoryThreadMessaging messaging =
        InMemoryThreadMessaging.builder().settings(settings).clock(clock).build();
    messaging.start();
    return new Transport(messaging);
  }

  private record Transport(InMemoryThreadMessaging messaging) implements KitTransport {
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
    public void runMaintenance() {
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
