package io.threadwire.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.threadwire.micrometer.ThreadwireMetrics;
import jakarta.inject.Singleton;

/** Binds the {@link LiveTransport} to the in-memory hub with its server-sent event stream. */
final class InMemoryTransportModule extends AbstractModule {

  @Provides
  @Singleton
  LiveTransport transport(ObjectMapper json, ExampleSettings settings, ThreadwireMetrics metrics) {
    return new InMemoryLiveTransport(json, settings, metrics);
  }
}
