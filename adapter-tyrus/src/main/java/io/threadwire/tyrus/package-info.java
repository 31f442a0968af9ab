/**
 * The WebSocket server on Jakarta WebSocket, Eclipse Tyrus and Grizzly: {@link
 * io.threadwire.tyrus.TyrusThreadMessaging} with its {@link io.threadwire.tyrus.TyrusSettings}, the
 * handshake and access SPIs ({@link io.threadwire.tyrus.HandshakeAuthenticator}, {@link
 * io.threadwire.tyrus.ThreadAccessPolicy}), the Typesafe Config reader and the Guice module. The
 * wire protocol, connections, outbound queues, flushers, rate limits and the guard filter are
 * package-private; the one class Tyrus must reach reflectively, the endpoint shell, is in {@code
 * io.threadwire.tyrus.internal}, which the module opens to Tyrus and does not export.
 */
package io.threadwire.tyrus;
