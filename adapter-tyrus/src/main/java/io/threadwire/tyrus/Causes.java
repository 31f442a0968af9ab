package io.threadwire.tyrus;

import java.io.IOException;

/** The failures reported for writes that never reached a client; shared, without stack traces. */
final class Causes {

  static final IOException CLOSED = stackless("connection is closed");
  static final IOException QUEUE_FULL =
      stackless("outbound queue full: slow consumer disconnected (1013)");
  static final IOException WRITE_TIMEOUT =
      stackless("write not acknowledged in time: slow consumer disconnected (1013)");
  static final IOException STOPPING = stackless("server is stopping");

  private Causes() {}

  private static IOException stackless(String message) {
    return new IOException(message, null) {
      private static final long serialVersionUID = 1L;

      @Override
      public synchronized Throwable fillInStackTrace() {
        return this;
      }
    };
  }
}
