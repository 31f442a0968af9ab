package io.threadwire.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.threadwire.HistoryPolicies;
import io.threadwire.HistoryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HubSettingsTest {

  @Test
  @DisplayName("the builder starts from the defaults and sets what the withers set")
  void builderMatchesWithers() {
    assertThat(HubSettings.builder().build()).isEqualTo(HubSettings.defaults());
    HistoryPolicies history = HistoryPolicies.uniform(HistoryPolicy.defaults().withMaxMessages(7));
    HubSettings built =
        HubSettings.builder()
            .sendTimeout(Duration.ofSeconds(3))
            .idleThreadTtl(Duration.ofMinutes(1))
            .idempotency(Duration.ofSeconds(30), 10)
            .maxThreadsPerConnection(5)
            .maxMessageBytes(4096)
            .maintenanceInterval(Duration.ofMillis(250))
            .historyPolicies(history)
            .outcomeDeadline(Duration.ofMillis(500))
            .build();
    assertThat(built)
        .isEqualTo(
            HubSettings.defaults()
                .withSendTimeout(Duration.ofSeconds(3))
                .withIdleThreadTtl(Duration.ofMinutes(1))
                .withIdempotency(Duration.ofSeconds(30), 10)
                .withMaxThreadsPerConnection(5)
                .withMaxMessageBytes(4096)
                .withMaintenanceInterval(Duration.ofMillis(250))
                .withHistoryPolicies(history)
                .withOutcomeDeadline(Duration.ofMillis(500)));
    assertThat(built.toBuilder().build()).isEqualTo(built);
  }

  @Test
  @DisplayName("build() refuses a value out of range and names the setting")
  void buildValidates() {
    assertThatThrownBy(() -> HubSettings.builder().outcomeDeadline(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outcomeDeadline");
    assertThatThrownBy(() -> HubSettings.builder().maxMessageBytes(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxMessageBytes");
  }
}
