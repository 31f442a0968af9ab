package io.threadwire.tyrus;

import io.threadwire.tyrus.internal.WebSocketEndpoint;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoint factory: takes over the {@link GuardFilter.Admission} of each accepted handshake
 * (origin and authentication were checked there) and hands Tyrus one new {@link WsConnection} per
 * session, in its {@link WebSocketEndpoint} shell, built with this server's objects rather than by
 * reflection.
 */
final class EndpointConfigurator extends ServerEndpointConfig.Configurator {

  /** The per-handshake user property carrying the {@link GuardFilter.Admission}. */
  static final String ADMISSION_KEY = "io.threadwire.tyrus.admission";

  private static final Logger LOG = LoggerFactory.getLogger(EndpointConfigurator.class);

  /** Tyrus answers a handshake with this status when a configurator sets it; see Tyrus docs. */
  private static final int FORBIDDEN = 403;

  private final ServerContext ctx;

  EndpointConfigurator(ServerContext ctx) {
    this.ctx = ctx;
  }

  /** Returns the endpoint registration for {@code ctx}'s path. */
  static ServerEndpointConfig endpointConfig(ServerContext ctx) {
    return ServerEndpointConfig.Builder.create(WebSocketEndpoint.class, ctx.settings.path())
        .configurator(new EndpointConfigurator(ctx))
        .build();
  }

  @Override
  public boolean checkOrigin(String origin) {
    if (origin == null || ctx.settings.isOriginAllowed(origin)) {
      return true;
    }
    LOG.info("handshake refused: origin {} is not allowed", origin);
    return false;
  }

  @Override
  public void modifyHandshake(
      ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
    Optional<GuardFilter.Admission> admission = GuardFilter.takeAdmission();
    if (admission.isPresent()) {
      sec.getUserProperties().put(ADMISSION_KEY, admission.get());
    } else {
      // Only reachable by bypassing the guard filter, which admits every accepted handshake.
      LOG.warn("handshake refused: it was not admitted by the guard filter");
      ctx.stats.handshakeNotAdmitted();
      reject(response);
    }
  }

  private static void reject(HandshakeResponse response) {
    if (response instanceof org.glassfish.tyrus.spi.UpgradeResponse r) {
      r.setStatus(FORBIDDEN);
      r.getHeaders().put("Content-Length", List.of("0"));
    } else {
      throw new IllegalStateException("not a Tyrus handshake response: " + response.getClass());
    }
  }

  @Override
  public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
    if (endpointClass != WebSocketEndpoint.class) {
      throw new InstantiationException("unexpected endpoint class " + endpointClass.getName());
    }
    return endpointClass.cast(new WebSocketEndpoint(new WsConnection(ctx)));
  }
}
