package io.threadwire.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Settings are read from application.conf and every key can be overridden")
class ExampleSettingsTest {

  @Test
  @DisplayName("the shipped defaults: the Tyrus transport, loopback, port 8080, 64 KiB bodies")
  void defaults() {
    ExampleSettings s = ExampleSettings.from(ConfigFactory.load("application"));
    assertThat(s.transport()).isEqualTo(ExampleSettings.TransportKind.TYRUS);
    assertThat(s.httpHost()).isEqualTo("127.0.0.1");
    assertThat(s.httpPort()).isEqualTo(8080);
    assertThat(s.maxBodyBytes()).isEqualTo(64 * 1024);
  }

  @Test
  @DisplayName("an override takes precedence over application.conf")
  void override() {
    ExampleSettings s =
        ExampleSettings.from(
            TestApps.config(
                Map.of(
                    "threadwire.examples.http.port",
                    9091,
                    "threadwire.examples.agent-run.step-delay",
                    "2s")));
    assertThat(s.httpPort()).isEqualTo(9091);
    assertThat(s.agentStepDelay()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  @DisplayName("an out-of-range port fails naming the key")
  void badPort() {
    assertThatThrownBy(
            () ->
                ExampleSettings.from(
                    TestApps.config(Map.of("threadwire.examples.http.port", 70000))))
        .isInstanceOf(ConfigException.BadValue.class)
        .hasMessageContaining("threadwire.examples.http.port");
  }

  @Test
  @DisplayName("an unknown transport fails naming the key and the choices")
  void badTransport() {
    assertThatThrownBy(
            () ->
                ExampleSettings.from(
                    TestApps.config(Map.of("threadwire.examples.transport", "carrier-pigeon"))))
        .isInstanceOf(ConfigException.BadValue.class)
        .hasMessageContaining("threadwire.examples.transport")
        .hasMessageContaining("tyrus or inmemory");
  }

  @Test
  @DisplayName("an invalid startup-module setting stops the app, naming the key")
  void badStartupSetting() {
    assertThatThrownBy(
            () ->
                TestApps.start(
                    Map.of("threadwire.startup.deadline", "-1s"),
                    com.google.inject.util.Modules.EMPTY_MODULE))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("threadwire.startup.deadline");
  }

  @Test
  @DisplayName("an invalid WebSocket server setting stops the app, naming threadwire.tyrus")
  void badTyrusSetting() {
    assertThatThrownBy(
            () ->
                TestApps.start(
                    Map.of("threadwire.tyrus.path", "no-slash"),
                    com.google.inject.util.Modules.EMPTY_MODULE))
        .isInstanceOf(ConfigException.BadValue.class)
        .hasMessageContaining("threadwire.tyrus")
        .hasMessageContaining("path must start with '/'");
  }

  @Test
  @DisplayName("the app refuses to start on invalid configuration, naming the key")
  void appRefusesBadConfig() {
    assertThatThrownBy(
            () ->
                TestApps.start(
                    Map.of("threadwire.examples.http.port", -1),
                    com.google.inject.util.Modules.EMPTY_MODULE))
        .isInstanceOf(ConfigException.BadValue.class)
        .hasMessageContaining("threadwire.examples.http.port");
  }

  @Test
  @DisplayName("a mistyped value, as an environment variable may bring, names its full key")
  void mistypedValuesNameTheFullKey() {
    assertThatThrownBy(
            () ->
                ExampleSettings.from(
                    TestApps.config(Map.of("threadwire.examples.http.port", "abc"))))
        .isInstanceOf(ConfigException.WrongType.class)
        .hasMessageContaining("threadwire.examples.http.port");
    assertThatThrownBy(
            () ->
                ExampleSettings.from(
                    TestApps.config(Map.of("threadwire.examples.agent-run.step-delay", "soon"))))
        .isInstanceOf(ConfigException.BadValue.class)
        .hasMessageContaining("threadwire.examples.agent-run.step-delay");
    assertThatThrownBy(
            () ->
                TestApps.start(
                    Map.of("threadwire.tyrus.port", "abc"),
                    com.google.inject.util.Modules.EMPTY_MODULE))
        .isInstanceOf(ConfigException.WrongType.class)
        .hasMessageContaining("threadwire.tyrus.port");
  }

  @Test
  @DisplayName(
      "Tyrus and hub settings are validated when the module is built, before any port is bound")
  void transportSettingsValidatedFirst() {
    assertThatThrownBy(
            () ->
                new ExampleModule(
                    TestApps.config(Map.of("threadwire.tyrus.outbound.max-queued-frame", 10))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("threadwire.tyrus.outbound.max-queued-frame");
    assertThatThrownBy(
            () ->
                new ExampleModule(
                    TestApps.config(Map.of("threadwire.hub.history.max-messages", 0))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("threadwire.hub.history.max-messages");
  }

  @Test
  @DisplayName("an unknown key under threadwire.examples is refused with a suggestion")
  void unknownExampleKey() {
    assertThatThrownBy(
            () -> ExampleSettings.from(TestApps.config(Map.of("threadwire.examples.http.prot", 1))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("did you mean threadwire.examples.http.port?");
  }
}
