package io.threadwire.examples;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.multibindings.Multibinder;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.threadwire.ThreadMessaging;
import io.threadwire.micrometer.ThreadwireMetrics;
import io.threadwire.startup.ReadinessCheck;
import io.threadwire.startup.ReadinessState;
import io.threadwire.startup.StartupSettings;
import io.threadwire.startup.ThreadwireStartupModule;
import io.threadwire.tyrus.TyrusConfig;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
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
 * ({@code threadwire.examples.transport}) and wires the HTTP side, the agent-run simulator and the
 * startup module's readiness (its messaging probe plus this application's own check) on top of the
 * {@link ThreadMessaging} port.
 */
final class ExampleModule extends AbstractModule {

  private static final int BACKLOG = 64;

  private final Config config;
  private final ExampleSettings settings;
  private final StartupSettings startup;
  private final Module transport;

  /**
   * Reads and validates the settings now, so bad configuration fails before any object is built.
   *
   * @throws ConfigException naming the key of a missing, invalid or unknown setting, under {@code
   *     threadwire.examples}, {@code threadwire.startup}, or (with the Tyrus transport) {@code
   *     threadwire.tyrus} and {@code threadwire.hub}
   */
  ExampleModule(Config config) {
    this.config = config;
    this.settings = ExampleSettings.from(config);
    this.startup = StartupSettings.fromConfig(config);
    this.transport = transportModule(settings, config);
  }

  @Override
  protected void configure() {
    bind(Config.class).toInstance(config);
    bind(ExampleSettings.class).toInstance(settings);
    install(transport);
    // Readiness: the startup module's messaging probe, plus this application's own checks.
    install(ThreadwireStartupModule.create(startup));
    Multibinder.newSetBinder(binder(), ReadinessCheck.class)
        .addBinding()
        .to(AgentRunsReadinessCheck.class);
  }

  /** The only place that knows which transports exist. */
  private static Module transportModule(ExampleSettings settings, Config config) {
    return switch (settings.transport()) {
      case INMEMORY -> new InMemoryTransportModule();
        // Read now: bad Tyrus or hub settings fail here, before the HTTP port is bound.
      case TYRUS ->
          new TyrusTransportModule(
              TyrusConfig.tyrusSettings(config),
              TyrusConfig.hubSettings(config),
              TyrusTransportModule.redisSettings(config));
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

  /**
   * Binds the HTTP port now, serving nothing until {@link HttpApi#start()}: the WebSocket server's
   * origin allow-list needs the bound address, and a port that is taken fails before anything
   * starts.
   */
  @Provides
  @Singleton
  HttpServer httpServer(ExampleSettings settings, PrometheusMeterRegistry registry) {
    enableNoDelay();
    try {
      HttpServer server =
          HttpServer.create(
              new InetSocketAddress(settings.httpHost(), settings.httpPort()), BACKLOG);
      MetricsEndpoint.register(server, registry);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not bind the HTTP server to "
              + settings.httpHost()
              + ":"
              + settings.httpPort()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Turns Nagle's algorithm off on the JDK's HTTP server: it writes headers and body separately, so
   * with Nagle on, a kept-alive client waits for a delayed ACK (~40 ms) on every request. The JDK
   * reads this property once, when its first server is created; Main also sets it at start.
   */
  static void enableNoDelay() {
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
  }

  /** The JDK HTTP server's switch for TCP_NODELAY on accepted connections. */
  static final String NODELAY = "sun.net.httpserver.nodelay";

  /** The origins of the demo page, as a browser sends them in the WebSocket handshake. */
  @Provides
  @Singleton
  @Named("page-origins")
  List<String> pageOrigins(HttpServer server) {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().getHostAddress();
    String origin = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    return a.getAddress().isLoopbackAddress()
        ? List.of(origin, "http://localhost:" + a.getPort())
        : List.of(origin);
  }

  /**
   * The transport's meters. The example holds a handful of threads and sends little, so every gauge
   * reads the hub afresh and every send is timed: a scrape is exact. A busy deployment keeps the
   * defaults (a one-second snapshot, one send in 64 timed).
   */
  @Provides
  @Singleton
  ThreadwireMetrics threadwireMetrics() {
    return ThreadwireMetrics.builder()
        .percentiles(0.5, 0.99)
        .statsMaxAge(java.time.Duration.ZERO)
        .latencySampleInterval(1)
        .build();
  }

  /**
   * The registry {@code /metrics} serves in Prometheus text format, with the transport's meters.
   */
  @Provides
  @Singleton
  PrometheusMeterRegistry prometheusRegistry(ThreadwireMetrics metrics) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    metrics.bindTo(registry);
    return registry;
  }

  @Provides
  @Singleton
  ThreadMessaging messaging(LiveTransport transport) {
    return transport.messaging();
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
  ExecutorService httpExecutor(ExampleSettings settings) {
    // Event streams hold a thread each, so the pool grows on demand, up to a bound; a request
    // past it is answered 503 by HttpApi's OverloadGuard.
    return new ThreadPoolExecutor(
        0,
        settings.httpMaxThreads(),
        60,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        daemon("threadwire-http"));
  }

  @Provides
  @Singleton
  AgentRunsReadinessCheck agentRunsCheck(@Named("agent-runs") ScheduledExecutorService scheduler) {
    return new AgentRunsReadinessCheck(scheduler);
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
      ReadinessState readiness,
      ObjectMapper json,
      HttpServer server,
      @Named("http") ExecutorService executor) {
    return new HttpApi(settings, transport, agentRuns, readiness, json, server, executor);
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
