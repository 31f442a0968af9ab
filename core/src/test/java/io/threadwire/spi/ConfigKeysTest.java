package io.threadwire.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ConfigKeys: one way to refuse unknown keys and check durations and sizes")
class ConfigKeysTest {

  private static final Set<String> KNOWN =
      Set.of("port", "outbound.max-queued-frames", "outbound.max-queued-bytes", "idle-timeout");

  @Test
  @DisplayName("the nearest known key is suggested for a typo, nothing for an unrelated key")
  void nearest() {
    assertThat(ConfigKeys.nearest("outbound.max-queued-frame", KNOWN))
        .contains("outbound.max-queued-frames");
    assertThat(ConfigKeys.nearest("idle-timout", KNOWN)).contains("idle-timeout");
    assertThat(ConfigKeys.nearest("completely-different-thing", KNOWN)).isEmpty();
  }

  @Test
  @DisplayName("the first unknown key is named with its full path and the suggestion")
  void unknown() {
    assertThat(
            ConfigKeys.unknownKey(
                "threadwire.tyrus", List.of("port", "outbound.max-queued-frame"), KNOWN))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("threadwire.tyrus.outbound.max-queued-frame")
                    .contains("did you mean threadwire.tyrus.outbound.max-queued-frames?"));
    assertThat(ConfigKeys.unknownKey("threadwire.tyrus", List.of("port"), KNOWN)).isEmpty();
  }

  @Test
  @DisplayName("durations must be positive and sizes at least their minimum, naming the key")
  void checks() {
    assertThat(ConfigKeys.requirePositive("a.b", Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> ConfigKeys.requirePositive("threadwire.x.timeout", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("threadwire.x.timeout must be a positive duration");
    assertThat(ConfigKeys.requireAtLeast("n", 5, 1)).isEqualTo(5);
    assertThatThrownBy(() -> ConfigKeys.requireAtLeast("threadwire.x.max", 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threadwire.x.max must be >= 1, got 0");
  }
}
