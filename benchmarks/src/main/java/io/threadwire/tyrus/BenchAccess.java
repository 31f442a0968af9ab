package io.threadwire.tyrus;

import io.threadwire.ThreadId;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.glassfish.grizzly.Connection;

/**
 * What the load harness needs from inside the adapter to run its side-by-side modes against the
 * very sessions Threadwire serves: the Jakarta sessions and Grizzly connections of a thread's
 * members, the adapter's framing, and a bare Tyrus server on the same container for the memory
 * comparison. Benchmark code only: it lives in the adapter's package to reach package-private
 * members and is never published.
 */
public final class BenchAccess {

  private BenchAccess() {}

  /** One live member of a thread, as the three fan-out modes see it. */
  public record Member(Session session, Connection<SocketAddress> tcp) {}

  /** Returns the live connections of {@code server} joined to {@code thread}. */
  public static List<Member> members(TyrusThreadMessaging server, ThreadId thread) {
    ServerContext ctx = server.context();
    List<Member> out = new ArrayList<>();
    for (WsConnection c : ctx.connections.values()) {
      Session s = c.session();
      Connection<SocketAddress> tcp = c.tcp();
      if (s != null && tcp != null && ctx.hub.joinedThreads(c.id()).contains(thread)) {
        out.add(new Member(s, tcp));
      }
    }
    return out;
  }

  /** Returns how many TCP connections the server still holds, closing ones included. */
  public static int openTcpConnections(TyrusThreadMessaging server) {
    return server.context().guard.openConnections();
  }

  /** Returns {@code text} as one complete server text frame, exactly as the adapter frames it. */
  public static byte[] frame(String text) {
    return WireFrames.text(text);
  }

  /** Returns the adapter's encoding of a message frame, as the hub would hand it to connections. */
  public static String messageFrame(ThreadId thread, long offset, String id, String payload) {
    return ServerFrames.encoder()
        .encode(thread, 1, offset, io.threadwire.Message.builder(payload).id(id).build());
  }

  /**
   * Starts a bare Tyrus endpoint (no protocol, no hub, no queue) on the same kind of container the
   * adapter uses, bound to {@code host} on an ephemeral port, at {@code path}.
   */
  public static BareServer startBare(String host, String path) throws IOException {
    BoundServerContainer container =
        new BoundServerContainer(host, 4 * 1024 * 1024, (listener, chain) -> {});
    try {
      container.register(
          ServerEndpointConfig.Builder.create(BareEndpoint.class, path)
              .configurator(
                  new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                      return endpointClass.cast(new BareEndpoint());
                    }
                  })
              .build());
      container.start("/", 0);
    } catch (DeploymentException e) {
      throw new IOException("cannot deploy the bare endpoint", e);
    }
    return new BareServer(container);
  }

  /** A running bare Tyrus server. */
  public static final class BareServer implements AutoCloseable {
    private final BoundServerContainer container;

    private BareServer(BoundServerContainer container) {
      this.container = container;
    }

    /** Returns the bound port. */
    public int port() {
      return container.getPort();
    }

    @Override
    public void close() {
      container.stop();
    }
  }

  /** An endpoint that answers every text message with a pong and does nothing else. */
  public static final class BareEndpoint extends Endpoint {
    @Override
    public void onOpen(Session session, EndpointConfig config) {
      session.addMessageHandler(
          String.class, text -> session.getAsyncRemote().sendText("{\"type\":\"pong\"}"));
    }
  }
}
