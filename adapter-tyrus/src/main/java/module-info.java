/**
 * Threadwire's WebSocket server on Jakarta WebSocket, Eclipse Tyrus and Grizzly: the wire protocol,
 * handshake authentication, limits and server lifecycle.
 *
 * <p>Guice and Typesafe Config are optional ({@code requires static}): only {@code
 * ThreadwireTyrusModule} and {@code TyrusConfig} need them, so a host that uses neither leaves them
 * off its module path.
 */
module io.threadwire.tyrus {
  requires transitive io.threadwire.core;
  requires transitive jakarta.websocket;
  requires org.glassfish.tyrus.core;
  requires org.glassfish.tyrus.spi;
  requires org.glassfish.tyrus.server;
  requires org.glassfish.tyrus.container.grizzly.server;
  requires org.glassfish.grizzly;
  requires org.glassfish.grizzly.http;
  requires org.glassfish.grizzly.http.server;
  requires com.fasterxml.jackson.core;
  requires org.slf4j;
  // The default outbound budget and connection bound read the heap size and descriptor limit.
  requires java.management;
  requires jdk.management;
  requires static com.google.guice;
  requires static typesafe.config;

  exports io.threadwire.tyrus;

  // Not API (io.threadwire.tyrus.internal is not exported): Tyrus calls the endpoint shell's
  // onOpen reflectively, without setAccessible, which needs a public class in a package exported
  // or opened to it; opened, it is reachable by Tyrus alone.
  opens io.threadwire.tyrus.internal to
      org.glassfish.tyrus.core,
      org.glassfish.tyrus.server;

  // Guice reads ThreadwireTyrusModule's bindings reflectively.
  opens io.threadwire.tyrus to
      com.google.guice;
}
