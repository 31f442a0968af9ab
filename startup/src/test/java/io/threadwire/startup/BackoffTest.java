package io.threadwire.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Backoff")
class BackoffTest {

  @Test
  @DisplayName("grows from the initial pause by the multiplier and never exceeds the maximum")
  void exponentialAndCapped() {
    Backoff backoff =
        Backoff.of(
            StartupSettings.defaults()
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0));

    assertThat(IntStream.rangeClosed(1, 8).mapToObj(backoff::pauseAfter))
        .containsExactly(
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(400),
            Duration.ofMillis(800),
            Duration.ofMillis(1600),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2));
    assertThat(backoff.pauseAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  @DisplayName("a multiplier of 1 keeps the pause constant")
  void constant() {
    Backoff backoff =
        Backoff.of(
            StartupSettings.defaults()
                .withBackoff(Duration.ofMillis(250), Duration.ofSeconds(1), 1.0));

    assertThat(IntStream.rangeClosed(1, 5).mapToObj(backoff::pauseAfter))
        .containsOnly(Duration.ofMillis(250));
  }
}
