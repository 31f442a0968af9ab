package io.threadwire.tyrus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.threadwire.HistoryPolicy;
import io.threadwire.ThreadId;
import io.threadwire.hub.HubSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Configuration is read at the edge and fails fast naming the key")
class TyrusConfigTest {

  private static Config with(String hocon) {
    return ConfigFactory.parseString(hocon)
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  @Test
  @DisplayName("reference.conf holds exactly the documented defaults")
  void defaults() {
    Config reference = ConfigFactory.defaultReference();
    assertThat(TyrusConfig.tyrusSettings(reference)).isEqualTo(TyrusSettings.defaults());
    assertThat(TyrusSettings.fromConfig(reference)).isEqualTo(TyrusSettings.defaults());
    assertThat(TyrusConfig.hubSettings(reference)).isEqualTo(HubSettings.defaults());
  }

  @Test
  @DisplayName("every key can be overridden")
  void overrides() {
    Config c =
        with(
            """
            threadwire.tyrus {
              host = "0.0.0.0", port = 0, path = "/ws", allowed-origins = ["https://a.example"]
              max-frame-size = 16KiB, outbound { max-queued-frames = 8, write-timeout = 2s }
              rate-limit { frames = 5, per = 10s, burst = 6, close-after = 7 }
            }
            threadwire.hub {
              send-timeout = 3s, max-threads-per-connection = 4
              history { max-messages = 10, overflow = reject }
              history-prefixes { "typing." { enabled = false } }
            }
            """);
    TyrusSettings t = TyrusConfig.tyrusSettings(c);
    assertThat(t.host()).isEqualTo("0.0.0.0");
    assertThat(t.port()).isZero();
    assertThat(t.path()).isEqualTo("/ws");
    assertThat(t.allowedOrigins()).isEqualTo(List.of("https://a.example"));
    assertThat(t.maxFrameBytes()).isEqualTo(16 * 1024);
    assertThat(t.maxQueuedFrames()).isEqualTo(8);
    assertThat(t.writeTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(t.rateLimit())
        .isEqualTo(new TyrusSettings.RateLimit(5, Duration.ofSeconds(10), 6, 7));
    HubSettings h = TyrusConfig.hubSettings(c);
    assertThat(h.sendTimeout()).isEqualTo(Duration.ofSeconds(3));
    TyrusSettings bounds =
        TyrusConfig.tyrusSettings(
            with(
                """
                threadwire.tyrus {
                  max-connections = 50, max-connections-per-address = 5
                  handshake { timeout = 3s, max-pending = 7 }
                  outbound { max-total-queued-bytes = 64MiB, max-total-queued-heap-percent = 10 }
                }
                """));
    assertThat(bounds.maxConnections()).isEqualTo(50);
    assertThat(bounds.connectionLimit()).as("a fixed bound wins").isEqualTo(50);
    long fds =
        ((com.sun.management.UnixOperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getMaxFileDescriptorCount();
    assertThat(TyrusSettings.defaults().connectionLimit())
        .as("by default nine tenths of the descriptor limit")
        .isEqualTo((int) Math.min(fds - 64, fds / 10 * 9));
    assertThat(bounds.maxConnectionsPerAddress()).isEqualTo(5);
    assertThat(bounds.handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(bounds.maxPendingHandshakes()).isEqualTo(7);
    assertThat(bounds.maxTotalQueuedBytes()).isEqualTo(64L << 20);
    assertThat(bounds.outboundBudgetBytes()).as("a fixed size wins").isEqualTo(64L << 20);
    assertThat(bounds.maxTotalQueuedHeapPercent()).isEqualTo(10);
    assertThat(TyrusSettings.defaults().outboundBudgetBytes())
        .as("by default a quarter of the heap")
        .isEqualTo(Runtime.getRuntime().maxMemory() / 100 * 25);
    assertThat(h.maxThreadsPerConnection()).isEqualTo(4);
    HistoryPolicy room = h.historyPolicies().policyFor(ThreadId.of("room-1"));
    assertThat(room.maxMessages()).isEqualTo(10);
    assertThat(room.overflow()).isEqualTo(HistoryPolicy.Overflow.REJECT);
    HistoryPolicy typing = h.historyPolicies().policyFor(ThreadId.of("typing.room-1"));
    assertThat(typing.enabled()).isFalse();
  }

  @Test
  @DisplayName("a value out of range names its key")
  void outOfRange() {
    assertThatThrownBy(() -> TyrusConfig.tyrusSettings(with("threadwire.tyrus.port = 70000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("threadwire.tyrus.port");
    assertThatThrownBy(
            () -> TyrusConfig.tyrusSettings(with("threadwire.tyrus.outbound.write-timeout = 0s")))
        .hasMessageContaining("threadwire.tyrus.outbound.write-timeout");
    assertThatThrownBy(
            () -> TyrusConfig.tyrusSettings(with("threadwire.tyrus.rate-limit.burst = 0")))
        .hasMessageContaining("threadwire.tyrus.rate-limit.burst");
    for (String bad :
        List.of(
            "max-connections = -1",
            "max-connections-per-address = -1",
            "handshake.timeout = 0s",
            "handshake.max-pending = 0",
            "outbound.max-total-queued-bytes = -1",
            "outbound.max-total-queued-heap-percent = 91")) {
      String key = bad.substring(0, bad.indexOf(' '));
      assertThatThrownBy(() -> TyrusConfig.tyrusSettings(with("threadwire.tyrus." + bad)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("threadwire.tyrus." + key);
    }
    assertThatThrownBy(
            () -> TyrusConfig.hubSettings(with("threadwire.hub.max-threads-per-connection = 0")))
        .hasMessageContaining("threadwire.hub.max-threads-per-connection");
    assertThatThrownBy(
            () -> TyrusConfig.hubSettings(with("threadwire.hub.history.max-messages = 0")))
        .hasMessageContaining("threadwire.hub.history");
  }

  @Test
  @DisplayName("a mistyped, unparsable or unknown-enum value names its full key")
  void mistyped() {
    assertThatThrownBy(() -> TyrusConfig.tyrusSettings(with("threadwire.tyrus.port = eighty")))
        .isInstanceOf(ConfigException.WrongType.class)
        .hasMessageContaining("threadwire.tyrus.port");
    assertThatThrownBy(
            () -> TyrusConfig.tyrusSettings(with("threadwire.tyrus.outbound.write-timeout = soon")))
        .isInstanceOf(ConfigException.BadValue.class)
        .hasMessageContaining("threadwire.tyrus.outbound.write-timeout");
    assertThatThrownBy(
            () -> TyrusConfig.tyrusSettings(with("threadwire.tyrus.rate-limit.frames = many")))
        .hasMessageContaining("threadwire.tyrus.rate-limit.frames");
    assertThatThrownBy(
            () -> TyrusConfig.hubSettings(with("threadwire.hub.history.max-messages = lots")))
        .hasMessageContaining("threadwire.hub.history.max-messages");
    assertThatThrownBy(
            () ->
                TyrusConfig.hubSettings(
                    with("threadwire.hub.history-prefixes { \"typing.\" { max-age = old } }")))
        .hasMessageContaining("threadwire.hub.history-prefixes.\"typing.\".max-age");
    assertThatThrownBy(
            () -> TyrusConfig.hubSettings(with("threadwire.hub.history.overflow = sometimes")))
        .hasMessageContaining("threadwire.hub.history.overflow");
    assertThatThrownBy(() -> TyrusConfig.tyrusSettings(ConfigFactory.parseString("a = 1")))
        .isInstanceOf(ConfigException.Missing.class)
        .hasMessageContaining("threadwire");
  }

  @Test
  @DisplayName(
      "a misspelled key under threadwire.tyrus is refused, the nearest known key suggested")
  void unknownTyrusKey() {
    assertThatThrownBy(
            () ->
                TyrusConfig.tyrusSettings(with("threadwire.tyrus.outbound.max-queued-frame = 10")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("threadwire.tyrus.outbound.max-queued-frame")
        .hasMessageContaining("did you mean threadwire.tyrus.outbound.max-queued-frames?");
  }

  @Test
  @DisplayName("a misspelled key under threadwire.hub, or in a history prefix, is refused")
  void unknownHubKey() {
    assertThatThrownBy(() -> TyrusConfig.hubSettings(with("threadwire.hub.send-timout = 1s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("did you mean threadwire.hub.send-timeout?");
    assertThatThrownBy(
            () ->
                TyrusConfig.hubSettings(
                    with("threadwire.hub.history-prefixes { \"typing.\" { enabeld = false } }")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("enabeld")
        .hasMessageContaining("did you mean");
    assertThat(
            TyrusConfig.hubSettings(
                with("threadwire.hub.history-prefixes { \"typing.\" { enabled = false } }")))
        .isNotNull();
  }

  @Test
  @DisplayName("history bounds are reported with their full keys, not Java field names")
  void historyKeys() {
    assertThatThrownBy(
            () -> TyrusConfig.hubSettings(with("threadwire.hub.history.max-messages = 0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("threadwire.hub.history.max-messages")
        .hasMessageNotContaining("maxMessages");
    assertThatThrownBy(() -> TyrusConfig.hubSettings(with("threadwire.hub.history.max-bytes = 0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("threadwire.hub.history.max-bytes")
        .hasMessageNotContaining("maxBytes");
  }

  @Test
  @DisplayName("an unresolvable host is refused naming the key")
  void unresolvableHost() {
    assertThatThrownBy(
            () ->
                TyrusConfig.tyrusSettings(with("threadwire.tyrus.host = \"no-such-host.invalid\"")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("threadwire.tyrus.host")
        .hasMessageContaining("no-such-host.invalid");
  }
}
