package io.threadwire.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.KillArgs;
import io.threadwire.HistoryPolicies;
import io.threadwire.HistoryPolicy;
import io.threadwire.Message;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.hub.HubSettings;
import io.threadwire.inmemory.InMemoryClient;
import io.threadwire.inmemory.InMemoryThreadMessaging;
import io.threadwire.inmemory.ReceivedFrame;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.Since;
import io.threadwire.spi.ThreadGap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Faults against a private Redis (started and stopped by the test), asserting what every client of
 * two hubs received: each stored offset exactly once and in order, or covered by a gap signal the
 * client was given; nothing silent.
 */
@DisplayName("Faults at the client: every client gets every offset once, in order, or a gap")
class ClientFaultTest {

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
  private static final ThreadId ROOM = ThreadId.of("fault-room");

  private PrivateRedis redis;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void start() {
    redis = PrivateRedis.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    redis.close();
  }

  private record Node(InMemoryThreadMessaging messaging, RedisThreadLog log) {}

  private Node node(RedisSettings settings, HistoryPolicy history) {
    RedisThreadLog log = RedisThreadLog.create(settings);
    InMemoryThreadMessaging m =
        InMemoryThreadMessaging.builder()
            .settings(HubSettings.defaults().withHistoryPolicies(HistoryPolicies.uniform(history)))
            .threadLog(log)
            .build();
    m.start();
    open.add(m);
    return new Node(m, log);
  }

  private RedisSettings settings() {
    return RedisTestSupport.settings(redis.uri()).toBuilder()
        .commandTimeout(COMMAND_TIMEOUT)
        .connectTimeout(COMMAND_TIMEOUT)
        .heartbeat(Duration.ofMillis(100))
        .nodeTtl(Duration.ofMillis(600))
        .build();
  }

  private static InMemoryClient joined(Node n, String user) {
    InMemoryClient c = n.messaging().connect(UserId.of(user));
    assertThat(c.join(ROOM).isMember()).isTrue();
    return c;
  }

  private static Message msg(int i) {
    return Message.builder("{\"n\":" + i + "}").id("m-" + i).build();
  }

  /**
   * Asserts what {@code c} got of offsets 1..n of {@code epoch}: strictly increasing (so none
   * twice, none out of order), and every offset missing from it inside a gap signal it was given.
   */
  private static void assertEveryOffsetOrGap(InMemoryClient c, long epoch, int n) {
    List<Long> got =
        c.received(ROOM).stream()
            .filter(f -> f.epoch() == epoch)
            .map(ReceivedFrame::offset)
            .toList();
    assertThat(got).as("offsets received by %s", c.id()).isSorted().doesNotHaveDuplicates();
    List<ThreadGap> gaps = c.gaps(ROOM);
    for (long o = 1; o <= n; o++) {
      long offset = o;
      if (!got.contains(offset)) {
        assertThat(gaps)
            .as("offset %s missing at %s without a gap signal covering it", offset, c.id())
            .anyMatch(g -> g.epoch() == epoch && g.from() <= offset && offset <= g.to());
      }
    }
  }

  /** The highest offset of {@code epoch} {@code c} has received or been told it will not. */
  private static long reached(InMemoryClient c, long epoch) {
    long top = 0;
    for (ReceivedFrame f : c.received(ROOM)) {
      if (f.epoch() == epoch) {
        top = Math.max(top, f.offset());
      }
    }
    for (ThreadGap g : c.gaps(ROOM)) {
      if (g.epoch() == epoch) {
        top = Math.max(top, g.to());
      }
    }
    return top;
  }

  private void pubsubKilledDuringSends(HistoryPolicy history, int n) throws Exception {
    RedisSettings s = settings();
    Node a = node(s, history);
    Node b = node(s, history);
    List<InMemoryClient> clients =
        List.of(joined(a, "a1"), joined(a, "a2"), joined(b, "b1"), joined(b, "b2"));
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicLong kills = new AtomicLong();
    Thread killer =
        new Thread(
            () -> {
              while (sending.get()) {
                kills.addAndGet(
                    redis.command(c -> c.sync().clientKill(KillArgs.Builder.typePubsub())));
              }
            });
    killer.start();
    List<CompletableFuture<SendOutcome>> sent = new ArrayList<>();
    try {
      for (int i = 1; i <= n; i++) {
        // Both hubs send, alternately, so both nodes' subscriptions carry another node's entries.
        Node from = i % 2 == 0 ? a : b;
        CompletableFuture<SendOutcome> f =
            from.messaging().send(ROOM, msg(i)).toCompletableFuture();
        sent.add(f);
        if (i % 50 == 0) {
          // Keeps sends and kills interleaved. A send whose own notification was lost beyond
          // repair completes at the hub's outcome deadline, so this waits at most that long.
          f.get(30, TimeUnit.SECONDS);
        }
      }
      for (CompletableFuture<SendOutcome> f : sent) {
        SendOutcome o = f.get(30, TimeUnit.SECONDS);
        assertThat(o.isAccepted()).as("send accepted: %s", o).isTrue();
      }
    } finally {
      sending.set(false);
      killer.join();
    }
    assertThat(kills.get()).as("pub/sub connections killed").isPositive();
    // One epoch throughout (Redis kept its data): the epoch any client saw a message in.
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !clients.get(0).received(ROOM).isEmpty());
    long e = clients.get(0).received(ROOM).get(0).epoch();
    for (InMemoryClient c : clients) {
      // The tail is repaired by the position check even when no later message reveals a loss.
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> reached(c, e) >= n);
      assertEveryOffsetOrGap(c, e, n);
    }
  }

  @Test
  @DisplayName("pub/sub killed repeatedly during sends from two hubs: every loss is repaired")
  void pubsubKilledRepaired() throws Exception {
    pubsubKilledDuringSends(HistoryPolicy.defaults(), 300);
  }

  @Test
  @DisplayName("pub/sub killed during sends to a 3-message history: what is gone is a gap signal")
  void pubsubKilledShortHistory() throws Exception {
    pubsubKilledDuringSends(HistoryPolicy.defaults().withMaxMessages(3), 300);
  }

  @Test
  @DisplayName("Redis restarted without persistence: every client is told of the new epoch")
  void restartTellsEveryClient() throws Exception {
    RedisSettings s = settings();
    Node a = node(s, HistoryPolicy.defaults());
    Node b = node(s, HistoryPolicy.defaults());
    List<InMemoryClient> clients = List.of(joined(a, "a1"), joined(b, "b1"));
    a.messaging().send(ROOM, msg(1)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    for (InMemoryClient c : clients) {
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> c.received(ROOM).size() == 1);
    }
    long before = clients.get(0).received(ROOM).get(0).epoch();
    redis.stopServer();
    redis.startServer();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                a.messaging()
                    .send(ROOM, msg(2))
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS)
                    .isAccepted());
    for (InMemoryClient c : clients) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> c.gaps(ROOM).stream().anyMatch(ThreadGap::epochChanged));
      ThreadGap gap =
          c.gaps(ROOM).stream().filter(ThreadGap::epochChanged).findFirst().orElseThrow();
      assertThat(gap.epoch()).isNotEqualTo(before);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> c.received(ROOM).stream().anyMatch(f -> f.epoch() == gap.epoch()));
      ReceivedFrame next =
          c.received(ROOM).stream().filter(f -> f.epoch() == gap.epoch()).findFirst().orElseThrow();
      assertThat(next.offset()).isEqualTo(1);
      assertThat(next.message().id()).isEqualTo("m-2");
    }
  }

  @Test
  @DisplayName(
      "a node stopped abruptly: its client rejoins the other node with since and epoch, losing nothing")
  void nodeDiesClientsMoveOver() throws Exception {
    RedisSettings s = settings();
    Node a = node(s, HistoryPolicy.defaults());
    Node b = node(s, HistoryPolicy.defaults());
    InMemoryClient onA = joined(a, "stays");
    InMemoryClient onB = joined(b, "moves");
    for (int i = 1; i <= 5; i++) {
      a.messaging().send(ROOM, msg(i)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> onB.received(ROOM).size() == 5);
    ReceivedFrame last = onB.received(ROOM).get(4);
    b.log().crash(); // as if the process died: no withdrawal, no more heartbeats
    b.messaging().close();
    for (int i = 6; i <= 10; i++) {
      a.messaging().send(ROOM, msg(i)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    // The client reconnects to the node that is left, with its position.
    InMemoryClient moved = a.messaging().connect(UserId.of("moves"));
    JoinResult r = moved.join(ROOM, Since.position(last.epoch(), last.offset()));
    assertThat(r.recovered()).isTrue();
    assertThat(r.missed()).isZero();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> moved.received(ROOM).size() == 5);
    List<Long> offsets = new ArrayList<>();
    onB.received(ROOM).forEach(f -> offsets.add(f.offset()));
    moved.received(ROOM).forEach(f -> offsets.add(f.offset()));
    assertThat(offsets).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(onA.received(ROOM)).hasSize(10);
    // Its old connection is gone from the count within the node TTL; the moved one counts.
    Awaitility.await()
        .atMost(s.nodeTtl().plus(s.heartbeat()).plusSeconds(2))
        .until(() -> a.messaging().connectionCount(ROOM) == 2);
  }
}
