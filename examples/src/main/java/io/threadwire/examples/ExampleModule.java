package io.threadwire.examples;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.threadwire.ThreadMessaging;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The composition root: reads the settings from the configuration, picks the transport module
 * ({@code threadwire.examples.transport}) and wires the HTTP side, the agent-run simulator and
 * readiness on top of the {@link ThreadMessaging} port.
 */
final class ExampleModule extends AbstractModule {

  private final Config config;
  private final ExampleSettings settings;
  private final Module transport;

  /**
   * Reads and validates the settings now, so bad configuration fails before any object is built.
   *
   * @throws ConfigException naming the key of a missing or invalid setting
   */
  ExampleModule(Config config) {
    this.config = config;
    this.settings = ExampleSettings.from(config);
    this.transport = transportModule(settings);
  }

  @Override
  protected void configure() {
    bind(Config.class).toInstance(config);
    bind(ExampleSettings.class).toInstance(settings);
    install(transport);
  }

  /** The only place that knows which transports exist. */
  private Module transportModule(ExampleSettings settings) {
    return switch (settings.transport()) {
      case INMEMORY -> new InMemoryTransportModule();
      case TYRUS ->
          throw new ConfigException.BadValue(
              config.origin(),
              ExampleSettings.PATH + ".transport",
              "the tyrus transport is not in this build yet; use inmemory");
    };
  }

  @Provides
  @Singleton
  ObjectMapper json() {
    return JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
  }

  @Provides
  @Singleton
  ThreadMessaging messaging(LiveTransport transport) {
    return transport.messaging();
  }

  @Provides
  @Singleton
  Readiness readiness(ThreadMessaging messaging, ExampleSettings settings) {
    return new MessagingReadiness(messaging, settings);
  }

  @Provides
  @Singleton
  @Named("agent-runs")
  ScheduledExecutorService agentScheduler() {
    return Executors.newSingleThreadScheduledExecutor(daemon("threadwire-agent-runs"));
  }

  @Provides
  @Singleton
  @Named("http")
  ExecutorService httpExecutor() {
    // Event streams hold a thread each, so the pool grows on demand, up to a bound.
    return new ThreadPoolExecutor(
        0, 200, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), daemon("threadwire-http"));
  }

  @Provides
  @Singleton
  AgentRuns agentRuns(
      ThreadMessaging messaging,
      @Named("agent-runs") ScheduledExecutorService scheduler,
      ObjectMapper json,
      ExampleSettings settings) {
    return new AgentRuns(messaging, scheduler, json, settings.agentStepDelay());
  }

  @Provides
  @Singleton
  HttpApi httpApi(
      ExampleSettings settings,
      LiveTransport transport,
      AgentRuns agentRuns,
      Readiness readiness,
      ObjectMapper json,
      @Named("http") ExecutorService executor) {
    return new HttpApi(settings, transport, agentRuns, readiness, json, executor);
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
