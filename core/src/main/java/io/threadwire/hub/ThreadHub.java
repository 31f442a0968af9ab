package io.threadwire.hub;

import io.threadwire.ConnectionId;
import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.ThreadId;
import io.threadwire.ThreadMessaging;
import io.threadwire.spi.FrameEncoder;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.LogHealth;
import io.threadwire.spi.LogSubscription;
import io.threadwire.spi.MessagingListener;
import io.threadwire.spi.Since;
import io.threadwire.spi.ThreadLog;
import io.threadwire.spi.TransportConnection;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The transport-independent heart of Threadwire: membership, fan-out, recovery and send outcomes,
 * over a {@link ThreadLog} that owns order, history and idempotency. Every transport adapter puts a
 * hub behind the {@link ThreadMessaging} port and feeds it its connections through {@link
 * #register}, {@link #join}, {@link #leave} and {@link #unregister}.
 *
 * <p>A send hands the message to the log, outside every lock; the log assigns its offset and
 * delivers the entry to the thread's subscription, where a per-thread sequencer puts entries in
 * offset order, encodes each <em>once</em> and hands the same frame to every member's {@link
 * TransportConnection#send}. A join subscribes, reads the replay, replays, then sends what arrived
 * meanwhile and was not replayed, before it becomes a member. So every connection sees a thread's
 * messages in offset order, replayed ones before live ones, with no gap and no duplicate, whatever
 * order the log's answers arrive in. The default log ({@link InMemoryThreadLog}) answers inline.
 *
 * <p>Time comes from the injected {@link Clock} only: send deadlines, idle-thread expiry and
 * idempotency windows follow it (the default log takes the same clock for history age). A single
 * daemon thread checks deadlines and runs maintenance; {@link #runMaintenance()} runs it on demand.
 *
 * <p>See {@link ThreadMessaging} for the lifecycle and outcome contract.
 */
public final class ThreadHub implements ThreadMessaging {

  private static final System.Logger LOG = System.getLogger(ThreadHub.class.getName());

  final HubSettings settings;
  final FrameEncoder encoder;
  final ThreadLog log;
  final Clock clock;
  final MessagingListener listener;
  final ConcurrentLinkedQueue<FanOut> inFlight = new ConcurrentLinkedQueue<>();
  final Threads threads;
  final Sending sending;
  final Joining joining;
  final Maintenance maintenance;
  final Presence presence;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private volatile ScheduledExecutorService scheduler;

  private ThreadHub(Builder b) {
    this.settings = b.settings;
    this.encoder = b.encoder;
    this.clock = b.clock;
    this.listener = b.listener;
    this.log = b.log != null ? b.log : InMemoryThreadLog.create(clock);
    this.threads = new Threads(this);
    this.sending = new Sending(this);
    this.joining = new Joining(this);
    this.maintenance = new Maintenance(this);
    this.presence = new Presence(this, log.presence().orElse(null));
  }

  /**
   * Returns a builder for a hub that encodes frames with {@code encoder}.
   *
   * @param encoder the transport's encoder, called once per message and node
   * @return this builder
   */
  public static Builder builder(FrameEncoder encoder) {
    return new Builder(encoder);
  }

  // ---- the port -------------------------------------------------------------------------------

  @Override
  public CompletionStage<SendOutcome> send(ThreadId thread, Message message, SendOptions options) {
    // metrics hook (issue 15): a send that reached the log reports itself (Observed.future)
    return Observed.early(listener, sendUnobserved(thread, message, options));
  }

  private CompletionStage<SendOutcome> sendUnobserved(
      ThreadId thread, Message message, SendOptions options) {
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(options, "options");
    State now = state.get();
    if (now != State.RUNNING) {
      return CompletableFuture.completedFuture(Outcomes.notRunning(now));
    }
    if (message.sizeEstimate() > settings.maxMessageBytes()) {
      return CompletableFuture.completedFuture(
          Outcomes.tooLarge(message, settings.maxMessageBytes()));
    }
    try {
      return sending.send(thread, message, options);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "unexpected failure sending to thread " + thread, e);
      return CompletableFuture.completedFuture(
          SendOutcome.error(ErrorKind.INTERNAL, "unexpected failure: " + e, Optional.of(e)));
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Over a log with a {@linkplain ThreadLog#presence() cluster-wide presence} this counts every
   * live node's connections, waiting for the log at most the send timeout (this node's count if the
   * others cannot be read in time); otherwise this node's, without waiting.
   */
  @Override
  public int connectionCount(ThreadId thread) {
    return presence.connectionCount(thread);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Over a log with a {@linkplain ThreadLog#presence() cluster-wide presence} a user connected
   * to several nodes counts once; same waiting rule as {@link #connectionCount}.
   */
  @Override
  public int userCount(ThreadId thread) {
    return presence.userCount(thread);
  }

  @Override
  public State state() {
    return state.get();
  }

  /** Starts the hub and its log. */
  @Override
  public void start() {
    if (state.get() == State.NEW) {
      log.start();
    }
    if (state.compareAndSet(State.NEW, State.RUNNING)) {
      presence.start();
      ScheduledExecutorService s =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "threadwire-hub-maintenance");
                t.setDaemon(true);
                return t;
              });
      long shortest =
          Math.min(settings.sendTimeout().toMillis(), settings.outcomeDeadline().toMillis());
      long sweep = Math.max(5, Math.min(100, shortest / 10));
      s.scheduleWithFixedDelay(
          () -> quietly("send expiry", maintenance::expireSends),
          sweep,
          sweep,
          TimeUnit.MILLISECONDS);
      long every = settings.maintenanceInterval().toMillis();
      s.scheduleWithFixedDelay(
          () -> quietly("maintenance", this::runMaintenance), every, every, TimeUnit.MILLISECONDS);
      scheduler = s;
      if (state.get() == State.CLOSED) {
        s.shutdownNow(); // close() ran before the scheduler was published
      }
    } else if (state.get() == State.CLOSED) {
      throw new IllegalStateException("messaging is closed and cannot be restarted");
    }
  }

  /**
   * Sends and waits, never longer than the send timeout plus a second, even if the completion
   * machinery were stalled: such a wait ends in a {@link ErrorKind#TIMEOUT} error.
   */
  @Override
  public SendOutcome sendAndWait(ThreadId thread, Message message, SendOptions options) {
    long waitMillis = options.timeout().orElse(settings.sendTimeout()).toMillis() + 1000;
    try {
      return send(thread, message, options)
          .toCompletableFuture()
          .get(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SendOutcome.error(
          ErrorKind.INTERNAL, "interrupted while waiting for the outcome", Optional.of(e));
    } catch (TimeoutException e) {
      return SendOutcome.error(
          ErrorKind.TIMEOUT, "no outcome within " + waitMillis + " ms", Optional.of(e));
    } catch (ExecutionException | CancellationException e) {
      return SendOutcome.error(
          ErrorKind.INTERNAL, "send failed unexpectedly: " + e, Optional.of(e));
    }
  }

  /**
   * Stops accepting sends and joins, completes sends in flight with what they achieved (an {@link
   * ErrorKind#CLOSED} error if nothing was written), drops every thread and closes the log. The
   * transport closes its own connections.
   */
  @Override
  public void close() {
    if (state.getAndSet(State.CLOSED) == State.CLOSED) {
      return;
    }
    ScheduledExecutorService s = scheduler;
    if (s != null) {
      s.shutdownNow();
    }
    FanOut f;
    while ((f = inFlight.poll()) != null) {
      maintenance.expire(f, ErrorKind.CLOSED, "messaging closed before the send ended");
    }
    // A join or send that passed its running check before this point re-checks under the
    // thread's lock: either this loop finds its state and drops it after it, or it sees CLOSED
    // and drops that state itself. So nothing is left behind either way.
    List<LogSubscription> toClose = new ArrayList<>();
    List<FanOut> pending = new ArrayList<>();
    List<Runnable> joins = new ArrayList<>();
    for (ThreadState ts : threads.all()) {
      synchronized (ts) {
        if (!ts.removed) {
          toClose.add(threads.drop(ts));
        }
        pending.addAll(ts.takeAllPending());
        for (JoinAttempt j : ts.cancelAllJoins()) {
          joins.add(() -> Joining.refuse(ts, j));
        }
      }
    }
    joins.forEach(Runnable::run);
    for (FanOut p : pending) {
      p.expire(ErrorKind.CLOSED, "messaging closed before the send ended");
    }
    toClose.forEach(Threads::quietlyClose);
    try {
      log.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "closing the thread log failed", e);
    }
  }

  // ---- the transport side ---------------------------------------------------------------------

  /**
   * Registers a transport connection so it can join threads.
   *
   * @param connection the connection
   * @throws IllegalStateException if a connection with the same id is already registered, or if
   *     called from inside {@link TransportConnection#send} or {@link TransportConnection#joined}
   */
  public void register(TransportConnection connection) {
    Objects.requireNonNull(connection, "connection");
    Dispatch.requireOutside("register");
    joining.register(connection);
  }

  /**
   * Joins a registered connection to {@code thread} and waits for the answer: calls {@link
   * TransportConnection#joined}, replays what it missed after {@code since}, then makes it a
   * member. Over the default log this never waits; over a networked log it waits for the replay, at
   * most the send timeout, after which the connection joins without it and is told it did not
   * recover. A hub that is not running refuses with {@link JoinResult.Status#NOT_RUNNING}, also
   * when {@link #close()} runs while the join is in progress: then {@code joined} is not called and
   * the join leaves no state behind.
   *
   * @param connectionId the registered connection
   * @param since where the client's recovery starts
   * @param thread the thread
   * @return the answer
   * @throws IllegalStateException if the connection is not registered, or if called from inside
   *     {@link TransportConnection#send} or {@link TransportConnection#joined}
   */
  public JoinResult join(ConnectionId connectionId, ThreadId thread, Since since) {
    CompletableFuture<JoinResult> f = joinAsync(connectionId, thread, since);
    try {
      return f.isDone()
          ? f.get()
          : f.get(settings.sendTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return JoinResult.refused(thread, JoinResult.Status.NOT_RUNNING);
    } catch (ExecutionException e) {
      // An unexpected failure inside the join: thrown as it was, for the transport to answer.
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("join of " + thread + " failed", e.getCause());
    } catch (TimeoutException e) {
      LOG.log(Level.WARNING, "join of " + thread + " did not complete in time", e);
      return JoinResult.refused(thread, JoinResult.Status.NOT_RUNNING);
    }
  }

  /**
   * Joins like {@link #join} without waiting: the stage completes when the connection is a member
   * (or the join was refused), on the thread that completed the replay.
   *
   * @param connectionId the registered connection
   * @param since where the client's recovery starts
   * @param thread the thread
   * @return the answer
   * @throws IllegalStateException as {@link #join} does
   */
  public CompletableFuture<JoinResult> joinAsync(
      ConnectionId connectionId, ThreadId thread, Since since) {
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(since, "since");
    Dispatch.requireOutside("join");
    CompletableFuture<JoinResult> result = joining.join(connectionId, thread, since);
    if (listener != MessagingListener.none()) { // metrics hook (issue 15)
      result.thenAccept(r -> Observed.join(listener, r));
    }
    return result;
  }

  /**
   * Removes a connection from {@code thread}.
   *
   * @return true if it was a member
   * @param connectionId the registered connection
   * @param thread the thread
   * @throws IllegalStateException if the connection is not registered, or if called from inside
   *     {@link TransportConnection#send} or {@link TransportConnection#joined}
   */
  public boolean leave(ConnectionId connectionId, ThreadId thread) {
    Objects.requireNonNull(thread, "thread");
    Dispatch.requireOutside("leave");
    return joining.leave(connectionId, thread);
  }

  /**
   * Removes a connection from every thread and forgets it; does nothing if it is unknown.
   *
   * @param connectionId the registered connection
   * @throws IllegalStateException if called from inside {@link TransportConnection#send} or {@link
   *     TransportConnection#joined}: a transport learning there that its socket died must
   *     unregister from another thread
   */
  public void unregister(ConnectionId connectionId) {
    Objects.requireNonNull(connectionId, "connectionId");
    Dispatch.requireOutside("unregister");
    joining.unregister(connectionId);
  }

  /**
   * Returns the threads a registered connection has joined; empty if it is unknown.
   *
   * @param connectionId the registered connection
   * @return the threads a registered connection has joined; empty if it is unknown
   */
  public Set<ThreadId> joinedThreads(ConnectionId connectionId) {
    return joining.joinedThreads(connectionId);
  }

  // ---- maintenance ----------------------------------------------------------------------------

  /**
   * Expires sends past their deadline, lets the log do its housekeeping (history older than its
   * maximum age), forgets idempotency keys older than the window, and drops threads idle for longer
   * than {@link HubSettings#idleThreadTtl()} (no member, no activity, no idempotency key left in
   * its window), closing their log subscription. A failure on one thread is logged and does not
   * stop the others.
   */
  public void runMaintenance() {
    maintenance.run();
  }

  private static void quietly(String what, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "hub " + what + " failed", e);
    }
  }

  /**
   * Returns a snapshot of what the hub holds; it walks every thread, so call it sparingly.
   *
   * @return a snapshot of what the hub holds; it walks every thread, so call it sparingly
   */
  public HubStats stats() {
    return maintenance.stats();
  }

  /**
   * Asks the thread log whether it can take appends, for a readiness check.
   *
   * @return the answer
   */
  public CompletionStage<LogHealth> logHealth() {
    try {
      return log.health();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(LogHealth.unhealthy("log health failed: " + e));
    }
  }

  /** Returns every monitor the hub takes (thread states, registrations); for lock tests. */
  List<Object> monitors() {
    List<Object> all = new ArrayList<>(threads.all());
    all.addAll(joining.registrations());
    return all;
  }

  /**
   * Returns the settings this hub runs with.
   *
   * @return the settings this hub runs with
   */
  public HubSettings settings() {
    return settings;
  }

  /**
   * Returns the clock this hub reads time from.
   *
   * @return the clock this hub reads time from
   */
  public Clock clock() {
    return clock;
  }

  /** Builds a {@link ThreadHub}. */
  public static final class Builder {
    private final FrameEncoder encoder;
    private HubSettings settings = HubSettings.defaults();
    private Clock clock = Clock.systemUTC();
    private ThreadLog log;
    private MessagingListener listener = MessagingListener.none();

    private Builder(FrameEncoder encoder) {
      this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    /**
     * Sets the settings; default {@link HubSettings#defaults()}.
     *
     * @param settings the settings
     * @return this builder
     */
    public Builder settings(HubSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Sets the clock; default the system UTC clock.
     *
     * @param clock the clock to read time from
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the thread log; default an {@link InMemoryThreadLog} on the hub's clock. The hub starts
     * it and closes it with itself.
     *
     * @param log the thread log
     * @return this builder
     */
    public Builder threadLog(ThreadLog log) {
      this.log = Objects.requireNonNull(log, "log");
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
     * Returns a new hub in state {@link State#NEW}.
     *
     * @return a new hub in state {@link State#NEW}
     */
    public ThreadHub build() {
      return new ThreadHub(this);
    }
  }
}
