package io.threadwire.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.typesafe.config.ConfigFactory;
import io.threadwire.ThreadMessaging;
import io.threadwire.UserId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("socket")
@DisplayName("The Guice module is a thin wrapper over the factory")
class ThreadwireTyrusModuleTest {

  @Test
  @DisplayName("binds one server from config, with the host's authenticator")
  void wiresFromConfig() {
    Injector injector =
        Guice.createInjector(
            ThreadwireTyrusModule.fromConfig(
                ConfigFactory.parseString("threadwire.tyrus.port = 0")
                    .withFallback(ConfigFactory.defaultReference())
                    .resolve()),
            binder ->
                binder
                    .bind(HandshakeAuthenticator.class)
                    .toInstance(h -> h.token().map(UserId::of)));
    TyrusThreadMessaging messaging = injector.getInstance(TyrusThreadMessaging.class);
    assertThat(injector.getInstance(ThreadMessaging.class)).isSameAs(messaging);
    assertThat(messaging.state()).isEqualTo(ThreadMessaging.State.NEW);
    try (messaging) {
      messaging.start();
      assertThat(TestClient.connectFailure(messaging.uri(), Map.of())).isNotNull();
      try (TestClient c =
          TestClient.connect(messaging.uri(), Map.of("Authorization", "Bearer ada"))) {
        assertThat(c.await(f -> f.has("user")).path("user").asText()).isEqualTo("ada");
      }
    }
  }

  @Test
  @DisplayName("without bindings, everyone is allowed")
  void defaultsAllowAll() {
    Injector injector =
        Guice.createInjector(
            ThreadwireTyrusModule.of(
                TyrusSettings.builder().port(0).build(), io.threadwire.hub.HubSettings.defaults()));
    try (TyrusThreadMessaging messaging = injector.getInstance(TyrusThreadMessaging.class)) {
      messaging.start();
      try (TestClient c = TestClient.connect(messaging.uri(), Map.of())) {
        assertThat(c.await(f -> f.has("user")).path("user").asText())
            .isEqualTo(UserId.anonymous().value());
      }
      assertThat(Optional.of(messaging.boundPort())).get().isNotEqualTo(0);
    }
  }
}
