package io.threadwire.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.threadwire.ThreadMessaging;
import io.threadwire.inmemory.InMemoryThreadMessaging;
import io.threadwire.micrometer.ThreadwireMetrics;
import java.util.Optional;

/**
 * The in-memory transport: the hub runs in this process and the demo page follows threads through a
 * server-sent event stream on the HTTP server. No second port, no WebSocket.
 */
final class InMemoryLiveTransport implements LiveTransport {

  static final String EVENTS_PATH = "/api/threads/{thread}/events";

  private final InMemoryThreadMessaging messaging;
  private final SseEventStream events;

  InMemoryLiveTransport(ObjectMapper json, ExampleSettings settings) {
    this(json, settings, ThreadwireMetrics.create());
  }

  InMemoryLiveTransport(ObjectMapper json, ExampleSettings settings, ThreadwireMetrics metrics) {
    FrameJson frames = new FrameJson(json);
    this.messaging =
        InMemoryThreadMessaging.builder().encoder(frames).listener(metrics.listener()).build();
    metrics.monitor(messaging.hub()::stats);
    this.events = new SseEventStream(messaging.hub(), frames, settings.eventQueueSize());
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
    return new ClientEndpoint("sse", EVENTS_PATH);
  }

  @Override
  public Optional<EventStream> eventStream() {
    return Optional.of(events);
  }

  @Override
  public void close() {
    events.close();
    messaging.close();
  }
}
