package io.threadwire.redis;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import com.typesafe.config.Config;
import io.threadwire.spi.ThreadLog;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * A thin Guice module over {@link RedisThreadLog#create(RedisSettings, Clock)}: binds {@link
 * ThreadLog} and {@link RedisThreadLog} as one unstarted singleton. Hand it to the hub's builder
 * (for example {@code InMemoryThreadMessaging.builder().threadLog(log)}), which starts and closes
 * it with itself.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(ThreadwireRedisModule.fromConfig(ConfigFactory.load()));
 * ThreadLog log = injector.getInstance(ThreadLog.class);
 * }</pre>
 *
 * <p>{@link Clock} is an optional binding; unbound, the system clock is used.
 */
public final class ThreadwireRedisModule extends AbstractModule {

  private final RedisSettings settings;

  private ThreadwireRedisModule(RedisSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Returns a module with {@code settings}.
   *
   * @param settings the log's settings
   * @return the module
   */
  public static ThreadwireRedisModule of(RedisSettings settings) {
    return new ThreadwireRedisModule(settings);
  }

  /**
   * Returns a module with the settings read from {@code config}; see {@link RedisConfig}.
   *
   * @param config the configuration, holding {@code threadwire.redis}
   * @return the module
   * @throws com.typesafe.config.ConfigException naming the first bad key
   */
  public static ThreadwireRedisModule fromConfig(Config config) {
    return of(RedisConfig.settings(config));
  }

  @Override
  protected void configure() {
    OptionalBinder.newOptionalBinder(binder(), Clock.class);
    bind(ThreadLog.class).to(RedisThreadLog.class);
  }

  @Provides
  @Singleton
  RedisThreadLog log(Optional<Clock> clock) {
    return RedisThreadLog.create(settings, clock.orElseGet(Clock::systemUTC));
  }
}
