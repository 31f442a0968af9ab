package io.threadwire.hub;

import io.threadwire.ConnectionId;
import io.threadwire.HistoryPolicy;
import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.ThreadId;
import io.threadwire.ThreadMessaging;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.FrameEncoder;
import io.threadwire.spi.HistoryEntry;
import io.threadwire.spi.HistoryStore;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.MessagingListener;
import io.threadwire.spi.Since;
import io.threadwire.spi.TransportConnection;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The transport-independent heart of Threadwire: membership, fan-out, history, recovery and send
 * outcomes. Every transport adapter puts a hub behind the {@link ThreadMessaging} port and feeds it
 * its connections through {@link #register}, {@link #join}, {@link #leave} and {@link #unregister}.
 *
 * <p>A send takes the thread's lock, assigns the next offset, stores the message, encodes it
 * <em>once</em> and hands the same {@link Frame} to every member's {@link
 * TransportConnection#send}; a join takes the same lock to replay missed messages before adding the
 * member. So every connection sees a thread's messages in offset order, replayed ones before live
 * ones, with no gap and no duplicate. Outcomes complete outside the lock.
 *
 * <p>Time comes from the injected {@link Clock} only: send deadlines, history age, idle-thread
 * expiry and idempotency windows all follow it, so a manual clock makes them deterministic. A
 * single daemon thread checks deadlines and runs maintenance; {@link #runMaintenance()} runs it on
 * demand.
 *
 * <p>See {@link ThreadMessaging} for the lifecycle and outcome contract.
 */
public final class ThreadHub implements ThreadMessaging {

  private static final System.Logger LOG = System.getLogger(ThreadHub.class.getName());

  private final HubSettings settings;
  private final FrameEncoder encoder;
  private final HistoryStore historyStore;
  private final Clock clock;
  private final MessagingListener listener;
  private final ConcurrentHashMap<ThreadId, ThreadState> threads = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ConnectionId, Registration> connections =
      new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<FanOut> inFlight = new ConcurrentLinkedQueue<>();
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private volatile ScheduledExecutorService scheduler;

  private ThreadHub(Builder b) {
    this.settings = b.settings;
    this.encoder = b.encoder;
    this.clock = b.clock;
    this.listener = b.listener;
    this.historyStore =
        b.historyStore != null ? b.historyStore : InMemoryHistoryStore.create(clock);
  }

  /**
   * {@return a builder for a hub that encodes frames with {@code encoder}}
   *
   * @param encoder the transport's encoder, called once per send
   */
  public static Builder builder(FrameEncoder encoder) {
    return new Builder(encoder);
  }

  // ---- the port -------------------------------------------------------------------------------

  @Override
  public CompletionStage<SendOutcome> send(ThreadId thread, Message message, SendOptions options) {
    long started = Observed.start(listener); // metrics hook (issue 15)
    return Observed.send(listener, started, sendUnobserved(thread, message, options)); // hook
  }

  private CompletionStage<SendOutcome> sendUnobserved(
      ThreadId thread, Message message, SendOptions options) {
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(options, "options");
    State now = state.get();
    if (now != State.RUNNING) {
      return CompletableFuture.completedFuture(notRunning(now));
    }
    if (message.sizeEstimate() > settings.maxMessageBytes()) {
      return CompletableFuture.completedFuture(
          SendOutcome.error(
              ErrorKind.INVALID_MESSAGE,
              "message of "
                  + message.sizeEstimate()
                  + " bytes exceeds maxMessageBytes "
                  + settings.maxMessageBytes(),
              Optional.empty()));
    }
    try {
      return sendRunning(thread, message, options);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "unexpected failure sending to thread " + thread, e);
      return CompletableFuture.completedFuture(
          SendOutcome.error(ErrorKind.INTERNAL, "unexpected failure: " + e, Optional.of(e)));
    }
  }

  private CompletionStage<SendOutcome> sendRunning(
      ThreadId thread, Message message, SendOptions options) {
    ThreadState ts = threads.get(thread);
    if (ts == null && (options.isTransient() || !policyFor(thread).enabled())) {
      return CompletableFuture.completedFuture(SendOutcome.noRecipients());
    }
    while (true) {
      if (ts == null) {
        ts = threads.computeIfAbsent(thread, this::newThread);
      }
      FanOut fanOut;
      Dispatch section = Dispatch.enter();
      try {
        synchronized (ts) {
          if (ts.removed) {
            ts = null;
            if (state.get() != State.RUNNING) {
              return CompletableFuture.completedFuture(notRunning(state.get()));
            }
            continue;
          }
          if (state.get() != State.RUNNING) {
            // close() ran since the check in send(), maybe before this state existed to drop.
            drop(ts);
            return CompletableFuture.completedFuture(notRunning(state.get()));
          }
          long nowMillis = clock.millis();
          ts.lastActivityMillis = nowMillis;
          String key = message.idempotencyKey().orElse(null);
          if (key != null) {
            CompletableFuture<SendOutcome> earlier =
                ts.rememberedOutcome(key, nowMillis, settings.idempotencyWindow().toMillis());
            if (earlier != null) {
              return earlier.thenApply(SendOutcome::asDuplicate);
            }
          }
          fanOut = dispatch(ts, message, options, nowMillis);
          if (key != null) {
            ts.remember(key, fanOut.future, nowMillis, settings.idempotencyMaxKeys());
          }
        }
      } finally {
        section.exit();
      }
      if (!fanOut.isDone()) {
        fanOut.dispatched();
        if (!fanOut.isDone()) {
          inFlight.add(fanOut);
          if (state.get() == State.CLOSED) {
            // close() may have drained inFlight before this send was added.
            fanOut.expire(ErrorKind.CLOSED, "messaging closed before the write was acknowledged");
          }
        }
      }
      // A copy, so a caller cancelling or completing it cannot touch the remembered outcome.
      return fanOut.future.copy();
    }
  }

  /** Stores, encodes once and hands the frame to every member; called under the thread lock. */
  private FanOut dispatch(ThreadState ts, Message message, SendOptions options, long nowMillis) {
    TransportConnection[] members = ts.members;
    boolean store = ts.history != null && !options.isTransient();
    if (!store && members.length == 0) {
      return FanOut.completed(ts.id, SendOutcome.noRecipients());
    }
    if (store && message.sizeEstimate() > ts.policy.maxBytes()) {
      return FanOut.completed(ts.id, tooLargeForHistory(ts, message));
    }
    long epoch = store ? ts.history.epoch() : 0;
    long offset = store ? ts.history.lastOffset() + 1 : 0;
    String text = encode(ts.id, epoch, offset, message);
    if (text == null) {
      return FanOut.completed(
          ts.id,
          SendOutcome.error(
              ErrorKind.ENCODING_FAILED,
              "could not encode message " + message.id() + " (see the log)",
              Optional.empty()));
    }
    if (store) {
      long stored = ts.history.append(message, Instant.ofEpochMilli(nowMillis));
      if (stored < 0) {
        return FanOut.completed(ts.id, historyFull(ts));
      }
      if (stored != offset || ts.history.epoch() != epoch) {
        // A store that assigns offsets itself (a shared one) may differ from the prediction.
        long predicted = offset;
        epoch = ts.history.epoch();
        offset = stored;
        text = encode(ts.id, epoch, offset, message);
        if (text == null) {
          return FanOut.completed(ts.id, reencodingFailed(ts, message, epoch, predicted, stored));
        }
      }
    }
    if (members.length == 0) {
      return FanOut.completed(ts.id, SendOutcome.queued(offset, List.of()));
    }
    Frame frame = new Frame(ts.id, epoch, offset, message, text);
    long timeout = options.timeout().orElse(settings.sendTimeout()).toMillis();
    FanOut fanOut = new FanOut(ts.id, offset, members.length, saturatedAdd(nowMillis, timeout));
    for (TransportConnection member : members) {
      try {
        member.send(frame, fanOut);
      } catch (RuntimeException e) {
        // The SPI forbids throwing; count it failed and keep going with the other members.
        LOG.log(Level.WARNING, "transport threw from send to connection " + safeId(member), e);
        fanOut.failed(member, e);
      }
    }
    return fanOut;
  }

  /** Returns the encoded text, or null (logged) if the encoder failed or returned null. */
  private String encode(ThreadId thread, long epoch, long offset, Message message) {
    try {
      String text = encoder.encode(thread, epoch, offset, message);
      if (text == null) {
        LOG.log(
            Level.WARNING, "encoder returned null for message " + message.id() + " of " + thread);
      }
      return text;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not encode message " + message.id() + " of " + thread, e);
      return null;
    }
  }

  private static String safeId(TransportConnection c) {
    try {
      return String.valueOf(c.id());
    } catch (RuntimeException e) {
      return "<id unavailable>";
    }
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  private static SendOutcome tooLargeForHistory(ThreadState ts, Message message) {
    return SendOutcome.error(
        ErrorKind.INVALID_MESSAGE,
        "message of "
            + message.sizeEstimate()
            + " bytes is larger than the history bound of "
            + ts.policy.maxBytes()
            + " bytes of thread "
            + ts.id,
        Optional.empty());
  }

  /**
   * The store put the message at another offset than predicted and it could not be encoded for that
   * one: no frame goes out, and the outcome says where the store kept it.
   */
  private static SendOutcome reencodingFailed(
      ThreadState ts, Message message, long epoch, long predicted, long stored) {
    return SendOutcome.error(
        ErrorKind.ENCODING_FAILED,
        "could not encode message "
            + message.id()
            + " for offset "
            + stored
            + " (epoch "
            + epoch
            + ") that the history store of thread "
            + ts.id
            + " assigned instead of "
            + predicted
            + " (see the log); it was sent to no connection but is kept in history at offset "
            + stored,
        Optional.empty(),
        List.of(),
        0,
        stored);
  }

  private static SendOutcome historyFull(ThreadState ts) {
    return SendOutcome.error(
        ErrorKind.HISTORY_FULL,
        "history of thread "
            + ts.id
            + " is full ("
            + ts.history.size()
            + " messages, "
            + ts.history.bytes()
            + " bytes) and its overflow policy is REJECT",
        Optional.empty());
  }

  private static SendOutcome notRunning(State s) {
    return s == State.NEW
        ? SendOutcome.error(
            ErrorKind.NOT_STARTED, "messaging has not been started", Optional.empty())
        : SendOutcome.error(ErrorKind.CLOSED, "messaging is closed", Optional.empty());
  }

  private ThreadState newThread(ThreadId id) {
    HistoryPolicy policy = policyFor(id);
    return new ThreadState(
        id, policy, policy.enabled() ? historyStore.open(id, policy) : null, clock.millis());
  }

  private HistoryPolicy policyFor(ThreadId thread) {
    return settings.historyPolicies().policyFor(thread);
  }

  @Override
  public int connectionCount(ThreadId thread) {
    ThreadState ts = threads.get(thread);
    return ts == null ? 0 : ts.members.length;
  }

  @Override
  public int userCount(ThreadId thread) {
    ThreadState ts = threads.get(thread);
    return ts == null ? 0 : ts.userCount;
  }

  @Override
  public State state() {
    return state.get();
  }

  @Override
  public void start() {
    if (state.compareAndSet(State.NEW, State.RUNNING)) {
      ScheduledExecutorService s =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "threadwire-hub-maintenance");
                t.setDaemon(true);
                return t;
              });
      long sweep = Math.max(5, Math.min(100, settings.sendTimeout().toMillis() / 10));
      s.scheduleWithFixedDelay(
          () -> quietly("send expiry", this::expireSends), sweep, sweep, TimeUnit.MILLISECONDS);
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
   * ErrorKind#CLOSED} error if nothing was written) and drops every thread and its history. The
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
      f.expire(ErrorKind.CLOSED, "messaging closed before every write was acknowledged");
    }
    // A join or send that passed its running check before this point re-checks under the
    // thread's lock: either this loop finds its state and drops it after it, or it sees CLOSED
    // and drops that state itself. So nothing is left behind either way.
    for (ThreadState ts : threads.values()) {
      synchronized (ts) {
        if (!ts.removed) {
          drop(ts);
        }
      }
    }
  }

  /** Marks {@code ts} removed, releases its history and forgets it; under its lock. */
  private void drop(ThreadState ts) {
    ts.removed = true;
    threads.remove(ts.id, ts);
    if (ts.history != null) {
      ts.history.release();
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
    Registration r = new Registration(connection);
    if (connections.putIfAbsent(connection.id(), r) != null) {
      throw new IllegalStateException("connection " + connection.id() + " is already registered");
    }
  }

  /**
   * Joins a registered connection to {@code thread}: calls {@link TransportConnection#joined},
   * replays what it missed after {@code since}, then makes it a member. A hub that is not running
   * refuses with {@link JoinResult.Status#NOT_RUNNING}, also when {@link #close()} runs while the
   * join is in progress: then {@code joined} is not called and the join leaves no state behind (no
   * membership, no thread, no open history).
   *
   * @param connectionId the registered connection
   * @param thread the thread
   * @param since where the client's recovery starts
   * @return what the join did
   * @throws IllegalStateException if the connection is not registered, or if called from inside
   *     {@link TransportConnection#send} or {@link TransportConnection#joined}
   */
  public JoinResult join(ConnectionId connectionId, ThreadId thread, Since since) {
    JoinResult result = joinUnobserved(connectionId, thread, since);
    Observed.join(listener, result); // metrics hook (issue 15)
    return result;
  }

  private JoinResult joinUnobserved(ConnectionId connectionId, ThreadId thread, Since since) {
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(since, "since");
    Dispatch.requireOutside("join");
    Registration r = registration(connectionId);
    synchronized (r) {
      if (state.get() != State.RUNNING || r.unregistered) {
        return JoinResult.refused(thread, JoinResult.Status.NOT_RUNNING);
      }
      boolean member = r.hasJoined(thread);
      if (!member && r.joinedCount() >= settings.maxThreadsPerConnection()) {
        return JoinResult.refused(thread, JoinResult.Status.TOO_MANY_THREADS);
      }
      while (true) {
        ThreadState ts = threads.computeIfAbsent(thread, this::newThread);
        Dispatch section = Dispatch.enter();
        try {
          synchronized (ts) {
            if (ts.removed) {
              if (state.get() != State.RUNNING) {
                return JoinResult.refused(thread, JoinResult.Status.NOT_RUNNING);
              }
              continue;
            }
            if (state.get() != State.RUNNING) {
              // close() ran since the check above, maybe before this state existed to drop.
              drop(ts);
              return JoinResult.refused(thread, JoinResult.Status.NOT_RUNNING);
            }
            if (member) {
              return new JoinResult(
                  thread,
                  JoinResult.Status.ALREADY_JOINED,
                  ts.history == null ? 0 : ts.history.epoch(),
                  ts.history == null ? 0 : ts.history.lastOffset(),
                  true,
                  0,
                  0);
            }
            JoinResult result = replayAndAdd(ts, r.connection, since);
            r.addJoined(thread);
            return result;
          }
        } finally {
          section.exit();
        }
      }
    }
  }

  private JoinResult replayAndAdd(ThreadState ts, TransportConnection c, Since since) {
    long nowMillis = clock.millis();
    ts.lastActivityMillis = nowMillis;
    long epoch = ts.history == null ? 0 : ts.history.epoch();
    long last = ts.history == null ? 0 : ts.history.lastOffset();
    List<Frame> replay = List.of();
    boolean recovered = true;
    long missed = 0;
    if (!since.isNone()) {
      long after = since.offset().getAsLong();
      boolean lost =
          (since.epoch().isPresent() && since.epoch().getAsLong() != epoch) || after > last;
      if (lost) {
        // The client's position belongs to a lost history: replay all that is retained, and
        // report at least one missed message since how many were lost is unknowable.
        after = 0;
      }
      List<HistoryEntry> entries =
          ts.history == null
              ? List.of()
              : ts.history.readAfter(after, Instant.ofEpochMilli(nowMillis));
      replay = new ArrayList<>(entries.size());
      for (HistoryEntry e : entries) {
        String text = encode(ts.id, epoch, e.offset(), e.message());
        if (text == null) {
          missed++;
        } else {
          replay.add(new Frame(ts.id, epoch, e.offset(), e.message(), text));
        }
      }
      long firstAvailable = entries.isEmpty() ? last + 1 : entries.get(0).offset();
      missed += Math.max(0, firstAvailable - after - 1);
      if (lost) {
        missed = Math.max(missed, 1);
      }
      recovered = missed == 0;
    }
    JoinResult result =
        new JoinResult(
            ts.id, JoinResult.Status.JOINED, epoch, last, recovered, replay.size(), missed);
    c.joined(result);
    for (Frame frame : replay) {
      try {
        c.send(frame, DeliveryCallback.ignoring());
      } catch (RuntimeException ex) {
        LOG.log(Level.WARNING, "transport threw from replay to connection " + safeId(c), ex);
      }
    }
    ts.addMember(c);
    return result;
  }

  /**
   * Removes a connection from {@code thread}.
   *
   * @param connectionId the registered connection
   * @param thread the thread
   * @return true if it was a member
   * @throws IllegalStateException if the connection is not registered, or if called from inside
   *     {@link TransportConnection#send} or {@link TransportConnection#joined}
   */
  public boolean leave(ConnectionId connectionId, ThreadId thread) {
    Objects.requireNonNull(thread, "thread");
    Dispatch.requireOutside("leave");
    Registration r = registration(connectionId);
    synchronized (r) {
      return r.removeJoined(thread) && removeMember(thread, r.connection);
    }
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
    Registration r = connections.remove(connectionId);
    if (r == null) {
      return;
    }
    synchronized (r) {
      r.unregistered = true;
      for (ThreadId thread : r.takeJoined()) {
        removeMember(thread, r.connection);
      }
    }
  }

  private boolean removeMember(ThreadId thread, TransportConnection c) {
    ThreadState ts = threads.get(thread);
    if (ts == null) {
      return false;
    }
    synchronized (ts) {
      ts.lastActivityMillis = clock.millis();
      return ts.removeMember(c);
    }
  }

  /**
   * {@return the threads a registered connection has joined; empty if it is unknown}
   *
   * @param connectionId the registered connection
   */
  public Set<ThreadId> joinedThreads(ConnectionId connectionId) {
    Objects.requireNonNull(connectionId, "connectionId");
    Registration r = connections.get(connectionId);
    if (r == null) {
      return Set.of();
    }
    synchronized (r) {
      return r.joined();
    }
  }

  private Registration registration(ConnectionId id) {
    Objects.requireNonNull(id, "connectionId");
    Registration r = connections.get(id);
    if (r == null) {
      throw new IllegalStateException("connection " + id + " is not registered");
    }
    return r;
  }

  // ---- maintenance ----------------------------------------------------------------------------

  /**
   * Expires sends past their deadline, then forgets idempotency keys older than the window, drops
   * threads idle for longer than {@link HubSettings#idleThreadTtl()} (no member, no activity, no
   * idempotency key left in its window), history included, and evicts history older than its
   * maximum age. A failure on one thread is logged and does not stop the others.
   */
  public void runMaintenance() {
    expireSends();
    long nowMillis = clock.millis();
    Instant now = Instant.ofEpochMilli(nowMillis);
    long idleCutoff = nowMillis - settings.idleThreadTtl().toMillis();
    long keyCutoff = nowMillis - settings.idempotencyWindow().toMillis();
    for (ThreadState ts : threads.values()) {
      synchronized (ts) {
        if (ts.removed) {
          continue;
        }
        try {
          ts.forgetKeysOlderThan(keyCutoff);
          // Keys still in the window keep the thread: dropping it would forget them early.
          if (ts.members.length == 0
              && ts.lastActivityMillis <= idleCutoff
              && ts.rememberedKeys() == 0) {
            drop(ts);
            continue;
          }
          if (ts.history != null) {
            ts.history.evictExpired(now);
          }
        } catch (RuntimeException e) {
          LOG.log(Level.ERROR, "maintenance of thread " + ts.id + " failed", e);
        }
      }
    }
  }

  private static void quietly(String what, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "hub " + what + " failed", e);
    }
  }

  private void expireSends() {
    if (inFlight.isEmpty()) {
      return;
    }
    long nowMillis = clock.millis();
    inFlight.removeIf(
        f -> {
          if (f.isDone()) {
            return true;
          }
          if (f.isExpired(nowMillis)) {
            f.expire(ErrorKind.TIMEOUT, "send timed out");
            return true;
          }
          return false;
        });
  }

  /** {@return a snapshot of what the hub holds; it walks every thread, so call it sparingly} */
  public HubStats stats() {
    long memberships = 0;
    long messages = 0;
    long bytes = 0;
    long keys = 0;
    int count = 0;
    for (ThreadState ts : threads.values()) {
      synchronized (ts) {
        if (ts.removed) {
          continue;
        }
        count++;
        memberships += ts.members.length;
        keys += ts.rememberedKeys();
        if (ts.history != null) {
          messages += ts.history.size();
          bytes += ts.history.bytes();
        }
      }
    }
    int pending = (int) inFlight.stream().filter(f -> !f.isDone()).count();
    return new HubStats(count, connections.size(), memberships, messages, bytes, keys, pending);
  }

  /** {@return the settings this hub runs with} */
  public HubSettings settings() {
    return settings;
  }

  /** {@return the clock this hub reads time from} */
  public Clock clock() {
    return clock;
  }

  /** Builds a {@link ThreadHub}. */
  public static final class Builder {
    private final FrameEncoder encoder;
    private HubSettings settings = HubSettings.defaults();
    private Clock clock = Clock.systemUTC();
    private HistoryStore historyStore;
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
     * Sets the history store; default an {@link InMemoryHistoryStore} on the hub's clock.
     *
     * @param historyStore the history store
     * @return this builder
     */
    public Builder historyStore(HistoryStore historyStore) {
      this.historyStore = Objects.requireNonNull(historyStore, "historyStore");
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

    /** {@return a new hub in state {@link State#NEW}} */
    public ThreadHub build() {
      return new ThreadHub(this);
    }
  }
}
