package io.threadwire.tyrus.internal;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import java.util.Objects;

/**
 * Not API: the Jakarta WebSocket endpoint of one session, which only hands its lifecycle events to
 * the connection behind it.
 *
 * <p>It is public, in a package the module opens to Tyrus but does not export, because Tyrus's
 * {@code TyrusEndpointWrapper} calls {@code onOpen} through the endpoint's class without {@code
 * setAccessible}: that needs a public class in a package exported (or opened) to Tyrus. The
 * connection itself stays package-private in {@code io.threadwire.tyrus}.
 */
public final class WebSocketEndpoint extends Endpoint {

  private final EndpointLifecycle connection;

  /**
   * Returns the endpoint of one session.
   *
   * @param connection the connection the session's events go to
   */
  public WebSocketEndpoint(EndpointLifecycle connection) {
    this.connection = Objects.requireNonNull(connection, "connection");
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    connection.onOpen(session, config);
  }

  @Override
  public void onClose(Session session, CloseReason reason) {
    connection.onClose(session, reason);
  }

  @Override
  public void onError(Session session, Throwable error) {
    connection.onError(session, error);
  }

  @Override
  public String toString() {
    return "WebSocketEndpoint[" + connection + "]";
  }
}
