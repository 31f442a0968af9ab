package io.threadwire.tyrus;

import io.threadwire.UserId;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handshake gate and endpoint factory: checks the origin allow-list, runs the {@link
 * HandshakeAuthenticator} and hands Tyrus one new {@link WsConnection} per session, built with this
 * server's objects rather than by reflection.
 */
final class EndpointConfigurator extends ServerEndpointConfig.Configurator {

  /** The per-handshake user property carrying the authenticated {@link UserId}. */
  static final String USER_KEY = "io.threadwire.tyrus.user";

  private static final Logger LOG = LoggerFactory.getLogger(EndpointConfigurator.class);

  /** Tyrus answers a handshake with this status when a configurator sets it; see Tyrus docs. */
  private static final int FORBIDDEN = 403;

  private final ServerContext ctx;

  EndpointConfigurator(ServerContext ctx) {
    this.ctx = ctx;
  }

  /** Returns the endpoint registration for {@code ctx}'s path. */
  static ServerEndpointConfig endpointConfig(ServerContext ctx) {
    return ServerEndpointConfig.Builder.create(WsConnection.class, ctx.settings.path())
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
    Handshake handshake =
        Handshake.of(
            request.getHeaders(),
            request.getParameterMap(),
            ctx.settings.tokenHeader(),
            ctx.settings.tokenQueryParameter());
    Optional<UserId> user;
    try {
      user = ctx.authenticator.authenticate(handshake);
    } catch (RuntimeException e) {
      LOG.warn("handshake refused: the authenticator failed", e);
      user = Optional.empty();
    }
    if (user.isPresent()) {
      sec.getUserProperties().put(USER_KEY, user.get());
    } else {
      LOG.info("handshake refused: not authenticated ({})", handshake);
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
    if (endpointClass != WsConnection.class) {
      throw new InstantiationException("unexpected endpoint class " + endpointClass.getName());
    }
    return endpointClass.cast(new WsConnection(ctx));
  }
}
