package io.threadwire.examples;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.name.Names;
import com.google.inject.util.Modules;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.threadwire.startup.MessagingRuntime;
import io.threadwire.startup.Startup;
import io.threadwire.startup.StartupFailedException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The running example application: messaging started, readiness checked, HTTP serving.
 *
 * <p>{@link #start(Config)} starts the transport and runs the startup module's sequence with its
 * {@link MessagingRuntime} (it refuses to start with the startup report if messaging is broken;
 * zero connected clients is healthy) and only then opens the HTTP server. {@link #close()} stops
 * agent runs, the HTTP server and the transport, in that order.
 */
public final class ExampleApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExampleApp.class);

  private final Injector injector;
  private final LiveTransport transport;
  private final HttpApi http;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile MessagingRuntime runtime;

  private ExampleApp(Injector injector) {
    this.injector = injector;
    this.transport = injector.getInstance(LiveTransport.class);
    this.http = injector.getInstance(HttpApi.class);
  }

  /**
   * Wires the application from {@code config} and starts it.
   *
   * @throws ConfigException if a setting is missing or invalid; the message names the key
   * @throws StartupFailedException if messaging (or another readiness check) is not ready; the
   *     message is the startup report
   */
  public static ExampleApp start(Config config) {
    return start(config, Modules.EMPTY_MODULE);
  }

  /** Starts with {@code overrides} replacing bindings of the composition root; for tests. */
  static ExampleApp start(Config config, Module overrides) {
    if (!SLF4JBridgeHandler.isInstalled()) {
      // Tyrus and Grizzly log through java.util.logging; send it to SLF4J.
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    Injector injector = injector(config, overrides);
    ExampleApp app;
    try {
      app = new ExampleApp(injector);
    } catch (ProvisionException e) {
      releasePort(injector);
      throw unwrap(e);
    }
    // Gate serving on readiness: zero connected clients is ready, a broken transport is not.
    // The runtime starts messaging, runs the startup sequence and, on failure, closes everything.
    app.runtime =
        MessagingRuntime.builder(app.transport.messaging(), injector.getInstance(Startup.class))
            .alsoClose(
                () ->
                    injector
                        .getInstance(Key.get(ExecutorService.class, Names.named("http")))
                        .shutdownNow())
            .alsoClose(app.transport)
            .alsoClose(app.http)
            .alsoClose(
                () ->
                    injector
                        .getInstance(
                            Key.get(ScheduledExecutorService.class, Names.named("agent-runs")))
                        .shutdownNow())
            .start();
    try {
      app.http.start();
      LOG.info("serving {}", app.pageUri());
      return app;
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
  }

  private static Injector injector(Config config, Module overrides) {
    return Guice.createInjector(Modules.override(new ExampleModule(config)).with(overrides));
  }

  /** A provider's own exception (a bad setting, a port in use) says more than Guice's wrapper. */
  private static RuntimeException unwrap(ProvisionException e) {
    for (com.google.inject.spi.Message m : e.getErrorMessages()) {
      if (m.getCause() instanceof RuntimeException cause) {
        return cause;
      }
    }
    return e;
  }

  private static void releasePort(Injector injector) {
    try {
      HttpApi.release(injector.getInstance(HttpServer.class), false);
    } catch (RuntimeException ignored) {
      // The port was never bound.
    }
  }

  /** Returns the demo page's URL. */
  public URI pageUri() {
    InetSocketAddress a = http.address();
    return URI.create("http://" + hostForUri(a) + ":" + a.getPort() + "/");
  }

  /** Returns where the page subscribes: a ws:// URL, or the event-stream path template. */
  public String liveEndpoint() {
    LiveTransport.ClientEndpoint e = transport.clientEndpoint();
    return e.kind().equals("sse") ? pageUri() + e.url().substring(1) : e.url();
  }

  private static String hostForUri(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /** Stops agent runs, the HTTP server and the transport. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    MessagingRuntime r = runtime;
    if (r != null) {
      r.close(); // agent runs, the HTTP server, the transport, the HTTP pool, then messaging
    }
    LOG.info("stopped");
  }
}
