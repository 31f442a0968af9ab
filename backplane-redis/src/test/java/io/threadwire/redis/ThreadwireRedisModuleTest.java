package io.threadwire.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.typesafe.config.ConfigFactory;
import io.threadwire.spi.ThreadLog;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ThreadwireRedisModuleTest {

  @Test
  @DisplayName("the module binds one unstarted Redis log with the configured settings")
  void bindsOneLog() {
    Injector injector =
        Guice.createInjector(
            ThreadwireRedisModule.fromConfig(
                ConfigFactory.parseString("threadwire.redis.key-prefix = guice-test")
                    .withFallback(ConfigFactory.load())));
    ThreadLog log = injector.getInstance(ThreadLog.class);
    assertThat(log).isSameAs(injector.getInstance(RedisThreadLog.class));
    assertThat(((RedisThreadLog) log).settings().keyPrefix()).isEqualTo("guice-test");
    log.close();
  }
}
