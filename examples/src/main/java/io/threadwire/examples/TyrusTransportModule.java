package io.threadwire.examples;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.threadwire.tyrus.TyrusSettings;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Binds the {@link LiveTransport} to the Tyrus WebSocket server, configured under {@code
 * threadwire.tyrus}. Browsers may connect only from the demo page's own origin: the WebSocket
 * server's origin allow-list is set to the HTTP server's bound address.
 */
final class TyrusTransportModule extends AbstractModule {

  private static final String PATH = "threadwire.tyrus";

  @Provides
  @Singleton
  LiveTransport transport(Config config, @Named("page-origins") List<String> pageOrigins) {
    Config c = config.getConfig(PATH);
    try {
      TyrusSettings settings =
          TyrusSettings.builder()
              .host(c.getString("host"))
              .port(c.getInt("port"))
              .path(c.getString("path"))
              .allowedOrigins(pageOrigins)
              .build();
      return new TyrusLiveTransport(settings);
    } catch (IllegalArgumentException e) {
      throw new ConfigException.BadValue(c.origin(), PATH, e.getMessage(), e);
    }
  }
}
