package io.threadwire.examples;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.threadwire.hub.HubSettings;
import io.threadwire.micrometer.ThreadwireMetrics;
import io.threadwire.redis.RedisConfig;
import io.threadwire.redis.RedisSettings;
import io.threadwire.redis.RedisThreadLog;
import io.threadwire.spi.ThreadLog;
import io.threadwire.tyrus.TyrusSettings;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Binds the {@link LiveTransport} to the Tyrus WebSocket server, configured under {@code
 * threadwire.tyrus} and {@code threadwire.hub} (the adapter's {@code reference.conf} has every
 * default). Browsers may connect only from the demo page's own origin, plus any origin listed in
 * {@code threadwire.tyrus.allowed-origins} other than {@code "*"}. With {@code
 * threadwire.examples.log = redis} the hub runs over the Redis backplane's shared log, so several
 * instances on one Redis form one cluster.
 *
 * <p>Why not the adapter's own {@code ThreadwireTyrusModule}: that module takes its {@code
 * TyrusSettings} when it is constructed, before the injector exists, but the origin allow-list here
 * names the HTTP server's bound address, which only the {@code HttpServer} singleton knows once it
 * has bound its port (port 0 in tests). Using it would mean binding the HTTP port outside Guice
 * before the injector is built, or moving the origin check into a {@code HandshakeAuthenticator}
 * with the adapter's allow-list opened to {@code "*"}. It also binds {@code ThreadMessaging} to the
 * server itself, where this application takes the port from whichever {@link LiveTransport} is
 * bound, so that tests can swap the transport. A host whose settings are all known up front should
 * install {@code ThreadwireTyrusModule.fromConfig(config)} and bind its {@code
 * HandshakeAuthenticator} and {@code ThreadAccessPolicy}; see the adapter's README.
 */
final class TyrusTransportModule extends AbstractModule {

  private final TyrusSettings configured;
  private final HubSettings hubSettings;
  private final Optional<RedisSettings> redis;

  /** Takes settings already read and validated, so that nothing is bound before they are. */
  TyrusTransportModule(
      TyrusSettings configured, HubSettings hubSettings, Optional<RedisSettings> redis) {
    this.configured = configured;
    this.hubSettings = hubSettings;
    this.redis = redis;
  }

  @Provides
  @Singleton
  LiveTransport transport(
      @Named("page-origins") List<String> pageOrigins, ThreadwireMetrics metrics) {
    List<String> origins = new ArrayList<>(pageOrigins);
    configured.allowedOrigins().stream().filter(o -> !o.equals("*")).forEach(origins::add);
    TyrusSettings settings = configured.toBuilder().allowedOrigins(origins).build();
    return new TyrusLiveTransport(
        settings, hubSettings, metrics, redis.<ThreadLog>map(RedisThreadLog::create));
  }

  /**
   * The Redis settings if {@code threadwire.examples.log} is {@code redis}, empty for {@code
   * memory} (the hub's own log); read when the module is built, before any port is bound.
   */
  static Optional<RedisSettings> redisSettings(Config config) {
    String key = ExampleSettings.PATH + ".log";
    String value = config.getString(key).trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "memory" -> Optional.empty();
      case "redis" -> Optional.of(RedisConfig.settings(config));
      default ->
          throw new ConfigException.BadValue(
              config.origin(), key, "must be memory or redis, got \"" + value + "\"");
    };
  }
}
