package io.threadwire.tyrus;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.Set;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * A Tyrus server container on a Grizzly {@link HttpServer} whose listener binds the configured
 * host. Tyrus's stock {@code GrizzlyServerContainer} binds {@code 0.0.0.0} whatever host it is
 * given (tyrus#593), which would expose a server meant for loopback to the whole network.
 */
final class BoundServerContainer extends TyrusServerContainer {

  private static final String CONTEXT_PATH = "/";

  /** The JVM option that lets this module open the add-on's constructor on the module path. */
  static final String OPEN_ADD_ON =
      "--add-opens org.glassfish.tyrus.container.grizzly.server/"
          + "org.glassfish.tyrus.container.grizzly.server=io.threadwire.tyrus";

  private final String host;
  private final WebSocketEngine engine;
  private final AddOn guard;
  private HttpServer server;
  private NetworkListener listener;

  BoundServerContainer(String host, int incomingBufferSize, AddOn guard) {
    super((Set<Class<?>>) null);
    this.host = host;
    this.guard = guard;
    this.engine = TyrusWebSocketEngine.builder(this).incomingBufferSize(incomingBufferSize).build();
  }

  @Override
  public void register(Class<?> endpointClass) throws DeploymentException {
    engine.register(endpointClass, CONTEXT_PATH);
  }

  @Override
  public void register(ServerEndpointConfig config) throws DeploymentException {
    engine.register(config, CONTEXT_PATH);
  }

  @Override
  public WebSocketEngine getWebSocketEngine() {
    return engine;
  }

  /** Binds {@code host:port} and starts serving; {@code rootPath} is ignored (always "/"). */
  @Override
  public void start(String rootPath, int port) throws IOException, DeploymentException {
    HttpServer s = new HttpServer();
    NetworkListener l = new NetworkListener("threadwire", host, port);
    TCPNIOTransport transport = l.getTransport();
    transport.setIOStrategy(WorkerThreadIOStrategy.getInstance());
    l.getKeepAlive().setIdleTimeoutInSeconds(-1);
    l.registerAddOn(guard);
    l.registerAddOn(webSocketAddOn(this));
    s.addListener(l);
    server = s;
    listener = l;
    s.start();
    super.start(CONTEXT_PATH, port);
  }

  /**
   * Returns Tyrus's own add-on that puts its WebSocket filter in front of the HTTP server. Its
   * constructor is package-private although the class is public "for GrizzlyServerContainer
   * alternatives" (TYRUS-317), so it is opened reflectively; a Tyrus upgrade that changes it fails
   * at start, loudly, and in this module's tests.
   */
  private static AddOn webSocketAddOn(ServerContainer container) throws DeploymentException {
    try {
      Constructor<WebSocketAddOn> c =
          WebSocketAddOn.class.getDeclaredConstructor(ServerContainer.class, String.class);
      c.setAccessible(true);
      return c.newInstance(container, CONTEXT_PATH);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new DeploymentException(
          "cannot create Tyrus's Grizzly WebSocket add-on; on the module path, run with "
              + OPEN_ADD_ON,
          e);
    }
  }

  @Override
  public int getPort() {
    NetworkListener l = listener;
    return l != null && l.getPort() > 0 ? l.getPort() : -1;
  }

  @Override
  public void stop() {
    super.stop();
    HttpServer s = server;
    if (s != null) {
      s.shutdownNow();
    }
  }
}
