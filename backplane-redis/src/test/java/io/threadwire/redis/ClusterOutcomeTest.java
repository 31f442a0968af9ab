package io.threadwire.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.threadwire.HistoryPolicies;
import io.threadwire.HistoryPolicy;
import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.SendOutcome.Status;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.hub.HubSettings;
import io.threadwire.inmemory.InMemoryClient;
import io.threadwire.inmemory.InMemoryThreadMessaging;
import io.threadwire.spi.ThreadGap;
import io.threadwire.testkit.KitFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Cluster-wide outcomes against the real Redis: two nodes (hubs over two {@link RedisThreadLog}s on
 * the same key prefix); the sender has no client of its own, the other node has {@code K}. The
 * outcome's remote part counts the other nodes only, never the sender itself.
 */
class ClusterOutcomeTest {

  private static final int K = 3;
  private static final Duration OUTCOME_DEADLINE = Duration.ofMillis(300);
  private static final ThreadId ROOM = ThreadId.of("cluster-room");

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
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private RedisThreadLog log(RedisSettings settings) {
    return RedisThreadLog.create(settings.toBuilder().outcomeDeadline(OUTCOME_DEADLINE).build());
  }

  private InMemoryThreadMessaging node(RedisThreadLog log) {
    return node(log, HubSettings.defaults());
  }

  private InMemoryThreadMessaging node(RedisThreadLog log, HubSettings settings) {
    InMemoryThreadMessaging m =
        InMemoryThreadMessaging.builder().settings(settings).threadLog(log).build();
    m.start();
    open.add(m);
    return m;
  }

  private List<InMemoryClient> clients(InMemoryThreadMessaging node, int n) {
    List<InMemoryClient> cs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      InMemoryClient c = node.connect(UserId.of("u" + i));
      assertThat(c.join(ROOM).isMember()).isTrue();
      cs.add(c);
    }
    return cs;
  }

  private static SendOutcome send(InMemoryThreadMessaging node, Message m, SendOptions o) {
    return node.send(ROOM, m, o).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  @DisplayName("a sender with no client of its own gets DELIVERED with the other node's count, 1/1")
  void deliveredByTheOtherNode() {
    RedisSettings s = RedisTestSupport.settings();
    InMemoryThreadMessaging a = node(log(s));
    InMemoryThreadMessaging b = node(log(s));
    List<InMemoryClient> onB = clients(b, K);

    SendOutcome stored = send(a, Message.of("hello"), SendOptions.defaults());
    SendOutcome passing = send(a, Message.of("psst"), SendOptions.transientSend());

    assertThat(stored.status()).isEqualTo(Status.DELIVERED);
    assertThat(stored.deliveredCount()).isEqualTo(K);
    assertThat(stored.failedCount()).isZero();
    assertThat(stored.unconfirmedCount()).isZero();
    assertThat(stored.offset()).hasValue(1);
    assertThat(stored.remote()).isPresent();
    SendOutcome.Remote r = stored.remote().orElseThrow();
    assertThat(r.nodesExpected()).isEqualTo(1);
    assertThat(r.nodesConfirmed()).isEqualTo(1);
    assertThat(r.deliveredCount()).isEqualTo(K);
    assertThat(stored.reason()).contains("1 of 1 other nodes reported");
    assertThat(passing.status()).isEqualTo(Status.DELIVERED);
    assertThat(passing.deliveredCount()).isEqualTo(K);
    for (InMemoryClient c : onB) {
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> c.received().size() == 2);
    }
  }

  @Test
  @DisplayName(
      "many sends in flight at once: each outcome has its own report of the other node, 1/1")
  void manyInFlight() {
    RedisSettings s = RedisTestSupport.settings();
    InMemoryThreadMessaging a = node(log(s));
    InMemoryThreadMessaging b = node(log(s));
    clients(b, K);
    List<java.util.concurrent.CompletableFuture<SendOutcome>> sends = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      SendOptions o = i % 5 == 0 ? SendOptions.transientSend() : SendOptions.defaults();
      sends.add(a.send(ROOM, Message.of("m" + i), o).toCompletableFuture());
    }

    for (java.util.concurrent.CompletableFuture<SendOutcome> f : sends) {
      SendOutcome o = f.orTimeout(10, TimeUnit.SECONDS).join();
      assertThat(o.status()).isEqualTo(Status.DELIVERED);
      assertThat(o.deliveredCount()).isEqualTo(K);
      SendOutcome.Remote r = o.remote().orElseThrow();
      assertThat(r.nodesExpected()).isEqualTo(1);
      assertThat(r.nodesConfirmed()).isEqualTo(1);
      assertThat(r.deliveredCount()).isEqualTo(K);
    }
  }

  @Test
  @DisplayName("the metrics listener hears each send once, with the sender's local outcome")
  void listenerHearsOnce() {
    RedisSettings s = RedisTestSupport.settings();
    java.util.List<SendOutcome> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    InMemoryThreadMessaging a =
        InMemoryThreadMessaging.builder()
            .threadLog(log(s))
            .listener(
                new io.threadwire.spi.MessagingListener() {
                  @Override
                  public void sendCompleted(SendOutcome outcome, long latencyNanos) {
                    heard.add(outcome);
                  }
                })
            .build();
    a.start();
    open.add(a);
    clients(node(log(s)), K);

    SendOutcome o = send(a, Message.of("m"), SendOptions.defaults());

    assertThat(o.deliveredCount()).isEqualTo(K);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !heard.isEmpty());
    Awaitility.await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> heard.size() == 1);
  }

  @Test
  @DisplayName("a node that reports counts with the sender's own clients: totals over the cluster")
  void totalsAddUp() {
    RedisSettings s = RedisTestSupport.settings();
    InMemoryThreadMessaging a = node(log(s));
    InMemoryThreadMessaging b = node(log(s));
    clients(a, 2);
    clients(b, K);

    SendOutcome o = send(a, Message.of("all"), SendOptions.defaults());

    assertThat(o.status()).isEqualTo(Status.DELIVERED);
    assertThat(o.deliveredCount()).isEqualTo(2 + K);
    assertThat(o.remote().orElseThrow().deliveredCount()).isEqualTo(K);
    assertThat(o.remote().orElseThrow().isComplete()).isTrue();
  }

  @Test
  @DisplayName(
      "a write failing on the other node is counted in the sender's outcome, not named: ids are"
          + " the other node's")
  void remoteFailureCountedNotNamed() {
    RedisSettings s = RedisTestSupport.settings();
    InMemoryThreadMessaging a = node(log(s));
    InMemoryThreadMessaging b = node(log(s));
    ExecutorService events = Executors.newSingleThreadExecutor();
    open.add(events::shutdown);
    FaultyKitConnection bad =
        new FaultyKitConnection(UserId.of("bad"), KitFault.FAIL_WRITES, b.hub(), events);
    assertThat(bad.join(ROOM).joined()).isTrue();

    SendOutcome passing = send(a, Message.of("t"), SendOptions.transientSend());
    SendOutcome stored = send(a, Message.of("s"), SendOptions.defaults());
    clients(b, 1);
    SendOutcome delivered = send(a, Message.of("d"), SendOptions.defaults());

    assertThat(passing.status()).isEqualTo(Status.ERROR);
    assertThat(passing.errorKind()).contains(ErrorKind.TRANSPORT_FAILURE);
    assertThat(passing.failedCount()).isEqualTo(1);
    assertThat(stored.status()).isEqualTo(Status.QUEUED);
    assertThat(stored.failedCount()).isEqualTo(1);
    assertThat(stored.remote().orElseThrow().failedCount()).isEqualTo(1);
    assertThat(delivered.status()).isEqualTo(Status.DELIVERED);
    assertThat(delivered.deliveredCount()).isEqualTo(1);
    assertThat(delivered.failedCount()).isEqualTo(1);
    for (SendOutcome o : List.of(passing, stored, delivered)) {
      // failedConnections() names the sender's own connections only.
      assertThat(o.failedConnections()).isEmpty();
      assertThat(o.remote().orElseThrow().isComplete()).isTrue();
    }
  }

  @Test
  @DisplayName(
      "a send whose entry a gap skipped on the sender ends at the gap, not at a deadline: its local"
          + " member unconfirmed, the other node's delivery counted")
  void skippedByAGapEndsAtTheGap() {
    RedisSettings s = RedisTestSupport.settings();
    // No deadline of the sender can end a send within this test: only the gap can.
    HubSettings patient =
        HubSettings.defaults()
            .withHistoryPolicies(
                HistoryPolicies.uniform(HistoryPolicy.defaults().withMaxMessages(2)))
            .withSendTimeout(Duration.ofHours(1))
            .withOutcomeDeadline(Duration.ofHours(1));
    RedisThreadLog lossy = log(s);
    InMemoryThreadMessaging a = node(lossy, patient);
    InMemoryThreadMessaging b = node(log(s), patient);
    InMemoryClient onA = clients(a, 1).get(0);
    clients(b, 1);
    assertThat(send(a, Message.of("1"), SendOptions.defaults()).deliveredCount()).isEqualTo(2);

    // A loses 2-5 on its channel; by the time 6 reveals the jump the stream holds 5 and 6 only,
    // so 2-4 are a gap on A (its client is told) and 5 is repaired. B gets everything.
    lossy.loseNotifications(4);
    List<CompletableFuture<SendOutcome>> sends = new ArrayList<>();
    for (int i = 2; i <= 6; i++) {
      sends.add(a.send(ROOM, Message.of(Integer.toString(i))).toCompletableFuture());
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sends.stream().allMatch(CompletableFuture::isDone));

    List<Long> skipped = new ArrayList<>();
    for (CompletableFuture<SendOutcome> f : sends) {
      SendOutcome o = f.join();
      assertThat(o.status()).as("%s", o).isEqualTo(Status.DELIVERED);
      assertThat(o.remote().orElseThrow().deliveredCount()).as("%s", o).isEqualTo(1);
      assertThat(o.failedCount()).as("%s", o).isZero();
      if (o.unconfirmedCount() == 1) {
        assertThat(o.deliveredCount()).as("%s", o).isEqualTo(1);
        skipped.add(o.offset().orElseThrow());
      } else {
        assertThat(o.deliveredCount()).as("%s", o).isEqualTo(2);
      }
    }
    assertThat(skipped).isNotEmpty();
    // Exactly the offsets A's client was told it will never get.
    List<Long> told = new ArrayList<>();
    for (ThreadGap g : onA.gaps()) {
      for (long o = g.from(); o <= g.to(); o++) {
        told.add(o);
      }
    }
    assertThat(told).containsExactlyInAnyOrderElementsOf(skipped);
  }

  @Test
  @DisplayName(
      "a stalled client on the other node is counted unconfirmed when that node's outcome deadline"
          + " ends before the sender's wait for reports")
  void remoteStallCountedUnconfirmed() {
    RedisSettings s = RedisTestSupport.settings();
    InMemoryThreadMessaging a =
        node(RedisThreadLog.create(s.toBuilder().outcomeDeadline(Duration.ofSeconds(30)).build()));
    InMemoryThreadMessaging b =
        node(log(s), HubSettings.defaults().withOutcomeDeadline(Duration.ofMillis(200)));
    ExecutorService events = Executors.newSingleThreadExecutor();
    open.add(events::shutdown);
    FaultyKitConnection stuck =
        new FaultyKitConnection(UserId.of("stuck"), KitFault.NEVER_COMPLETE, b.hub(), events);
    assertThat(stuck.join(ROOM).joined()).isTrue();
    clients(b, 1);

    SendOutcome o = send(a, Message.of("s"), SendOptions.defaults());

    assertThat(o.status()).isEqualTo(Status.DELIVERED);
    assertThat(o.deliveredCount()).isEqualTo(1);
    assertThat(o.unconfirmedCount()).isEqualTo(1);
    assertThat(o.failedCount()).isZero();
    assertThat(o.remote().orElseThrow().isComplete()).isTrue();
  }

  @Test
  @DisplayName("alone on the thread, the sender sees 0 other nodes: QUEUED, remote 0/0")
  void noOtherNode() {
    InMemoryThreadMessaging a = node(log(RedisTestSupport.settings()));

    SendOutcome o = send(a, Message.of("alone"), SendOptions.defaults());

    assertThat(o.status()).isEqualTo(Status.QUEUED);
    assertThat(o.remote().orElseThrow().nodesExpected()).isZero();
    assertThat(send(a, Message.of("t"), SendOptions.transientSend()).status())
        .isEqualTo(Status.NO_RECIPIENTS);
  }

  @Test
  @DisplayName("a node that received but does not report: after the deadline QUEUED, 0 of 1 nodes")
  void silentNodeStored() {
    RedisSettings s = RedisTestSupport.settings();
    InMemoryThreadMessaging a = node(log(s));
    RedisThreadLog silent = log(s);
    InMemoryThreadMessaging b = node(silent);
    List<InMemoryClient> onB = clients(b, K);
    silent.pauseReports(true);

    SendOutcome stored = send(a, Message.of("x"), SendOptions.defaults());
    SendOutcome passing = send(a, Message.of("y"), SendOptions.transientSend());

    assertThat(stored.status()).isEqualTo(Status.QUEUED);
    assertThat(stored.offset()).hasValue(1);
    assertThat(stored.deliveredCount()).isZero();
    assertThat(stored.remote().orElseThrow().nodesExpected()).isEqualTo(1);
    assertThat(stored.remote().orElseThrow().nodesConfirmed()).isZero();
    // The silent node's recipients are not known, so they are not counted as unconfirmed.
    assertThat(stored.unconfirmedCount()).isZero();
    assertThat(passing.status()).isEqualTo(Status.ERROR);
    assertThat(passing.errorKind()).contains(ErrorKind.TIMEOUT);
    assertThat(passing.reason()).contains("1 of 1 other node(s) did not report");
    assertThat(passing.remote().orElseThrow().nodesConfirmed()).isZero();
    // The node did deliver; only its report was missing.
    for (InMemoryClient c : onB) {
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> c.received().size() == 2);
    }
  }

  @Test
  @DisplayName("a raw subscriber that never reports: DELIVERED with 1 of 2 nodes confirmed")
  void rawSubscriberNeverReports() {
    RedisSettings s = RedisTestSupport.settings();
    InMemoryThreadMessaging a = node(log(s));
    InMemoryThreadMessaging b = node(log(s));
    clients(b, K);
    RedisClient client = RedisClient.create(RedisTestSupport.URI);
    open.add(client::shutdown);
    StatefulRedisPubSubConnection<String, String> raw = client.connectPubSub();
    open.add(raw);
    raw.sync().subscribe(s.keyPrefix() + ":{" + ROOM.value() + "}:ch");

    SendOutcome o = send(a, Message.of("x"), SendOptions.defaults());

    assertThat(o.status()).isEqualTo(Status.DELIVERED);
    assertThat(o.deliveredCount()).isEqualTo(K);
    assertThat(o.remote().orElseThrow().nodesExpected()).isEqualTo(2);
    assertThat(o.remote().orElseThrow().nodesConfirmed()).isEqualTo(1);
    assertThat(o.remote().orElseThrow().isComplete()).isFalse();
  }

  @Test
  @DisplayName("Redis down: ERROR within the command timeout, and the message is never delivered")
  void redisDown() {
    Duration timeout = Duration.ofMillis(500);
    try (PrivateRedis redis = PrivateRedis.start()) {
      RedisSettings s =
          RedisTestSupport.settings(redis.uri()).toBuilder()
              .commandTimeout(timeout)
              .connectTimeout(timeout)
              .build();
      InMemoryThreadMessaging a = node(log(s));
      InMemoryThreadMessaging b = node(log(s));
      List<InMemoryClient> onB = clients(b, K);
      assertThat(send(a, Message.of("before"), SendOptions.defaults()).deliveredCount())
          .isEqualTo(K);
      redis.stopServer();

      long start = System.nanoTime();
      SendOutcome stored = send(a, Message.of("during"), SendOptions.defaults());
      SendOutcome passing = send(a, Message.of("during-t"), SendOptions.transientSend());
      long tookMillis = (System.nanoTime() - start) / 1_000_000;

      assertThat(stored.status()).isEqualTo(Status.ERROR);
      assertThat(stored.errorKind().orElseThrow())
          .isIn(ErrorKind.LOG_FAILED, ErrorKind.LOG_TIMEOUT);
      assertThat(passing.status()).isEqualTo(Status.ERROR);
      assertThat(stored.remote()).isEmpty();
      // Two sends, each bounded by the command timeout (plus scheduling slack).
      assertThat(tookMillis).isLessThan(2 * timeout.toMillis() + 2_000);

      redis.startServer();
      // Once Redis is back, nothing sent while it was down arrives: commands were not buffered.
      Awaitility.await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(4))
          .until(
              () ->
                  onB.stream()
                      .allMatch(
                          c ->
                              c.received().stream()
                                  .noneMatch(f -> f.message().payload().startsWith("during"))));
    }
  }
}
