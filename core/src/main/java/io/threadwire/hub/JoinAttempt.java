package io.threadwire.hub;

import io.threadwire.spi.Frame;
import io.threadwire.spi.TransportConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * A join waiting for its replay: the frames dispatched to the thread meanwhile are kept here, so
 * the joiner gets them after the replay, minus those the replay already covered. Guarded by the
 * thread's {@link ThreadState} monitor.
 */
final class JoinAttempt {

  final TransportConnection connection;
  final List<Frame> buffered = new ArrayList<>();
  boolean cancelled;

  JoinAttempt(TransportConnection connection) {
    this.connection = connection;
  }
}
