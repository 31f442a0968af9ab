package io.threadwire.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.threadwire.examples.TestApps.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the example over the real Redis (127.0.0.1:6379, or {@code
 * -Dthreadwire.redis.test-uri}) with {@code threadwire.examples.log = redis} and a key prefix of
 * this run: a client of instance A gets a message posted to instance B's HTTP API, and B's outcome
 * counts it. Fails (does not skip) when Redis is unreachable.
 */
@DisplayName("Two example instances over Redis form one cluster")
class TwoInstancesOverRedisTest {

  private static final String URI =
      System.getProperty("threadwire.redis.test-uri", "redis://127.0.0.1:6379");
  private static final String PREFIX = "twtest-ex-" + UUID.randomUUID().toString().substring(0, 8);

  @AfterAll
  static void deleteOwnKeys() {
    RedisClient c = RedisClient.create(URI);
    try (StatefulRedisConnection<String, String> conn = c.connect()) {
      List<String> keys = new ArrayList<>();
      ScanIterator.scan(conn.sync(), ScanArgs.Builder.matches(PREFIX + "*").limit(500))
          .forEachRemaining(keys::add);
      keys.forEach(k -> conn.sync().del(k));
    } finally {
      c.shutdown();
    }
  }

  private static ExampleApp instance() {
    return TestApps.start(
        Map.of(
            "threadwire.examples.transport",
            "tyrus",
            "threadwire.examples.log",
            "redis",
            "threadwire.redis.uri",
            URI,
            "threadwire.redis.key-prefix",
            PREFIX),
        com.google.inject.util.Modules.EMPTY_MODULE);
  }

  @Test
  @DisplayName("a message posted to B reaches A's client, and B's outcome counts it: 1 of 1 nodes")
  void postedToBDeliveredOnA() {
    try (ExampleApp a = instance();
        ExampleApp b = instance();
        LiveClient onA = WebSocketClient.open(a, "cluster-demo", null, null)) {
      await().until(() -> onA.frames("joined").size() == 1);

      Response r = TestApps.post(b, "/api/threads/cluster-demo/messages", "{\"text\":\"hi\"}");

      assertThat(r.text("status")).isEqualTo("DELIVERED");
      assertThat(r.json().path("deliveredCount").asInt()).isEqualTo(1);
      assertThat(r.json().path("nodesExpected").asInt()).isEqualTo(1);
      assertThat(r.json().path("nodesConfirmed").asInt()).isEqualTo(1);
      await().until(() -> onA.frames("message").size() == 1);
      assertThat(onA.frames("message").get(0).path("payload").path("text").asText())
          .isEqualTo("hi");
    }
  }
}
