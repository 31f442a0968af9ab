package io.threadwire.inmemory;

import io.threadwire.ConnectionId;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.hub.HubSettings;
import io.threadwire.hub.HubStats;
import io.threadwire.hub.InMemoryThreadLog;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.Since;
import io.threadwire.testkit.KitClient;
import io.threadwire.testkit.KitFault;
import io.threadwire.testkit.KitJoin;
import io.threadwire.testkit.KitMessage;
import io.threadwire.testkit.KitTransport;
import io.threadwire.testkit.ThreadMessagingCompatibilityKit;
import io.threadwire.testkit.log.RemoteLogSimulation;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

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
