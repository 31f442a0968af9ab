package io.threadwire.examples;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.typesafe.config.Config;
import io.threadwire.tyrus.TyrusConfig;
import io.threadwire.tyrus.TyrusSettings;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds the {@link LiveTransport} to the Tyrus WebSocket server, configured under {@code
 * threadwire.tyrus} and {@code threadwire.hub} (the adapter's {@code reference.conf} has every
 * default). Browsers may connect only from the demo page's own origin, plus any origin listed in
 * {@code threadwire.tyrus.allowed-origins} other than {@code "*"}.
 */
final class TyrusTransportModule extends AbstractModule {

  @Provides
  @Singleton
  LiveTransport transport(Config config, @Named("page-origins") List<String> pageOrigins) {
    TyrusSettings configured = TyrusConfig.tyrusSettings(config);
    List<String> origins = new ArrayList<>(pageOrigins);
    configured.allowedOrigins().stream().filter(o -> !o.equals("*")).forEach(origins::add);
    TyrusSettings settings = configured.toBuilder().allowedOrigins(origins).build();
    return new TyrusLiveTransport(settings, TyrusConfig.hubSettings(config));
  }
}
