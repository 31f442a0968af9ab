package io.threadwire.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The real Redis the tests run against (127.0.0.1:6379, or the system property {@code
 * threadwire.redis.test-uri}), with one key prefix per test run so no test touches a key it did not
 * create. An unreachable Redis fails the test run, with the address, instead of skipping it.
 */
final class RedisTestSupport {

  static final String URI =
      System.getProperty("threadwire.redis.test-uri", "redis://127.0.0.1:6379");
  static final String PREFIX = "twtest-" + UUID.randomUUID().toString().substring(0, 8);

  private RedisTestSupport() {}

  private static final java.util.concurrent.atomic.AtomicInteger NEXT =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Returns settings with a key prefix of their own, under this run's prefix. */
  static RedisSettings settings() {
    return settings(URI);
  }

  /** Returns settings for {@code uri} with a key prefix of their own, under this run's prefix. */
  static RedisSettings settings(String uri) {
    return RedisSettings.builder()
        .uri(uri)
        .keyPrefix(PREFIX + "-" + NEXT.incrementAndGet())
        .positionCheckInterval(java.time.Duration.ofMillis(200))
        .build();
  }

  /** Fails with the address when Redis does not answer PING. */
  static void requireRedis() {
    RedisClient c = RedisClient.create(URI);
    try (StatefulRedisConnection<String, String> conn = c.connect()) {
      conn.sync().ping();
    } catch (RuntimeException e) {
      throw new AssertionError(
          "these tests need a real Redis at "
              + URI
              + " (start redis-server, or set -Dthreadwire.redis.test-uri): "
              + e,
          e);
    } finally {
      c.shutdown();
    }
  }

  /**
   * Returns how many entries the streams under {@code prefix} hold for threads written to within
   * {@code idleMillis} of {@code nowMillis} (by the log's clock), which are the threads a hub on
   * that clock still tracks.
   */
  static long storedMessages(String prefix, long nowMillis, long idleMillis) {
    RedisClient c = RedisClient.create(URI);
    try (StatefulRedisConnection<String, String> conn = c.connect()) {
      List<String> keys = new ArrayList<>();
      ScanIterator.scan(conn.sync(), ScanArgs.Builder.matches(prefix + ":{*}:stream").limit(500))
          .forEachRemaining(keys::add);
      long n = 0;
      for (String k : keys) {
        String meta = k.substring(0, k.length() - "stream".length()) + "meta";
        String last = conn.sync().hget(meta, "last");
        if (last != null && nowMillis - Long.parseLong(last) < idleMillis) {
          n += conn.sync().xlen(k);
        }
      }
      return n;
    } finally {
      c.shutdown();
    }
  }

  /** Deletes this run's keys (SCAN MATCH prefix*), never anything else. */
  static void deleteOwnKeys() {
    RedisClient c = RedisClient.create(URI);
    try (StatefulRedisConnection<String, String> conn = c.connect()) {
      List<String> keys = new ArrayList<>();
      ScanIterator.scan(conn.sync(), ScanArgs.Builder.matches(PREFIX + "*").limit(500))
          .forEachRemaining(keys::add);
      for (String k : keys) {
        conn.sync().del(k);
      }
    } finally {
      c.shutdown();
    }
  }
}
