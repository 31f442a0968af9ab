package io.threadwire.examples;

import com.sun.net.httpserver.HttpExchange;
import io.threadwire.ThreadId;
import io.threadwire.spi.Since;
import java.io.IOException;

/**
 * A server-sent event stream of one thread, served on the HTTP server: the way the demo page
 * follows a thread when the transport has no WebSocket server of its own (the in-memory transport).
 */
interface EventStream extends AutoCloseable {

  /**
   * Joins {@code thread} after {@code since} and streams {@code joined} and {@code message} events
   * to the exchange until the client goes away or the stream is closed; blocks the calling thread.
   */
  void serve(HttpExchange exchange, ThreadId thread, Since since) throws IOException;

  /** Ends every open stream. Idempotent. */
  @Override
  void close();
}
