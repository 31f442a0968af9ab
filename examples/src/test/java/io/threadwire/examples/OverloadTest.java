package io.threadwire.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.name.Named;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The HTTP side under overload, and its sockets")
class OverloadTest {

  /** A request pool of one thread, with the JDK's default policy: a rejection throws. */
  static final class OneThread extends AbstractModule {
    @Provides
    @jakarta.inject.Singleton
    @Named("http")
    ExecutorService http() {
      return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new SynchronousQueue<>());
    }
  }

  @Test
  @DisplayName("a request the full pool cannot take is answered 503 with Retry-After, not reset")
  void overloadAnswers503() {
    try (ExampleApp app =
        TestApps.start(Map.of("threadwire.examples.transport", "inmemory"), new OneThread())) {
      // An event stream holds the pool's only thread for as long as it is open.
      SseClient stream = SseClient.open(app, "busy", null, null);
      try {
        TestApps.Response refused = TestApps.get(app, "/health/live");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.raw().headers().firstValue("Retry-After")).contains("1");
        assertThat(refused.text("error")).isEqualTo("overloaded");
      } finally {
        stream.close();
      }
    }
  }

  @Test
  @DisplayName("the request pool's bound is configurable")
  void maxThreadsConfigurable() {
    assertThat(
            ExampleSettings.from(TestApps.config(Map.of("threadwire.examples.http.max-threads", 7)))
                .httpMaxThreads())
        .isEqualTo(7);
    assertThat(ExampleSettings.from(TestApps.config(Map.of())).httpMaxThreads()).isEqualTo(200);
  }

  @Test
  @DisplayName("the HTTP server sets TCP_NODELAY (sun.net.httpserver.nodelay) before it binds")
  void noDelay() {
    try (ExampleApp app = TestApps.start()) {
      assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
      assertThat(TestApps.get(app, "/health/live").status()).isEqualTo(200);
    }
  }
}
