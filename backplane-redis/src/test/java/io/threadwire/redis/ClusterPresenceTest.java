package io.threadwire.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.hub.HubSettings;
import io.threadwire.inmemory.InMemoryClient;
import io.threadwire.inmemory.InMemoryThreadMessaging;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName(
    "Presence over Redis: counts are cluster-wide, and a dead node drops out within its TTL")
class ClusterPresenceTest {

  private static final Duration HEARTBEAT = Duration.ofMillis(100);
  private static final Duration NODE_TTL = Duration.ofMillis(600);

  /** A dead node's entry outlives its last heartbeat by at most the TTL; slack for a slow CI. */
  private static final Duration DROP_BOUND = NODE_TTL.plus(HEARTBEAT).plusSeconds(2);

  private static final ThreadId ROOM = ThreadId.of("presence-room");

  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void redis() {
    RedisTestSupport.requireRedis();
  }

  @AfterAll
  static void cleanUp() {
    RedisTestSupport.deleteOwnKeys();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private record Node(InMemoryThreadMessaging messaging, RedisThreadLog log) {}

  private Node node(RedisSettings settings) {
    RedisThreadLog log = RedisThreadLog.create(settings);
    InMemoryThreadMessaging m =
        InMemoryThreadMessaging.builder().settings(HubSettings.defaults()).threadLog(log).build();
    m.start();
    open.add(m);
    return new Node(m, log);
  }

  private RedisSettings settings() {
    return RedisTestSupport.settings().toBuilder().heartbeat(HEARTBEAT).nodeTtl(NODE_TTL).build();
  }

  private InMemoryClient joined(Node n, String user) {
    InMemoryClient c = n.messaging().connect(UserId.of(user));
    assertThat(c.join(ROOM).isMember()).isTrue();
    return c;
  }

  private static void awaitCounts(Node n, int connections, int users) {
    await()
        .atMost(DROP_BOUND)
        .untilAsserted(
            () -> {
              assertThat(n.messaging().connectionCount(ROOM)).isEqualTo(connections);
              assertThat(n.messaging().userCount(ROOM)).isEqualTo(users);
            });
  }

  @Test
  @DisplayName("both nodes count every node's connections, and a user on two nodes once")
  void countsAreSummed() {
    RedisSettings s = settings();
    Node a = node(s);
    Node b = node(s);
    joined(a, "ada");
    joined(a, "bob");
    joined(b, "ada");
    InMemoryClient cy = joined(b, "cy");
    awaitCounts(a, 4, 3);
    awaitCounts(b, 4, 3);
    cy.leave(ROOM);
    awaitCounts(a, 3, 2);
    awaitCounts(b, 3, 2);
  }

  @Test
  @DisplayName("a node stopped abruptly drops out of the other's counts within the node TTL")
  void deadNodeDropsOut() {
    RedisSettings s = settings();
    Node a = node(s);
    Node b = node(s);
    joined(a, "ada");
    joined(b, "bob");
    joined(b, "cy");
    awaitCounts(a, 3, 3);
    b.log().crash(); // no withdrawal, no more heartbeats: as if the process died
    // Its entry is still in Redis; only its expiry (judged by Redis's clock) takes it out.
    assertThat(presenceFields(s)).hasSize(2);
    awaitCounts(a, 1, 1);
    assertThat(presenceFields(s)).as("the reader removed the dead entry").hasSize(1);
  }

  @Test
  @DisplayName("a node that closes cleanly withdraws its entries at once")
  void cleanCloseWithdraws() {
    RedisSettings s = settings();
    Node a = node(s);
    Node b = node(s);
    joined(a, "ada");
    joined(b, "bob");
    awaitCounts(a, 2, 2);
    b.messaging().close();
    assertThat(presenceFields(s)).hasSize(1);
    assertThat(a.messaging().connectionCount(ROOM)).isEqualTo(1);
  }

  @Test
  @DisplayName("a live node keeps being counted across many node TTLs: the heartbeat renews it")
  void heartbeatKeepsLiveNodes() {
    RedisSettings s = settings();
    Node a = node(s);
    Node b = node(s);
    joined(b, "bob");
    awaitCounts(a, 1, 1);
    long until = System.nanoTime() + NODE_TTL.multipliedBy(4).toNanos();
    // Polled, not slept: every read within four TTLs must still count b's connection.
    await()
        .atMost(NODE_TTL.multipliedBy(4).plusSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              assertThat(a.messaging().connectionCount(ROOM)).isEqualTo(1);
              return System.nanoTime() > until;
            });
  }

  private static Map<String, String> presenceFields(RedisSettings s) {
    RedisClient c = RedisClient.create(RedisTestSupport.URI);
    try (StatefulRedisConnection<String, String> conn = c.connect()) {
      return conn.sync().hgetall(s.keyPrefix() + ":{" + ROOM.value() + "}:presence");
    } finally {
      c.shutdown();
    }
  }
}
