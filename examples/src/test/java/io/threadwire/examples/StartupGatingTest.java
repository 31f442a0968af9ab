package io.threadwire.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.util.Modules;
import io.threadwire.examples.TestApps.Response;
import io.threadwire.startup.StartupFailedException;
import jakarta.inject.Singleton;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Startup is gated on messaging readiness, not on connections")
class StartupGatingTest {

  @Test
  @DisplayName("with the production configuration and zero clients the app starts and is ready")
  void zeroClientsIsReady() {
    try (ExampleApp app = TestApps.start()) {
      Response ready = TestApps.get(app, "/health/ready");
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.json().path("report").path("summary").asText())
          .contains("nobody joins the probe thread");
    }
  }

  @Test
  @DisplayName("when messaging is broken the app refuses to start, with the readiness report")
  void brokenMessagingRefusesToStart() throws Exception {
    AtomicReference<FaultyTransport> transport = new AtomicReference<>();
    assertThatThrownBy(() -> TestApps.start(Map.of(), faulty(true, transport)))
        .isInstanceOf(StartupFailedException.class)
        .hasMessageContaining("check 'messaging' failed first (FAILED)")
        .hasMessageContaining("TRANSPORT_FAILURE")
        .hasMessageContaining("injected: the broker is unreachable");
    assertThat(transport.get().messaging().state())
        .as("the port is closed again when startup fails")
        .isEqualTo(io.threadwire.ThreadMessaging.State.CLOSED);
  }

  @Test
  @DisplayName("the HTTP port is not opened when startup fails")
  void noServingWhenBroken() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    assertThatThrownBy(
            () ->
                TestApps.start(
                    Map.of("threadwire.examples.http.port", port),
                    faulty(true, new AtomicReference<>())))
        .isInstanceOf(StartupFailedException.class);
    try (Socket s = new Socket()) {
      assertThatThrownBy(() -> s.connect(new InetSocketAddress("127.0.0.1", port), 2000))
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  @DisplayName("a taken HTTP port fails at once, naming the address")
  void httpPortInUse() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThatThrownBy(
              () ->
                  TestApps.start(
                      Map.of("threadwire.examples.http.port", port), Modules.EMPTY_MODULE))
          .isInstanceOf(java.io.UncheckedIOException.class)
          .hasMessageContaining("could not bind the HTTP server to 127.0.0.1:" + port);
    }
  }

  @Test
  @DisplayName("a taken WebSocket port fails at once, naming it, and frees the HTTP port")
  void webSocketPortInUse() throws Exception {
    int httpPort;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      httpPort = free.getLocalPort();
    }
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int wsPort = taken.getLocalPort();
      assertThatThrownBy(
              () ->
                  TestApps.start(
                      Map.of(
                          "threadwire.examples.transport", "tyrus",
                          "threadwire.examples.http.port", httpPort,
                          "threadwire.tyrus.port", wsPort),
                      Modules.EMPTY_MODULE))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("127.0.0.1:" + wsPort);
    }
    try (Socket s = new Socket()) {
      assertThatThrownBy(() -> s.connect(new InetSocketAddress("127.0.0.1", httpPort), 2000))
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  @DisplayName("when messaging breaks after startup, /health/ready answers 503 with the report")
  void readinessFollowsTheTransport() {
    AtomicReference<FaultyTransport> transport = new AtomicReference<>();
    try (ExampleApp app = TestApps.start(Map.of(), faulty(false, transport))) {
      assertThat(TestApps.get(app, "/health/ready").status()).isEqualTo(200);
      transport.get().setFailing(true);
      Response notReady = TestApps.get(app, "/health/ready");
      assertThat(notReady.status()).isEqualTo(503);
      assertThat(notReady.text("status")).isEqualTo("NOT_READY");
      assertThat(notReady.json().path("report").path("checks").get(0).path("reason").asText())
          .contains("injected: the broker is unreachable");
      Response send = TestApps.post(app, "/api/threads/t/messages", "{}");
      assertThat(send.status()).isEqualTo(503);
      assertThat(send.text("status")).isEqualTo("ERROR");
      assertThat(send.text("errorKind")).isEqualTo("TRANSPORT_FAILURE");
      assertThat(TestApps.get(app, "/health/live").status()).isEqualTo(200);
    }
  }

  private static Module faulty(boolean failing, AtomicReference<FaultyTransport> created) {
    return new AbstractModule() {
      @Provides
      @Singleton
      LiveTransport transport(ObjectMapper json, ExampleSettings settings) {
        FaultyTransport t = new FaultyTransport(new InMemoryLiveTransport(json, settings), failing);
        created.set(t);
        return t;
      }
    };
  }
}
