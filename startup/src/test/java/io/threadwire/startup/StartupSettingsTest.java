package io.threadwire.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.threadwire.ThreadId;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("StartupSettings")
class StartupSettingsTest {

  static StartupSettings read(String hocon) {
    return StartupSettings.fromConfig(ConfigFactory.parseString(hocon));
  }

  @Test
  @DisplayName("the builder starts from the defaults, round-trips, and validates on build")
  void builder() {
    assertThat(StartupSettings.builder().build()).isEqualTo(StartupSettings.defaults());
    StartupSettings s =
        StartupSettings.builder()
            .deadline(Duration.ofSeconds(7))
            .checkTimeout(Duration.ofSeconds(1))
            .backoff(Duration.ofMillis(10), Duration.ofMillis(50), 3.0)
            .probeEnabled(false)
            .probeThread(ThreadId.of("p"))
            .build();
    assertThat(s)
        .isEqualTo(
            StartupSettings.defaults()
                .withDeadline(Duration.ofSeconds(7))
                .withCheckTimeout(Duration.ofSeconds(1))
                .withBackoff(Duration.ofMillis(10), Duration.ofMillis(50), 3.0)
                .withProbeEnabled(false)
                .withProbeThread(ThreadId.of("p")));
    assertThat(s.toBuilder().build()).isEqualTo(s);
    assertThatThrownBy(() -> StartupSettings.builder().checkTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("checkTimeout");
  }

  @Test
  @DisplayName("reference.conf holds exactly the documented defaults")
  void referenceEqualsDefaults() {
    assertThat(read("")).isEqualTo(StartupSettings.defaults());
    assertThat(StartupSettings.fromConfig(ConfigFactory.load()))
        .isEqualTo(StartupSettings.defaults());

    StartupSettings d = StartupSettings.defaults();
    assertThat(d.deadline()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.checkTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.backoffInitial()).isEqualTo(Duration.ofMillis(100));
    assertThat(d.backoffMax()).isEqualTo(Duration.ofSeconds(2));
    assertThat(d.backoffMultiplier()).isEqualTo(2.0);
    assertThat(d.probeEnabled()).isTrue();
    assertThat(d.probeThread()).isEqualTo(ThreadId.of("threadwire.probe"));
  }

  @Test
  @DisplayName("reads every key, taking defaults for the keys it lacks")
  void readsEveryKey() {
    StartupSettings s =
        read(
            """
            threadwire.startup {
              deadline = 1m
              check-timeout = 750ms
              backoff { initial = 50ms, max = 5s, multiplier = 1.5 }
              probe { enabled = false, thread = "ops:probe" }
            }
            """);

    assertThat(s)
        .isEqualTo(
            new StartupSettings(
                Duration.ofMinutes(1),
                Duration.ofMillis(750),
                Duration.ofMillis(50),
                Duration.ofSeconds(5),
                1.5,
                false,
                ThreadId.of("ops:probe")));
    assertThat(read("threadwire.startup.deadline = 45s"))
        .isEqualTo(StartupSettings.defaults().withDeadline(Duration.ofSeconds(45)));
  }

  @Test
  @DisplayName("resolves substitutions in a host's unresolved configuration")
  void resolves() {
    StartupSettings s = read("app.timeout = 2s\nthreadwire.startup.check-timeout = ${app.timeout}");

    assertThat(s.checkTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Nested
  @DisplayName("invalid configuration fails fast, naming the key")
  class Invalid {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "deadline           | -1s        | must be a positive duration",
          "deadline           | 0s         | must be a positive duration",
          "check-timeout      | 0ms        | must be a positive duration",
          "backoff.initial    | -5ms       | must be a positive duration",
          "backoff.max        | 0s         | must be a positive duration",
          "deadline           | soon       | ",
          "check-timeout      | [1, 2]     | ",
          "backoff.multiplier | 0.5        | must be a finite number >= 1.0",
          "backoff.multiplier | lots       | ",
          "probe.enabled      | maybe      | ",
          "probe.thread       | \"has space\" | must be a thread id of 1-128 characters",
          "probe.thread       | \"\"       | must be a thread id",
          "probe              | 5          | ",
        })
    void namesTheKey(String key, String value, String message) {
      String path = "threadwire.startup." + key;

      assertThatThrownBy(() -> read(path + " = " + value))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(path)
          .hasMessageContaining(message == null ? "" : message);
    }

    @Test
    @DisplayName("backoff.max shorter than backoff.initial names backoff.max")
    void maxBelowInitial() {
      assertThatThrownBy(() -> read("threadwire.startup.backoff { initial = 2s, max = 1s }"))
          .isInstanceOf(ConfigException.BadValue.class)
          .hasMessageContaining("threadwire.startup.backoff.max")
          .hasMessageContaining("must not be shorter than threadwire.startup.backoff.initial");
    }

    @Test
    @DisplayName("an unknown key (a typo) is named instead of silently ignored")
    void unknownKey() {
      assertThatThrownBy(() -> read("threadwire.startup.dedline = 5s"))
          .isInstanceOf(ConfigException.BadValue.class)
          .hasMessageContaining("threadwire.startup.dedline")
          .hasMessageContaining("unknown key")
          .hasMessageContaining("did you mean threadwire.startup.deadline?");
    }

    @Test
    @DisplayName("threadwire.startup that is not an object is named")
    void notAnObject() {
      assertThatThrownBy(() -> read("threadwire.startup = 5"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("threadwire.startup");
    }
  }

  @Test
  @DisplayName("the record refuses out-of-range values in code too, naming the setting")
  void recordValidates() {
    StartupSettings d = StartupSettings.defaults();
    assertThatThrownBy(() -> d.withDeadline(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deadline");
    assertThatThrownBy(() -> d.withCheckTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("checkTimeout");
    assertThatThrownBy(() -> d.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("backoffMax");
    assertThatThrownBy(
            () -> d.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("backoffMultiplier");
    assertThatThrownBy(() -> d.withProbeThread(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("probeThread");
  }
}
