package io.threadwire.examples;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.threadwire.hub.HubSettings;
import io.threadwire.micrometer.ThreadwireMetrics;
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

  /** Takes settings already read and validated, so that nothing is bound before they are. */
  TyrusTransportModule(TyrusSettings configured, HubSettings hubSettings) {
    this.configured = configured;
    this.hubSettings = hubSettings;
  }

  @Provides
  @Singleton
  LiveTransport transport(
      @Named("page-origins") List<String> pageOrigins, ThreadwireMetrics metrics) {
    List<String> origins = new ArrayList<>(pageOrigins);
    configured.allowedOrigins().stream().filter(o -> !o.equals("*")).forEach(origins::add);
    TyrusSettings settings = configured.toBuilder().allowedOrigins(origins).build();
    return new TyrusLiveTransport(settings, hubSettings, metrics);
  }
}
