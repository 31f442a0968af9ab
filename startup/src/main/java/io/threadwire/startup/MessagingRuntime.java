package io.threadwire.startup;

import io.threadwire.ThreadMessaging;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every host writes by hand, in one call: start the messaging port, run the {@link Startup}
 * sequence, and close everything when the application stops. The {@link Startup} sequence itself
 * never starts messaging; this does.
 *
 * <pre>{@code
 * MessagingRuntime runtime = MessagingRuntime.builder(messaging, startup)
 *     .alsoClose(httpServer::close)          // closed first, before messaging
 *     .closeOnShutdown()                     // a JVM shutdown hook calls close()
 *     .start();                              // throws if messaging or a check is not ready
 * healthEndpoint(() -> runtime.startup().readiness().toJson());
 * }</pre>
 *
 * <p>{@link Builder#start()} calls {@link ThreadMessaging#start()}, then {@link Startup#run()}. If
 * either throws (a port in use, a {@link StartupFailedException} with the report), everything is
 * closed before the exception is rethrown, so a failed start leaves no port bound. {@link #close()}
 * closes the {@link Builder#alsoClose extras} in reverse order of registration, then messaging; it
 * is idempotent, never throws (failures are logged) and removes the shutdown hook.
 */
public final class MessagingRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MessagingRuntime.class);

  private final ThreadMessaging messaging;
  private final Startup startup;
  private final List<AutoCloseable> extras;
  private final Object lock = new Object();
  private Thread hook;
  private ReadinessReport report;
  private boolean closed;

  private MessagingRuntime(Builder b) {
    this.messaging = b.messaging;
    this.startup = b.startup;
    this.extras = List.copyOf(b.extras);
  }

  /**
   * Starts {@code messaging} and runs {@code startup}, without a shutdown hook; see {@link
   * Builder#start()}.
   *
   * @param messaging the port to start and close
   * @param startup the startup sequence to run once messaging is started
   * @return the running runtime; close it to stop
   * @throws IllegalStateException if messaging cannot start (everything is closed)
   * @throws StartupFailedException if a readiness check failed (everything is closed)
   */
  public static MessagingRuntime start(ThreadMessaging messaging, Startup startup) {
    return builder(messaging, startup).start();
  }

  /**
   * {@return a builder for a runtime of {@code messaging} and {@code startup}}
   *
   * @param messaging the port to start and close
   * @param startup the startup sequence to run once messaging is started
   */
  public static Builder builder(ThreadMessaging messaging, Startup startup) {
    return new Builder(messaging, startup);
  }

  /** {@return the report of the startup sequence, which was ready} */
  public ReadinessReport report() {
    synchronized (lock) {
      return report;
    }
  }

  /** {@return the startup this runtime ran, for its readiness state} */
  public Startup startup() {
    return startup;
  }

  /** {@return the messaging port this runtime started} */
  public ThreadMessaging messaging() {
    return messaging;
  }

  /** {@return the registered JVM shutdown hook, while there is one} */
  public Optional<Thread> shutdownHook() {
    synchronized (lock) {
      return Optional.ofNullable(hook);
    }
  }

  private MessagingRuntime run(boolean withHook) {
    try {
      messaging.start();
      ReadinessReport r = startup.run();
      synchronized (lock) {
        report = r;
        if (withHook) {
          hook = new Thread(this::closeFromHook, "threadwire-shutdown");
          Runtime.getRuntime().addShutdownHook(hook);
        }
      }
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void closeFromHook() {
    synchronized (lock) {
      hook = null; // the JVM is running it: it can no longer be removed
    }
    close();
  }

  /** Closes the extras in reverse order, then messaging; idempotent, never throws. */
  @Override
  public void close() {
    Thread registered;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      registered = hook;
      hook = null;
    }
    if (registered != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(registered);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down; the hook runs or ran.
      }
    }
    for (int i = extras.size() - 1; i >= 0; i--) {
      try {
        extras.get(i).close();
      } catch (Exception e) {
        LOG.warn("closing {} failed", extras.get(i), e);
      }
    }
    try {
      messaging.close();
    } catch (RuntimeException e) {
      LOG.warn("closing messaging failed", e);
    }
  }

  /** Builds and starts a {@link MessagingRuntime}. */
  public static final class Builder {
    private final ThreadMessaging messaging;
    private final Startup startup;
    private final List<AutoCloseable> extras = new ArrayList<>();
    private boolean hook;

    private Builder(ThreadMessaging messaging, Startup startup) {
      this.messaging = Objects.requireNonNull(messaging, "messaging");
      this.startup = Objects.requireNonNull(startup, "startup");
    }

    /**
     * Adds something to close on {@link MessagingRuntime#close()}, before messaging: an HTTP
     * server, an executor. Extras close in reverse order of registration.
     *
     * @param resource what to close
     * @return this builder
     */
    public Builder alsoClose(AutoCloseable resource) {
      extras.add(Objects.requireNonNull(resource, "resource"));
      return this;
    }

    /**
     * Registers a JVM shutdown hook that closes the runtime (SIGTERM, Ctrl-C, {@code System.exit});
     * {@link MessagingRuntime#close()} removes it. Off by default.
     *
     * @return this builder
     */
    public Builder closeOnShutdown() {
      hook = true;
      return this;
    }

    /**
     * Starts messaging, then runs the startup sequence.
     *
     * @return the running runtime
     * @throws IllegalStateException if messaging cannot start; everything is closed first
     * @throws StartupFailedException if a readiness check failed or was not ready by the deadline;
     *     everything is closed first
     */
    public MessagingRuntime start() {
      return new MessagingRuntime(this).run(hook);
    }
  }
}
