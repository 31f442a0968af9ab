package io.threadwire.examples;

import io.threadwire.ThreadMessaging;
import java.util.Optional;

/**
 * The transport behind the example: the {@link ThreadMessaging} port the application sends through,
 * plus what the demo page needs to receive messages. Swapping transports is swapping the Guice
 * module that binds this interface.
 */
interface LiveTransport extends AutoCloseable {

  /** Returns the port the application sends through. */
  ThreadMessaging messaging();

  /** Starts the port (and the transport's server, if it has one). */
  void start();

  /** Returns where and how a browser subscribes to threads; valid after {@link #start()}. */
  ClientEndpoint clientEndpoint();

  /** Returns the server-sent event stream served by the HTTP API, for transports without one. */
  default Optional<EventStream> eventStream() {
    return Optional.empty();
  }

  /** Closes clients and the port. Idempotent. */
  @Override
  void close();

  /**
   * How the demo page subscribes.
   *
   * @param kind {@code websocket} (url is a ws:// URL) or {@code sse} (url is a path template on
   *     the HTTP server with a {@code {thread}} placeholder)
   * @param url where to connect
   */
  record ClientEndpoint(String kind, String url) {}
}
