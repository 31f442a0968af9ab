package io.threadwire.hub;

import io.threadwire.ThreadId;
import io.threadwire.spi.TransportConnection;
import java.util.LinkedHashSet;
import java.util.Set;

/** A registered connection and the threads it has joined; guarded by its own monitor. */
final class Registration {

  final TransportConnection connection;
  final Set<ThreadId> threads = new LinkedHashSet<>();
  boolean unregistered;

  Registration(TransportConnection connection) {
    this.connection = connection;
  }
}
