package io.threadwire.tyrus;

import io.threadwire.HistoryPolicy;
import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.ThreadMessaging;
import io.threadwire.hub.HubSettings;
import io.threadwire.hub.ThreadHub;
import io.threadwire.spi.MessagingListener;
import io.threadwire.spi.ThreadLog;
import io.threadwire.spi.TransportStats;
import jakarta.websocket.CloseReason.CloseCodes;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ThreadMessaging} that serves the Threadwire wire protocol over WebSockets, with Jakarta
 * WebSocket on Eclipse Tyrus and Grizzly. See the module's {@code PROTOCOL.md} for the frames.
 *
 * <pre>{@code
 * TyrusThreadMessaging messaging = TyrusThreadMessaging.builder(TyrusSettings.defaults())
 *     .authenticator(HandshakeAuthenticator.bearerTokens(tokens::userFor))
 *     .accessPolicy((user, thread) -> acl.mayRead(user, thread))
 *     .build();
 * messaging.start();                      // listens on ws://127.0.0.1:8431/threads
 * messaging.send(ThreadId.of("run-1"), Message.of("{\"step\":1}"));
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * <p>{@link #start()} binds the configured host and port (exactly that host: never all interfaces
 * unless told {@code 0.0.0.0}) and starts the hub; a failure to bind throws {@link
 * IllegalStateException} whose message names {@code host:port} and the cause (for example {@code
 * java.net.BindException: Address already in use}), also kept as {@link #startFailure()} for
 * readiness reports. {@link #close()} stops accepting sends (they answer {@code ERROR/CLOSED},
 * never throw), closes every client with 1001 and releases the port. Not restartable.
 *
 * <h2>Back-pressure</h2>
 *
 * <p>A send never blocks on a client and never writes in the caller's thread: each frame goes to
 * the connection's bounded queue, with one asynchronous write in flight per connection; the I/O
 * threads write, coalescing what queued behind a write in flight into the next one. A client whose
 * queue overflows, or whose write is not acknowledged within the write timeout, is disconnected
 * with 1013 and counted as failed in the outcome; it can reconnect and recover from history.
 *
 * <p><b>Security defaults allow every non-browser client</b>: see {@link
 * HandshakeAuthenticator#allowAll()} (a WARN is logged at start while it is in use) and {@link
 * ThreadAccessPolicy#allowAll()}. Browser pages are refused until their origin is listed in {@link
 * TyrusSettings#allowedOrigins()}.
 */
public final class TyrusThreadMessaging implements ThreadMessaging {

  private static final Logger LOG = LoggerFactory.getLogger(TyrusThreadMessaging.class);

  private final TyrusSettings settings;
  private final ThreadHub hub;
  private final ServerContext ctx;
  private final BoundServerContainer container;
  private final Object lifecycle = new Object();
  private final boolean allowsEveryone;
  private volatile Throwable startFailure;
  private volatile boolean started;
  private volatile boolean closed;

  private TyrusThreadMessaging(Builder b) {
    this.settings = b.settings;
    this.allowsEveryone = b.authenticator instanceof AllowAllAuthenticator;
    ThreadHub.Builder hb =
        ThreadHub.builder(ServerFrames.encoder())
            .settings(b.hubSettings)
            .clock(b.clock)
            .listener(b.listener);
    if (b.threadLog != null) {
      hb.threadLog(b.threadLog);
    }
    this.hub = hb.build();
    ScheduledThreadPoolExecutor io =
        new ScheduledThreadPoolExecutor(settings.ioThreads(), daemon());
    io.setRemoveOnCancelPolicy(true);
    // The budget tells the context, which is built after it: a holder breaks the cycle.
    ServerContext[] context = new ServerContext[1];
    OutboundBudget budget =
        new OutboundBudget(settings.outboundBudgetBytes(), () -> context[0].overBudget());
    TyrusStats stats = new TyrusStats(budget::used, budget.limit(), b.listener);
    GuardFilter guard = new GuardFilter(settings, b.authenticator, stats, io);
    this.ctx = new ServerContext(hub, settings, b.accessPolicy, io, guard, stats, budget);
    context[0] = ctx;
    stats.countConnections(guard::openConnections);
    // Tyrus fails a read larger than its buffer even when it holds many small frames; the guard
    // filter has already refused any single frame over maxFrameBytes.
    int incoming = Math.max(4 * 1024 * 1024, 2 * settings.maxFrameBytes() + 1024);
    this.container = new BoundServerContainer(settings.host(), incoming, guard);
    warnIfReplayCannotFit(b.hubSettings, settings);
  }

  /** A history larger than the outbound queue can cut off a client that recovers all of it. */
  private static void warnIfReplayCannotFit(HubSettings hub, TyrusSettings settings) {
    List<HistoryPolicy> policies =
        new ArrayList<>(hub.historyPolicies().prefixOverrides().values());
    policies.add(hub.historyPolicies().defaultPolicy());
    for (HistoryPolicy p : policies) {
      if (p.enabled() && p.maxMessages() > settings.maxQueuedFrames()) {
        LOG.warn(
            "threadwire.tyrus.outbound.max-queued-frames ({}) is below a history max-messages"
                + " ({}): a client recovering that much history at once may be cut off as a slow"
                + " consumer",
            settings.maxQueuedFrames(),
            p.maxMessages());
        return;
      }
    }
  }

  /**
   * {@return a server with {@code settings}, default hub settings and allow-all security}
   *
   * @param settings the settings
   */
  public static TyrusThreadMessaging create(TyrusSettings settings) {
    return builder(settings).build();
  }

  /**
   * {@return a server with {@code settings} and {@code hubSettings}, allow-all security}
   *
   * @param settings the settings
   * @param hubSettings the hub's settings
   */
  public static TyrusThreadMessaging create(TyrusSettings settings, HubSettings hubSettings) {
    return builder(settings).hubSettings(hubSettings).build();
  }

  /**
   * {@return a builder for a server with {@code settings}}
   *
   * @param settings the settings
   */
  public static Builder builder(TyrusSettings settings) {
    return new Builder(settings);
  }

  @Override
  public CompletionStage<SendOutcome> send(ThreadId thread, Message message, SendOptions options) {
    return hub.send(thread, message, options);
  }

  @Override
  public int connectionCount(ThreadId thread) {
    return hub.connectionCount(thread);
  }

  @Override
  public int userCount(ThreadId thread) {
    return hub.userCount(thread);
  }

  @Override
  public State state() {
    return hub.state();
  }

  /**
   * Binds the configured host and port, then starts accepting sends. Idempotent while running.
   *
   * @throws IllegalStateException if closed, or if the server cannot bind or deploy (the instance
   *     is then closed for good)
   */
  @Override
  public void start() {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("messaging is closed and cannot be restarted");
      }
      if (started) {
        return;
      }
      try {
        container.register(EndpointConfigurator.endpointConfig(ctx));
        container.start("/", settings.port());
      } catch (Exception e) {
        // Not restartable: a half-started container cannot be reused. Sends answer CLOSED.
        closed = true;
        hub.close();
        closeQuietly();
        IllegalStateException failure =
            new IllegalStateException(
                "could not start the WebSocket server on "
                    + settings.host()
                    + ":"
                    + settings.port()
                    + ": "
                    + describe(e),
                e);
        startFailure = failure;
        throw failure;
      }
      hub.start();
      long tick = sweepTickMillis(settings);
      ctx.io.scheduleWithFixedDelay(this::sweepQuietly, tick, tick, TimeUnit.MILLISECONDS);
      started = true;
      LOG.info("Threadwire WebSocket server listening on {}", uri());
      securityWarning().ifPresent(LOG::warn);
    }
  }

  /**
   * The WARN logged at start while the default authenticator is in use: every client that reaches
   * the port is then accepted, which is right for a demo and wrong for production.
   */
  java.util.Optional<String> securityWarning() {
    if (!allowsEveryone) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        "SECURITY: no HandshakeAuthenticator was configured, so HandshakeAuthenticator.allowAll()"
            + " accepts every client that reaches "
            + settings.host()
            + ":"
            + settings.port()
            + " as anonymous. Supply an authenticator (and a ThreadAccessPolicy) before serving"
            + " real users.");
  }

  /**
   * {@return the exception {@link #start()} threw, naming the host, port and cause (a port in use,
   * an address that cannot be bound), if it failed}
   */
  @Override
  public java.util.Optional<Throwable> startFailure() {
    return java.util.Optional.ofNullable(startFailure);
  }

  /** Stops accepting sends, closes every client with 1001 and releases the port; idempotent. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      ctx.stopping = true;
      hub.close();
      for (WsConnection c : ctx.connections.values()) {
        c.finish(CloseCodes.GOING_AWAY, "server stopping", Causes.STOPPING);
      }
      ctx.guard.terminatePending(); // nothing to say to a connection not upgraded yet
      awaitClientsGone();
      ctx.guard.terminateAll();
      closeQuietly();
      LOG.info("Threadwire WebSocket server stopped");
    }
  }

  /** Gives close frames up to the close grace to reach clients; TCP closes follow each one. */
  private void awaitClientsGone() {
    long deadline = System.nanoTime() + settings.closeGrace().toNanos();
    try {
      while (ctx.guard.openConnections() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeQuietly() {
    try {
      container.stop();
    } catch (RuntimeException e) {
      LOG.warn("stopping the WebSocket container failed", e);
    }
    ctx.io.shutdownNow();
  }

  /**
   * {@return the port the server listens on; with port 0 configured, the ephemeral one chosen}
   *
   * @throws IllegalStateException if the server is not running
   */
  public int boundPort() {
    int port = container.getPort();
    if (!started || closed || port < 0) {
      throw new IllegalStateException("the server is not running");
    }
    return port;
  }

  /**
   * {@return the endpoint's URI, {@code ws://host:port/path}}
   *
   * @throws IllegalStateException if the server is not running
   */
  public URI uri() {
    String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
    return URI.create("ws://" + host + ":" + boundPort() + settings.path());
  }

  /**
   * {@return the counters of what this server refused or cut off, and its outbound gauges} Each
   * counted event is also reported to the builder's {@link Builder#listener listener}.
   */
  public TyrusStats stats() {
    return ctx.stats;
  }

  /** {@return the settings this server runs with} */
  public TyrusSettings settings() {
    return settings;
  }

  /**
   * {@return the hub behind this server, for stats, on-demand maintenance and tests} Transports
   * register connections on it; a host application normally needs only the port methods.
   */
  public ThreadHub hub() {
    return hub;
  }

  /**
   * Returns what this server's connections have queued, read on demand (it walks every connection):
   * for metrics gauges, see {@code threadwire-micrometer}.
   *
   * @return live stats of this server's outbound queues
   */
  public TransportStats transportStats() {
    return ctx;
  }

  /** Returns what the connections of this server share; for the benchmarks' side-by-side modes. */
  ServerContext context() {
    return ctx;
  }

  private void sweepQuietly() {
    try {
      ctx.sweep();
    } catch (RuntimeException e) {
      LOG.warn("connection sweep failed", e);
    }
  }

  /** The cause chain in one line: {@code java.net.BindException: Address already in use}. */
  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = e; c != null && sb.length() < 500; c = c.getCause()) {
      String line = c.getClass().getName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
      if (sb.indexOf(line) < 0) {
        sb.append(sb.length() == 0 ? "" : "; caused by ").append(line);
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return sb.toString();
  }

  static long sweepTickMillis(TyrusSettings s) {
    Duration shortest = s.writeTimeout();
    shortest = shortest.compareTo(s.pingInterval()) < 0 ? shortest : s.pingInterval();
    shortest = shortest.compareTo(s.idleTimeout()) < 0 ? shortest : s.idleTimeout();
    shortest = shortest.compareTo(s.handshakeTimeout()) < 0 ? shortest : s.handshakeTimeout();
    return Math.max(10, Math.min(1000, shortest.toMillis() / 4));
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "threadwire-tyrus-io-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Builds a {@link TyrusThreadMessaging}. */
  public static final class Builder {
    private final TyrusSettings settings;
    private HubSettings hubSettings = HubSettings.defaults();
    private Clock clock = Clock.systemUTC();
    private HandshakeAuthenticator authenticator = HandshakeAuthenticator.allowAll();
    private ThreadAccessPolicy accessPolicy = ThreadAccessPolicy.allowAll();
    private MessagingListener listener = MessagingListener.none();
    private ThreadLog threadLog;

    private Builder(TyrusSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Sets the hub settings; default {@link HubSettings#defaults()}.
     *
     * @param hubSettings the hub's settings
     * @return this builder
     */
    public Builder hubSettings(HubSettings hubSettings) {
      this.hubSettings = Objects.requireNonNull(hubSettings, "hubSettings");
      return this;
    }

    /**
     * Sets the hub's clock (send deadlines, history age, expiry); default the system UTC clock.
     * Socket-level timers (write timeout, idle timeout, pings, rate limit) always use wall time.
     *
     * @param clock the clock to read time from
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets who may connect; default {@link HandshakeAuthenticator#allowAll()} (everyone).
     *
     * @param authenticator who may connect
     * @return this builder
     */
    public Builder authenticator(HandshakeAuthenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /**
     * Sets who may join which thread; default {@link ThreadAccessPolicy#allowAll()}.
     *
     * @param accessPolicy who may join which thread
     * @return this builder
     */
    public Builder accessPolicy(ThreadAccessPolicy accessPolicy) {
      this.accessPolicy = Objects.requireNonNull(accessPolicy, "accessPolicy");
      return this;
    }

    /**
     * Sets who hears what this server does, for metrics: the hub's sends and joins, and the
     * transport's slow consumers, rate-limited frames and refused handshakes; default {@link
     * MessagingListener#none()}.
     *
     * @param listener called on the hot path and on I/O threads: see its contract
     * @return this builder
     */
    public Builder listener(MessagingListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Sets the thread log the hub runs over; default an in-memory log on the hub's clock. A log
     * shared by several servers (such as the Redis backplane's) makes them one cluster: a message
     * sent on any of them reaches the thread's members on all of them. The server starts and closes
     * the log with itself.
     *
     * @param threadLog the thread log
     * @return this builder
     */
    public Builder threadLog(ThreadLog threadLog) {
      this.threadLog = Objects.requireNonNull(threadLog, "threadLog");
      return this;
    }

    /** {@return a new server, not yet started} */
    public TyrusThreadMessaging build() {
      return new TyrusThreadMessaging(this);
    }
  }
}
