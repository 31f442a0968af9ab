/**
 * The WebSocket server on Jakarta WebSocket, Eclipse Tyrus and Grizzly: {@link
 * io.threadwire.tyrus.TyrusThreadMessaging} with its {@link io.threadwire.tyrus.TyrusSettings}, the
 * handshake and access SPIs ({@link io.threadwire.tyrus.HandshakeAuthenticator}, {@link
 * io.threadwire.tyrus.ThreadAccessPolicy}), the Typesafe Config reader and the Guice module. The
 * wire protocol, outbound queues, flushers, rate limits and the guard filter are package-private;
 * {@code WsConnection} is public only because Tyrus instantiates endpoints reflectively.
 */
package io.threadwire.tyrus;
