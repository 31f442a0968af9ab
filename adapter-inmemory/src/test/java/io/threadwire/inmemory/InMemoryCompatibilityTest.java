package io.threadwire.inmemory;

import io.threadwire.ConnectionId;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.hub.HubSettings;
import io.threadwire.hub.HubStats;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.Since;
import io.threadwire.testkit.KitClient;
import io.threadwire.testkit.KitFault;
import io.threadwire.testkit.KitJoin;
import io.threadwire.testkit.KitMessage;
import io.threadwire.testkit.KitTransport;
import io.threadwire.testkit.ThreadMessagingCompatibilityKit;
import java.time.Clock;
import java.util.List;

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
      return new Client(messaging.connect(user));
    }

    @Override
    public boolean supportsFaults() {
      return true;
    }

    @Override
    public KitClient connect(UserId user, KitFault fault) {
      return new Client(messaging.connect(user, Fault.valueOf(fault.name())));
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

  private record Client(InMemoryClient client) implements KitClient {
    @Override
    public ConnectionId id() {
      return client.id();
    }

    @Override
    public KitJoin join(ThreadId thread) {
      return toKit(client.join(thread));
    }

    @Override
    public KitJoin join(ThreadId thread, long sinceOffset) {
      return toKit(client.join(thread, Since.offset(sinceOffset)));
    }

    private static KitJoin toKit(JoinResult r) {
      return r.isMember()
          ? KitJoin.accepted(r.epoch(), r.offset(), r.recovered(), r.missed())
          : KitJoin.refused(r.status().name().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public void leave(ThreadId thread) {
      client.leave(thread);
    }

    @Override
    public List<KitMessage> received() {
      return client.received().stream()
          .map(f -> new KitMessage(f.thread(), f.offset(), f.message().id(), f.text()))
          .toList();
    }

    @Override
    public void close() {
      client.close();
    }
  }
}
