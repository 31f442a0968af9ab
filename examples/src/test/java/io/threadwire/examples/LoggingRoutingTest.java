package io.threadwire.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Handler;
import java.util.logging.LogManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.bridge.SLF4JBridgeHandler;

@DisplayName("The example routes java.util.logging and System.Logger into SLF4J")
class LoggingRoutingTest {

  private final ExampleApp app = TestApps.start();

  @AfterEach
  void close() {
    app.close();
  }

  @Test
  @DisplayName("JUL's root logger has only the SLF4J bridge: no two-line console output")
  void julGoesToSlf4j() {
    Handler[] handlers = LogManager.getLogManager().getLogger("").getHandlers();
    assertThat(handlers).hasSize(1);
    assertThat(handlers[0]).isInstanceOf(SLF4JBridgeHandler.class);
  }

  @Test
  @DisplayName("core's System.Logger is SLF4J's platform logger")
  void systemLoggerGoesToSlf4j() {
    System.Logger logger = System.getLogger("io.threadwire.hub.ThreadHub");
    assertThat(logger.getClass().getName()).startsWith("org.slf4j.jdk.platform.logging.");
  }
}
