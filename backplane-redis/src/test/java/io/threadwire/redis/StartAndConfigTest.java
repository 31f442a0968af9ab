package io.threadwire.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.threadwire.Message;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Starting without Redis, the settings, the configuration reader and the message encoding. */
class StartAndConfigTest {

  @Test
  @DisplayName("starting against an address where nothing listens fails, naming the address")
  void startWithoutRedisFails() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    RedisThreadLog log =
        RedisThreadLog.create(
            RedisSettings.builder()
                .uri("redis://127.0.0.1:" + port)
                .connectTimeout(Duration.ofMillis(500))
                .build());
    assertThatThrownBy(log::start)
        .isInstanceOf(RedisLogException.class)
        .hasMessageContaining("redis://127.0.0.1:" + port);
    log.close();
  }

  @Test
  @DisplayName("reference.conf holds the defaults of the settings")
  void referenceConfIsTheDefaults() {
    RedisSettings s = RedisConfig.settings(ConfigFactory.load());
    assertThat(s.toString()).isEqualTo(RedisSettings.defaults().toString());
  }

  @Test
  @DisplayName("a bad value is refused with its full key")
  void badValueNamesTheKey() {
    assertThatThrownBy(
            () ->
                RedisConfig.settings(
                    ConfigFactory.parseString("threadwire.redis.command-timeout = 0s")
                        .withFallback(ConfigFactory.load())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("threadwire.redis.command-timeout");
    assertThatThrownBy(
            () ->
                RedisConfig.settings(
                    ConfigFactory.parseString("threadwire.redis.key-prefix = \"a{b}\"")
                        .withFallback(ConfigFactory.load())))
        .hasMessageContaining("threadwire.redis.key-prefix");
  }

  @Test
  @DisplayName("the outcome deadline is read, 1s by default, and a bad one is refused by its key")
  void outcomeDeadline() {
    assertThat(RedisSettings.defaults().outcomeDeadline()).isEqualTo(Duration.ofSeconds(1));
    assertThat(
            RedisConfig.settings(
                    ConfigFactory.parseString("threadwire.redis.outcome-deadline = 250ms")
                        .withFallback(ConfigFactory.load()))
                .outcomeDeadline())
        .isEqualTo(Duration.ofMillis(250));
    assertThatThrownBy(
            () ->
                RedisConfig.settings(
                    ConfigFactory.parseString("threadwire.redis.outcome-deadline = 0s")
                        .withFallback(ConfigFactory.load())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("threadwire.redis.outcome-deadline");
  }

  @Test
  @DisplayName("heartbeat and node-ttl are read, and a node TTL under two heartbeats is refused")
  void presenceSettings() {
    RedisSettings s =
        RedisConfig.settings(
            ConfigFactory.parseString("threadwire.redis { heartbeat = 250ms, node-ttl = 3s }")
                .withFallback(ConfigFactory.load()));
    assertThat(s.heartbeat()).isEqualTo(java.time.Duration.ofMillis(250));
    assertThat(s.nodeTtl()).isEqualTo(java.time.Duration.ofSeconds(3));
    assertThat(RedisSettings.defaults().heartbeat()).isEqualTo(java.time.Duration.ofSeconds(1));
    assertThat(RedisSettings.defaults().nodeTtl()).isEqualTo(java.time.Duration.ofSeconds(5));
    assertThatThrownBy(
            () ->
                RedisConfig.settings(
                    ConfigFactory.parseString("threadwire.redis { heartbeat = 2s, node-ttl = 3s }")
                        .withFallback(ConfigFactory.load())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("threadwire.redis.node-ttl")
        .hasMessageContaining("twice the heartbeat");
    assertThatThrownBy(
            () ->
                RedisConfig.settings(
                    ConfigFactory.parseString("threadwire.redis.heartbeat = 0s")
                        .withFallback(ConfigFactory.load())))
        .hasMessageContaining("threadwire.redis.heartbeat");
  }

  @Test
  @DisplayName("an unknown key is refused with its full key")
  void unknownKeyRefused() {
    assertThatThrownBy(
            () ->
                RedisConfig.settings(
                    ConfigFactory.parseString("threadwire.redis.comand-timeout = 1s")
                        .withFallback(ConfigFactory.load())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("threadwire.redis.comand-timeout")
        .hasMessageContaining("did you mean threadwire.redis.command-timeout?");
  }

  @Test
  @DisplayName("a password in the URI never reaches messages")
  void passwordRedacted() {
    RedisSettings s = RedisSettings.builder().uri("redis://secret@127.0.0.1:6379").build();
    assertThat(s.toString()).doesNotContain("secret").contains("***@127.0.0.1:6379");
  }

  @Test
  @DisplayName("a message survives the encoding: separators, newlines, non-ASCII, metadata, key")
  void codecRoundTrip() {
    Message m =
        Message.builder("12:ab\n{\"é\":\"😀\"} 3:")
            .id("id:1 2")
            .metadata("k:1", "v\n2")
            .metadata("", "")
            .idempotencyKey("key 7:")
            .build();
    byte[] b = Codec.encode(m);
    assertThat(Codec.decode(b, 0)).isEqualTo(m);
    Message plain = Message.of("x");
    assertThat(Codec.decode(Codec.encode(plain), 0)).isEqualTo(plain);
    assertThatThrownBy(() -> Codec.decode(new byte[] {'9', ':', 'a'}, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
