package io.threadwire.redis;

import io.threadwire.ConnectionId;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.hub.HubSettings;
import io.threadwire.hub.HubStats;
import io.threadwire.inmemory.Fault;
import io.threadwire.inmemory.InMemoryClient;
import io.threadwire.inmemory.InMemoryThreadMessaging;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.Since;
import io.threadwire.testkit.KitClient;
import io.threadwire.testkit.KitFault;
import io.threadwire.testkit.KitGap;
import io.threadwire.testkit.KitJoin;
import io.threadwire.testkit.KitMessage;
import io.threadwire.testkit.KitTransport;
import io.threadwire.testkit.ThreadMessagingCompatibilityKit;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The messaging compatibility kit on one node: a hub (the in-memory transport) over the Redis
 * thread log, so every send goes through the script and every delivery through pub/sub.
 */
class RedisHubCompatibilityTest extends ThreadMessagingCompatibilityKit {

  @BeforeAll
  static void redis() {
    RedisTestSupport.requireRedis();
  }

  @AfterAll
  static void cleanUp() {
    RedisTestSupport.deleteOwnKeys();
  }

  @Override
  protected KitTransport open(HubSettings settings, Clock clock) {
    RedisThreadLog log = RedisThreadLog.create(RedisTestSupport.settings(), clock);
    InMemoryThreadMessaging messaging =
        InMemoryThreadMessaging.builder().settings(settings).clock(clock).threadLog(log).build();
    messaging.start();
    return new Transport(messaging, log, clock, settings);
  }

  private record Transport(
      InMemoryThreadMessaging messaging, RedisThreadLog log, Clock clock, HubSettings settings)
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
      // The kit moves its manual clock past deadlines at once; Redis answers well within them, so
      // let what is in flight (script replies, pub/sub deliveries) arrive first.
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(log::quiescent);
      messaging.hub().runMaintenance();
    }

    @Override
    public HubStats stats() {
      // History lives in Redis, shared by every node, and its keys expire by Redis's own clock
      // (min-key-ttl), which the kit's manual clock cannot move. What a hub on that clock still
      // holds is the history of threads written to within its idle-thread TTL.
      HubStats s = messaging.hub().stats();
      return new HubStats(
          s.threads(),
          s.connections(),
          s.memberships(),
          RedisTestSupport.storedMessages(
              log.settings().keyPrefix(), clock.millis(), settings.idleThreadTtl().toMillis()),
          s.historyBytes(),
          s.idempotencyKeys(),
          s.inFlightSends());
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

    @Override
    public boolean supportsEpoch() {
      return true;
    }

    @Override
    public KitJoin join(ThreadId thread, long epoch, long sinceOffset) {
      return toKit(client.join(thread, Since.position(epoch, sinceOffset)));
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
    public boolean supportsGaps() {
      return true;
    }

    @Override
    public List<KitGap> gaps() {
      return client.gaps().stream()
          .map(g -> new KitGap(g.thread(), g.epoch(), g.from(), g.to()))
          .toList();
    }

    @Override
    public void close() {
      client.close();
    }
  }
}
