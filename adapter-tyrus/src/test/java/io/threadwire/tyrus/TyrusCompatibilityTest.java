package io.threadwire.tyrus;

import io.threadwire.UserId;
import io.threadwire.hub.HubSettings;
import io.threadwire.hub.HubStats;
import io.threadwire.testkit.KitClient;
import io.threadwire.testkit.KitFault;
import io.threadwire.testkit.KitTransport;
import io.threadwire.testkit.ThreadMessagingCompatibilityKit;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The compatibility kit over real sockets: a Tyrus server on loopback, port 0, and JDK WebSocket
 * clients speaking the wire protocol. Faults are injected by in-process {@link FaultyConnection}s
 * registered on the same hub, beside the socket clients: a real socket cannot be told to fail one
 * write on demand.
 */
class TyrusCompatibilityTest extends ThreadMessagingCompatibilityKit {

  @Override
  protected KitTransport open(HubSettings settings, Clock clock) {
    TyrusThreadMessaging messaging =
        TyrusThreadMessaging.builder(TyrusSettings.builder().port(0).build())
            .hubSettings(settings)
            .clock(clock)
            .authenticator(HandshakeAuthenticator.bearerTokens(t -> Optional.of(UserId.of(t))))
            .build();
    messaging.start();
    return new Transport(messaging);
  }

  private static final class Transport implements KitTransport {
    private final TyrusThreadMessaging messaging;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor();

    Transport(TyrusThreadMessaging messaging) {
      this.messaging = messaging;
    }

    @Override
    public TyrusThreadMessaging messaging() {
      return messaging;
    }

    @Override
    public KitClient connect(UserId user) {
      SocketKitClient c =
          new SocketKitClient(
              TestClient.connect(
                  messaging.uri(), Map.of("Authorization", "Bearer " + user.value())));
      clients.add(c);
      return c;
    }

    @Override
    public boolean supportsFaults() {
      return true;
    }

    @Override
    public KitClient connect(UserId user, KitFault fault) {
      return new FaultyConnection(user, fault, messaging.hub(), events);
    }

    @Override
    public void runMaintenance() {
      messaging.hub().runMaintenance();
    }

    @Override
    public HubStats stats() {
      return messaging.hub().stats();
    }

    @Override
    public void close() {
      messaging.close();
      for (AutoCloseable c : clients) {
        try {
          c.close();
        } catch (Exception e) {
          // already closed by the server
        }
      }
      events.shutdown();
    }
  }
}
