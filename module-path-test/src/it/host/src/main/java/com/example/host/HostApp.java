package com.example.host;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.inmemory.InMemoryClient;
import io.threadwire.inmemory.InMemoryThreadMessaging;
import io.threadwire.micrometer.ThreadwireMetrics;
import io.threadwire.startup.ReadinessReport;
import io.threadwire.startup.Startup;
import io.threadwire.startup.StartupSettings;
import io.threadwire.tyrus.TyrusSettings;
import io.threadwire.tyrus.TyrusThreadMessaging;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Wires Threadwire as a host would, with metrics, and reports what its meters saw. */
public final class HostApp {

  private HostApp() {}

  /** What one run saw. */
  public record Figures(
      boolean ready,
      SendOutcome outcome,
      String received,
      double connectionsWhileRunning,
      MeterRegistry registry) {}

  /** Starts the Tyrus server on an ephemeral port, joins a JDK WebSocket client, sends once. */
  public static Figures tyrus() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    ThreadwireMetrics metrics = ThreadwireMetrics.builder()
        .statsMaxAge(Duration.ZERO)
        .latencySampleInterval(1)
        .build();
    TyrusSettings settings = TyrusSettings.builder().host("127.0.0.1").port(0).build();
    try (TyrusThreadMessaging messaging =
        TyrusThreadMessaging.builder(settings).listener(metrics.listener()).build()) {
      metrics.monitor(messaging.hub()::stats, messaging.transportStats()).bindTo(registry);
      messaging.start();
      ReadinessReport report =
          Startup.create(StartupSettings.defaults(), messaging, List.of()).run();
      LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
      WebSocket ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(messaging.uri(), new Collector(frames))
              .get(10, TimeUnit.SECONDS);
      ws.sendText("{\"type\":\"join\",\"thread\":\"room\"}", true).get(10, TimeUnit.SECONDS);
      String joined = next(frames, "\"joined\"");
      SendOutcome outcome =
          messaging.sendAndWait(
              ThreadId.of("room"), Message.of("{\"hello\":1}"), SendOptions.defaults());
      String message = next(frames, "\"message\"");
      double connections = registry.get("threadwire.connections").gauge().value();
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
      return new Figures(report.isReady(), outcome, joined + message, connections, registry);
    }
  }

  /** Runs the in-memory adapter with metrics: one client, one send. */
  public static Figures inMemory() {
    MeterRegistry registry = new SimpleMeterRegistry();
    ThreadwireMetrics metrics = ThreadwireMetrics.builder()
        .statsMaxAge(Duration.ZERO)
        .latencySampleInterval(1)
        .build();
    try (InMemoryThreadMessaging messaging =
        InMemoryThreadMessaging.builder().listener(metrics.listener()).build()) {
      metrics.monitor(messaging.hub()::stats).bindTo(registry);
      messaging.start();
      InMemoryClient client = messaging.connect(UserId.of("ada"));
      client.join(ThreadId.of("room"));
      SendOutcome outcome =
          messaging.sendAndWait(ThreadId.of("room"), Message.of("hi"), SendOptions.defaults());
      double connections = registry.get("threadwire.connections").gauge().value();
      return new Figures(true, outcome, client.received().toString(), connections, registry);
    }
  }

  private static String next(LinkedBlockingQueue<String> frames, String type) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      String f = frames.poll(100, TimeUnit.MILLISECONDS);
      if (f != null && f.contains("\"type\":" + type)) {
        return f;
      }
    }
    throw new IllegalStateException("no " + type + " frame within 10 s");
  }

  /** Collects the text frames a WebSocket receives. */
  private static final class Collector implements WebSocket.Listener {
    private final LinkedBlockingQueue<String> frames;
    private final StringBuilder partial = new StringBuilder();

    Collector(LinkedBlockingQueue<String> frames) {
      this.frames = frames;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return CompletableFuture.completedFuture(null);
    }
  }
}
