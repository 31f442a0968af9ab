package io.threadwire.tyrus.internal;

import jakarta.websocket.CloseReason;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;

/**
 * Not API: what {@link WebSocketEndpoint} hands a session's lifecycle events to, the adapter's
 * package-private connection class.
 */
public interface EndpointLifecycle {

  /**
   * The session opened; see {@link jakarta.websocket.Endpoint#onOpen}.
   *
   * @param session the new session
   * @param config the endpoint configuration of this session
   */
  void onOpen(Session session, EndpointConfig config);

  /**
   * The session closed; see {@link jakarta.websocket.Endpoint#onClose}.
   *
   * @param session the session
   * @param reason why it closed
   */
  void onClose(Session session, CloseReason reason);

  /**
   * The session had an error; see {@link jakarta.websocket.Endpoint#onError}.
   *
   * @param session the session
   * @param error what went wrong
   */
  void onError(Session session, Throwable error);
}
