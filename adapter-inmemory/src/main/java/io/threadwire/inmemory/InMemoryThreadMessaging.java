package io.threadwire.inmemory;

import io.threadwire.ConnectionId;
import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.ThreadMessaging;
import io.threadwire.UserId;
import io.threadwire.hub.HubSettings;
import io.threadwire.hub.ThreadHub;
import io.threadwire.spi.FrameEncoder;
import io.threadwire.spi.MessagingListener;
import io.threadwire.spi.ThreadLog;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An in-process {@link ThreadMessaging}: the full hub (history, recovery, outcomes) with fake
 * client connections instead of sockets. Host applications use it in their own tests and as an
 * embedded default.
 *
 * <pre>{@code
 * try (InMemoryThreadMessaging messaging = InMemoryThreadMessaging.create()) {
 *   messaging.start();
 *   InMemoryClient browser = messaging.connect(UserId.of("ada"));
 *   browser.join(ThreadId.of("run-1"));
 *   SendOutcome outcome = messaging.sendAndWait(ThreadId.of("run-1"), Message.of("hi"),
 *       SendOptions.defaults());          // DELIVERED, deliveredCount 1
 *   browser.received();                  // [ReceivedFrame{run-1, offset 1, "hi"}]
 * }
 * }</pre>
 *
 * <p>Deterministic by default: a healthy client receives each frame synchronously, in the sender's
 * thread, before the send returns. Faults ({@link Fault}) make a client fail, stall or close mid
 * fan-out. Frames are encoded as the bare payload text unless another encoder is given.
 */
public final class InMemoryThreadMessaging implements ThreadMessaging {

  private final ThreadHub hub;
  private final ExecutorService transportEvents =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "threadwire-inmemory-events");
            t.setDaemon(true);
            return t;
          });

  private final Set<InMemoryClient> clients = ConcurrentHashMap.newKeySet();

  private InMemoryThreadMessaging(ThreadHub hub) {
    this.hub = hub;
  }

  /**
   * Returns a new instance with default settings and the system clock.
   *
   * @return a new instance with default settings and the system clock
   */
  public static InMemoryThreadMessaging create() {
    return builder().build();
  }

  /**
   * Returns a new instance with {@code settings} and the system clock.
   *
   * @param settings the settings
   * @return a new instance with {@code settings} and the system clock
   */
  public static InMemoryThreadMessaging create(HubSettings settings) {
    return builder().settings(settings).build();
  }

  /**
   * Returns a builder.
   *
   * @return this builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Connects a fake client of {@code user} with no fault.
   *
   * @param user the user
   * @return the answer
   */
  public InMemoryClient connect(UserId user) {
    return connect(user, Fault.NONE);
  }

  /**
   * Connects a fake client of {@code user} that injects {@code fault}.
   *
   * @param fault the fault
   * @param user the user
   * @return the answer
   */
  public InMemoryClient connect(UserId user, Fault fault) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(fault, "fault");
    InMemoryClient client =
        new InMemoryClient(ConnectionId.next(), user, fault, hub, transportEvents, clients::remove);
    clients.add(client);
    return client;
  }

  /** Returns how many connected clients this instance still tracks (to close them with it). */
  int trackedClients() {
    return clients.size();
  }

  /**
   * Returns the hub behind this instance, for stats and on-demand maintenance.
   *
   * @return the hub behind this instance, for stats and on-demand maintenance
   */
  public ThreadHub hub() {
    return hub;
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

  @Override
  public void start() {
    hub.start();
  }

  /** Closes the hub, then every client it connected, then the event thread. */
  @Override
  public void close() {
    hub.close();
    for (InMemoryClient c : clients) {
      c.close();
    }
    clients.clear();
    transportEvents.shutdown();
  }

  /** Builds an {@link InMemoryThreadMessaging}. */
  public static final class Builder {
    private HubSettings settings = HubSettings.defaults();
    private Clock clock = Clock.systemUTC();
    private FrameEncoder encoder = (thread, epoch, offset, message) -> message.payload();
    private ThreadLog threadLog;
    private MessagingListener listener = MessagingListener.none();

    private Builder() {}

    /**
     * Sets the hub settings; default {@link HubSettings#defaults()}.
     *
     * @param settings the settings
     * @return this builder
     */
    public Builder settings(HubSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Sets the clock, for example a manual clock in tests; default the system UTC clock.
     *
     * @param clock the clock to read time from
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the frame encoder; default the bare payload text.
     *
     * @param encoder the encoder
     * @return this builder
     */
    public Builder encoder(FrameEncoder encoder) {
      this.encoder = Objects.requireNonNull(encoder, "encoder");
      return this;
    }

    /**
     * Sets the thread log; default an in-memory log on the clock. The instance starts and closes it
     * with itself.
     *
     * @param threadLog the thread log
     * @return this builder
     */
    public Builder threadLog(ThreadLog threadLog) {
      this.threadLog = Objects.requireNonNull(threadLog, "threadLog");
      return this;
    }

    /**
     * Sets who hears every send's outcome and every join, for metrics; default {@link
     * MessagingListener#none()}.
     *
     * @param listener called on the hot path: see its contract
     * @return this builder
     */
    public Builder listener(MessagingListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Returns a new, not yet started, instance.
     *
     * @return a new, not yet started, instance
     */
    public InMemoryThreadMessaging build() {
      ThreadHub.Builder b =
          ThreadHub.builder(encoder).settings(settings).clock(clock).listener(listener);
      if (threadLog != null) {
        b.threadLog(threadLog);
      }
      return new InMemoryThreadMessaging(b.build());
    }
  }
}
