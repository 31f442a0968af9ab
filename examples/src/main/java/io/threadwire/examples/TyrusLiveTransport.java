package io.threadwire.examples;

import io.threadwire.ThreadMessaging;
import io.threadwire.hub.HubSettings;
import io.threadwire.micrometer.ThreadwireMetrics;
import io.threadwire.spi.ThreadLog;
import io.threadwire.tyrus.TyrusSettings;
import io.threadwire.tyrus.TyrusThreadMessaging;
import java.util.Optional;

/**
 * The Tyrus transport: a WebSocket server on its own port, speaking the Threadwire wire protocol
 * (see adapter-tyrus's {@code PROTOCOL.md}); the demo page connects to it directly.
 */
final class TyrusLiveTransport implements LiveTransport {

  private final TyrusThreadMessaging messaging;

  TyrusLiveTransport(
      TyrusSettings settings,
      HubSettings hubSettings,
      ThreadwireMetrics metrics,
      Optional<ThreadLog> threadLog) {
    TyrusThreadMessaging.Builder b =
        TyrusThreadMessaging.builder(settings)
            .hubSettings(hubSettings)
            .listener(metrics.listener());
    threadLog.ifPresent(b::threadLog);
    this.messaging = b.build();
    metrics.monitor(messaging.hub()::stats, messaging.transportStats());
  }

  @Override
  public ThreadMessaging messaging() {
    return messaging;
  }

  @Override
  public void start() {
    messaging.start();
  }

  @Override
  public ClientEndpoint clientEndpoint() {
    return new ClientEndpoint("websocket", messaging.uri().toString());
  }

  @Override
  public void close() {
    messaging.close();
  }
}
