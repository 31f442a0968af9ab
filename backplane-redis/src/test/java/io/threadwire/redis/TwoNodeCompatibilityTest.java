package io.threadwire.redis;

import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.ThreadMessaging;
import io.threadwire.UserId;
import io.threadwire.hub.HubSettings;
import io.threadwire.hub.HubStats;
import io.threadwire.testkit.KitClient;
import io.threadwire.testkit.KitFault;
import io.threadwire.testkit.KitTransport;
import io.threadwire.testkit.ThreadMessagingCompatibilityKit;
import io.threadwire.tyrus.HandshakeAuthenticator;
import io.threadwire.tyrus.TyrusSettings;
import io.threadwire.tyrus.TyrusThreadMessaging;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The messaging compatibility kit on two nodes: two Tyrus servers in this JVM, each over its own
 * {@link RedisThreadLog} on the same key prefix, with real WebSocket clients on both. Every send
 * goes through node A; clients are spread over both nodes with user affinity (a user's connections
 * all land on one node, as behind a load balancer sticky by user), the first user on node B, so
 * most deliveries and outcomes cross nodes.
 *
 * <p>What the kit reads as one messaging instance is the cluster: sends go to A, and the counts
 * ({@code connectionCount}, {@code userCount}) are the cluster's, read through the Redis log's
 * presence once both nodes agree; hub stats are the sums over both nodes.
 *
 * <p>Faults: a faulty client is an in-process {@link FaultyKitConnection} registered on the hub of
 * <b>node A, the sending node, always</b> (and its user is then sticky to A), while the healthy
 * clients stay spread over both nodes. The kit's fault tests assert {@code failedConnections()}
 * names the failed connection, and an outcome names only the sending node's failed connections:
 * another node's failures reach the sender as counts in its delivery report ({@code
 * SendOutcome.Remote}), not as ids (a {@code ConnectionId} is unique only within one node). So the
 * faults are local to the sender here, and what crosses nodes in those tests is the healthy
 * clients' deliveries, the cluster-wide counts ({@code connectionCount} after a cut or a close mid
 * fan-out) and the outcome combining A's failures with B's report. A failure on the other node,
 * counted but not named, is {@code ClusterOutcomeTest}'s concern.
 */
class TwoNodeCompatibilityTest extends ThreadMessagingCompatibilityKit {

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
    RedisSettings redis = RedisTestSupport.settings();
    Node a = Node.start(redis, settings, clock);
    Node b = Node.start(redis, settings, clock);
    return new Cluster(a, b, redis.keyPrefix(), clock, settings);
  }

  private record Node(TyrusThreadMessaging server, RedisThreadLog log) {
    static Node start(RedisSettings redis, HubSettings settings, Clock clock) {
      RedisThreadLog log = RedisThreadLog.create(redis, clock);
      TyrusThreadMessaging server =
          TyrusThreadMessaging.builder(TyrusSettings.builder().port(0).build())
              .hubSettings(settings)
              .clock(clock)
              .authenticator(HandshakeAuthenticator.bearerTokens(t -> Optional.of(UserId.of(t))))
              .threadLog(log)
              .build();
      server.start();
      return new Node(server, log);
    }
  }

  /** The two nodes, seen as one messaging instance. */
  private static final class Cluster implements KitTransport, ThreadMessaging {
    private final Node a;
    private final Node b;
    private final String prefix;
    private final Clock clock;
    private final HubSettings settings;
    private final Map<UserId, Node> affinity = new HashMap<>();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor();

    Cluster(Node a, Node b, String prefix, Clock clock, HubSettings settings) {
      this.a = a;
      this.b = b;
      this.prefix = prefix;
      this.clock = clock;
      this.settings = settings;
    }

    @Override
    public ThreadMessaging messaging() {
      return this;
    }

    @Override
    public synchronized KitClient connect(UserId user) {
      Node n = affinity.computeIfAbsent(user, u -> affinity.size() % 2 == 0 ? b : a);
      WsKitClient c =
          WsKitClient.connect(n.server().uri(), Map.of("Authorization", "Bearer " + user.value()));
      clients.add(c);
      return c;
    }

    @Override
    public boolean supportsFaults() {
      return true;
    }

    /** A faulty client always joins node A, the sender: see the class comment for why. */
    @Override
    public synchronized KitClient connect(UserId user, KitFault fault) {
      affinity.putIfAbsent(user, a);
      FaultyKitConnection c = new FaultyKitConnection(user, fault, a.server().hub(), events);
      clients.add(c);
      return c;
    }

    @Override
    public void runMaintenance() {
      // Let what is in flight on either node (script replies, deliveries, reports) arrive first.
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> a.log().quiescent() && b.log().quiescent());
      a.server().hub().runMaintenance();
      b.server().hub().runMaintenance();
    }

    @Override
    public HubStats stats() {
      HubStats x = a.server().hub().stats();
      HubStats y = b.server().hub().stats();
      // History lives in Redis, shared by both nodes: counted once, from the streams, as the
      // one-node glue does (threads written to within the idle-thread TTL of the kit's clock).
      return new HubStats(
          x.threads() + y.threads(),
          x.connections() + y.connections(),
          x.memberships() + y.memberships(),
          RedisTestSupport.storedMessages(
              prefix, clock.millis(), settings.idleThreadTtl().toMillis()),
          x.historyBytes() + y.historyBytes(),
          x.idempotencyKeys() + y.idempotencyKeys(),
          x.inFlightSends() + y.inFlightSends());
    }

    @Override
    public CompletionStage<SendOutcome> send(
        ThreadId thread, Message message, SendOptions options) {
      return a.server().send(thread, message, options);
    }

    @Override
    public int connectionCount(ThreadId thread) {
      return settled(
          () -> a.server().connectionCount(thread), () -> b.server().connectionCount(thread));
    }

    @Override
    public int userCount(ThreadId thread) {
      return settled(() -> a.server().userCount(thread), () -> b.server().userCount(thread));
    }

    /**
     * Both nodes count the cluster (the Redis log's presence): each its own members exactly plus
     * the other's entry in Redis, written soon after a change. The kit reads a count right after a
     * join or close, so wait (bounded) until both nodes' views agree, which they do once both
     * presence writes have landed, and answer that.
     */
    private static int settled(IntSupplier onA, IntSupplier onB) {
      int[] seen = new int[1];
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(10))
          .until(
              () -> {
                seen[0] = onA.getAsInt();
                return seen[0] == onB.getAsInt();
              });
      return seen[0];
    }

    @Override
    public State state() {
      return a.server().state();
    }

    @Override
    public void start() {
      a.server().start();
      b.server().start();
    }

    @Override
    public void close() {
      a.server().close();
      b.server().close();
      for (AutoCloseable c : clients) {
        try {
          c.close();
        } catch (Exception e) {
          // already closed by the server
        }
      }
      events.shutdown();
    }
  }
}
