package io.threadwire.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.threadwire.HistoryPolicy;
import io.threadwire.Message;
import io.threadwire.ThreadId;
import io.threadwire.spi.AppendResult;
import io.threadwire.spi.DeliveryReport;
import io.threadwire.spi.LogEntry;
import io.threadwire.spi.LogHealth;
import io.threadwire.spi.LogListener;
import io.threadwire.spi.LogPolicy;
import io.threadwire.spi.LogReplay;
import io.threadwire.spi.LogSubscription;
import io.threadwire.spi.Since;
import io.threadwire.spi.ThreadLog;
import io.threadwire.spi.ThreadPresence;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ThreadLog} on Redis, shared by every node that points at the same Redis and key prefix:
 * per thread a stream holds the history, a hash the epoch, top offset, publish sequence and byte
 * count, and a sorted set and hash the idempotency keys; one Lua script does each append atomically
 * (idempotency, history policy, offset, XADD, PUBLISH). Subscribers get entries from the thread's
 * pub/sub channel, repaired from the stream, with a gap signalled for whatever the stream no longer
 * holds. The key layout and what is guaranteed when Redis fails are in the module README.
 *
 * <p>Commands are never buffered while disconnected: a call made while Redis is unreachable fails
 * at once, and one that gets no answer fails after the command timeout; neither is sent later.
 *
 * <p>Lifecycle: {@link #start()} connects (and fails with the address if Redis is unreachable) and
 * loads the script; {@link #close()} disconnects. Thread-safe.
 */
public final class RedisThreadLog implements ThreadLog {

  private static final Logger LOG = LoggerFactory.getLogger(RedisThreadLog.class);

  private final RedisSettings settings;
  private final Clock clock;
  private final String self = UUID.randomUUID().toString().replace("-", "");
  private final LogScript script = LogScript.load();
  private final Map<ThreadId, ThreadChannel> channels = new HashMap<>(); // guarded by itself
  private final Object lifecycle = new Object();
  private RedisClient client; // guarded by lifecycle
  private ScheduledExecutorService checker; // guarded by lifecycle
  private volatile StatefulRedisConnection<byte[], byte[]> connection;
  private volatile StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
  private volatile boolean closed;
  private final AtomicInteger toLose = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final byte[] reportChannel;
  private volatile RemoteReports reports;
  private volatile boolean reportsPaused;

  /** Reports waiting for the report {@code PUBLISH} in flight; see {@link #report}. */
  private final java.util.concurrent.ConcurrentLinkedQueue<OutgoingReport> outbox =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** Report publishes unanswered (or being made), at most {@link #REPORT_WINDOW}. */
  private final AtomicInteger reportsInFlight = new AtomicInteger();

  /**
   * Report publishes that may be unanswered at once; reports made while this many are wait and
   * leave together when one is answered.
   */
  private static final int REPORT_WINDOW = 8;

  /** At most this many reports in one {@code PUBLISH} (about 20 bytes each). */
  private static final int MAX_REPORTS_PER_PUBLISH = 512;

  private final RedisPresence presence;

  private RedisThreadLog(RedisSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.reportChannel = Keys.reportChannel(settings.keyPrefix(), self);
    this.presence = new RedisPresence(settings, self, this::redis);
  }

  /**
   * Returns a log over {@code settings} that timestamps entries with the system clock; call {@link
   * #start()} (or hand it to a hub, which starts it).
   *
   * @param settings where Redis is and how to talk to it
   * @return a new, unstarted log
   */
  public static RedisThreadLog create(RedisSettings settings) {
    return create(settings, Clock.systemUTC());
  }

  /**
   * Returns a log over {@code settings} that timestamps entries, and judges history age and
   * idempotency windows, by {@code clock}. Every node sharing a thread should use a clock close to
   * the others': the script compares their timestamps.
   *
   * @param settings where Redis is and how to talk to it
   * @param clock the clock of timestamps, age and windows
   * @return a new, unstarted log
   */
  public static RedisThreadLog create(RedisSettings settings, Clock clock) {
    return new RedisThreadLog(
        Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(clock, "clock"));
  }

  /**
   * Returns the settings this log was created with.
   *
   * @return the settings
   */
  public RedisSettings settings() {
    return settings;
  }

  /**
   * Connects to Redis, loads the script and starts the periodic position check; idempotent.
   *
   * @throws RedisLogException naming the address if Redis cannot be reached or refuses the script
   * @throws IllegalStateException if the log was closed
   */
  @Override
  public void start() {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("the Redis thread log is closed");
      }
      if (client != null) {
        return;
      }
      RedisURI uri = RedisURI.create(settings.uri());
      uri.setTimeout(settings.commandTimeout());
      RedisClient c = RedisClient.create(uri);
      c.setOptions(
          ClientOptions.builder()
              .autoReconnect(true)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
              .socketOptions(
                  SocketOptions.builder().connectTimeout(settings.connectTimeout()).build())
              .build());
      try {
        connection = c.connect(ByteArrayCodec.INSTANCE);
        pubsub = c.connectPubSub(ByteArrayCodec.INSTANCE);
        pubsub.addListener(new Listener());
        // Other nodes' delivery reports for this node's sends; Lettuce resubscribes on reconnect.
        pubsub.sync().subscribe(reportChannel);
        String sha = connection.sync().scriptLoad(script.source());
        if (!script.sha().equals(sha)) {
          throw new IllegalStateException(
              "Redis answered SHA " + sha + ", expected " + script.sha());
        }
      } catch (RuntimeException e) {
        c.shutdown(0, settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        throw new RedisLogException(
            "cannot start the Redis thread log at " + redacted(settings.uri()) + ": " + e, e);
      }
      client = c;
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread t = new Thread(r, "threadwire-redis-position-check");
                t.setDaemon(true);
                return t;
              });
      timer.setRemoveOnCancelPolicy(true); // most outcome deadlines are cancelled
      checker = timer;
      reports = new RemoteReports(timer, settings.outcomeDeadline().toMillis());
      long every = settings.positionCheckInterval().toMillis();
      checker.scheduleWithFixedDelay(this::checkPositions, every, every, TimeUnit.MILLISECONDS);
      LOG.info(
          "Redis thread log started at {} with prefix {}",
          redacted(settings.uri()),
          settings.keyPrefix());
    }
  }

  private RedisAsyncCommands<byte[], byte[]> redis() {
    StatefulRedisConnection<byte[], byte[]> c = connection;
    if (closed) {
      throw new IllegalStateException("the Redis thread log is closed");
    }
    if (c == null) {
      throw new IllegalStateException("the Redis thread log is not started");
    }
    return c.async();
  }

  @Override
  public CompletionStage<AppendResult> append(
      ThreadId thread, LogPolicy policy, Message message, long token) {
    HistoryPolicy history = policy.history();
    if (!history.enabled()) {
      if (closed) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("the Redis thread log is closed"));
      }
      return CompletableFuture.completedFuture(
          AppendResult.refused(
              AppendResult.Status.NOT_STORED, "history is disabled for thread " + thread));
    }
    long size = message.sizeEstimate();
    RemoteReports.Collector c = collector(token);
    return withRemote(
        thread,
        c,
        call(
            "append",
            thread,
            policy,
            r -> remote(thread, c, appendResult(thread, history, size, r), r),
            "append",
            Integer.toString(history.maxMessages()),
            Long.toString(history.maxBytes()),
            Long.toString(history.maxAge().toMillis()),
            history.overflow().name(),
            message.idempotencyKey().orElse(""),
            Long.toString(policy.idempotencyWindow().toMillis()),
            Integer.toString(policy.idempotencyMaxKeys()),
            Long.toString(size),
            self,
            Long.toString(token),
            message));
  }

  private RemoteReports.Collector collector(long token) {
    RemoteReports r = reports;
    return r == null ? null : r.open(token);
  }

  /** Cancels the collector of a send that failed. */
  private static <T> CompletableFuture<T> withRemote(
      ThreadId thread, RemoteReports.Collector c, CompletableFuture<T> call) {
    if (c == null) {
      return call;
    }
    return call.whenComplete(
        (r, e) -> {
          if (e != null) {
            c.cancel();
          }
        });
  }

  /**
   * Adds the remote part to a stored or published answer: PUBLISH's receiver count (the script's
   * 4th answer) less this node's own subscription, and the stage of their reports.
   */
  private AppendResult remote(
      ThreadId thread, RemoteReports.Collector c, AppendResult result, List<Object> r) {
    if (c == null) {
      return result;
    }
    if (result.status() != AppendResult.Status.APPENDED
        && result.status() != AppendResult.Status.PUBLISHED) {
      c.cancel();
      return result;
    }
    boolean selfSubscribed;
    synchronized (channels) {
      selfSubscribed = channels.containsKey(thread);
    }
    int others = (int) Math.max(0, Wire.number(r.get(3)) - (selfSubscribed ? 1 : 0));
    return result.withRemote(others, c.expect(others));
  }

  private static AppendResult appendResult(
      ThreadId thread, HistoryPolicy history, long size, List<Object> r) {
    String status = Wire.text(r.get(0));
    return switch (status) {
      case "APPENDED" -> AppendResult.appended(Wire.number(r.get(1)), Wire.number(r.get(2)));
      case "DUPLICATE" -> AppendResult.duplicate(Wire.number(r.get(1)), Wire.number(r.get(2)));
      case "TOO_LARGE" ->
          AppendResult.refused(
              AppendResult.Status.TOO_LARGE,
              "message of "
                  + size
                  + " bytes is larger than the history bound of "
                  + history.maxBytes()
                  + " bytes of thread "
                  + thread);
      case "REJECTED" ->
          AppendResult.refused(
              AppendResult.Status.REJECTED,
              "history of thread "
                  + thread
                  + " is full ("
                  + Wire.text(r.get(1))
                  + " messages, "
                  + Wire.text(r.get(2))
                  + " bytes) and its overflow policy is REJECT");
      default -> throw new IllegalStateException("unexpected script answer " + status);
    };
  }

  @Override
  public CompletionStage<AppendResult> publish(ThreadId thread, Message message, long token) {
    RemoteReports.Collector c = collector(token);
    return withRemote(
        thread,
        c,
        call(
            "publish",
            thread,
            null,
            r ->
                remote(
                    thread,
                    c,
                    AppendResult.published(Wire.number(r.get(1)), Wire.number(r.get(2))),
                    r),
            "publish",
            self,
            Long.toString(token),
            message));
  }

  /**
   * Returns true: the answers to appends and publishes carry how many other nodes received the
   * entry and the stage of their delivery reports, collected on this node's report channel until
   * {@link RedisSettings#outcomeDeadline()}.
   *
   * @return true
   */
  @Override
  public boolean reportsDeliveries() {
    return true;
  }

  /**
   * Publishes this node's delivery report for an entry of another node on that node's report
   * channel; never blocks, never throws, and drops the report if Redis cannot take it (the sender
   * then counts this node as not confirmed).
   *
   * <p>Reports are batched when they queue: a report leaves at once unless {@link #REPORT_WINDOW}
   * report publishes are unanswered; then the reports made meanwhile wait for the next answer and
   * leave together, one {@code PUBLISH} per sending node with one report a line, so Redis and both
   * nodes handle one message for many entries just when they are busiest.
   *
   * @param entry an entry this log delivered, with the appending node's receipt
   * @param report what this node's recipients got
   */
  @Override
  public void report(LogEntry entry, DeliveryReport report) {
    Wire.Receipt to = Wire.receipt(entry.receipt());
    if (to == null || reportsPaused || closed) {
      return;
    }
    outbox.add(new OutgoingReport(to.node(), RemoteReports.line(to.token(), report)));
    flushReports();
  }

  /** A report waiting in {@link #outbox}: the sending node and the report's line. */
  private record OutgoingReport(String node, String line) {}

  /**
   * Publishes what waits in the outbox, one {@code PUBLISH} per sending node, while fewer than
   * {@link #REPORT_WINDOW} report publishes are unanswered; each answer calls it again.
   */
  private void flushReports() {
    while (true) {
      int held = reportsInFlight.get();
      if (held >= REPORT_WINDOW || outbox.isEmpty()) {
        return;
      }
      if (!reportsInFlight.compareAndSet(held, held + 1)) {
        continue;
      }
      Map<String, StringBuilder> batch = new HashMap<>();
      int n = 0;
      OutgoingReport next;
      while (n < MAX_REPORTS_PER_PUBLISH && (next = outbox.poll()) != null) {
        StringBuilder b = batch.get(next.node());
        if (b == null) {
          batch.put(next.node(), new StringBuilder(next.line()));
        } else {
          b.append('\n').append(next.line());
        }
        n++;
      }
      if (n == 0) {
        // Another flush took them; a report added since is seen by the check above.
        reportsInFlight.decrementAndGet();
        continue;
      }
      publishReports(batch)
          .whenComplete(
              (x, e) -> {
                reportsInFlight.decrementAndGet();
                flushReports();
              });
    }
  }

  /** Publishes one message per node of {@code batch}; the stage completes when all answered. */
  private CompletableFuture<?> publishReports(Map<String, StringBuilder> batch) {
    if (reportsPaused || closed) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<?>[] all = new CompletableFuture<?>[batch.size()];
    int i = 0;
    for (Map.Entry<String, StringBuilder> e : batch.entrySet()) {
      CompletableFuture<?> f;
      try {
        f =
            redis()
                .publish(
                    Keys.reportChannel(settings.keyPrefix(), e.getKey()),
                    e.getValue().toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .toCompletableFuture()
                .handle(
                    (x, err) -> {
                      if (err != null) {
                        LOG.debug("delivery reports to {} not published: {}", e.getKey(), err);
                      }
                      return null;
                    });
      } catch (RuntimeException ex) {
        LOG.debug("delivery reports to {} not published: {}", e.getKey(), ex.toString());
        f = CompletableFuture.completedFuture(null);
      }
      all[i++] = f;
    }
    return all.length == 1 ? all[0] : CompletableFuture.allOf(all);
  }

  /**
   * Stops (or resumes) publishing this node's delivery reports, as a hung node would; for tests.
   */
  void pauseReports(boolean paused) {
    reportsPaused = paused;
  }

  @Override
  public CompletionStage<LogReplay> replay(ThreadId thread, LogPolicy policy, Since since) {
    long after = since.isNone() ? -1 : since.offset().getAsLong();
    long epoch = since.epoch().orElse(-1);
    long cutoff = clock.millis() - policy.history().maxAge().toMillis();
    return read(thread, policy, after, epoch).thenApply(r -> Replays.of(r, after, cutoff));
  }

  /** Reads the position and, for {@code after >= 0}, the stream after it (epoch -1: unknown). */
  CompletableFuture<Wire.Read> read(ThreadId thread, LogPolicy policy, long after, long epoch) {
    return call(
        "read",
        thread,
        policy,
        r -> Wire.read(thread, r, self),
        "read",
        Long.toString(after),
        epoch < 0 ? "" : Long.toString(epoch));
  }

  /**
   * Runs the script for {@code thread}: {@code args} after the common ones (op, channel, now, TTL);
   * a {@link Message} argument is encoded. Never throws: failures complete the stage.
   */
  private <T> CompletableFuture<T> call(
      String what,
      ThreadId thread,
      LogPolicy policy,
      Function<List<Object>, T> answer,
      Object... args) {
    try {
      Keys keys = Keys.of(settings.keyPrefix(), thread);
      byte[][] argv = new byte[args.length + 3][];
      argv[0] = Codec.utf8((String) args[0]);
      argv[1] = keys.channel();
      argv[2] = Codec.utf8(Long.toString(clock.millis()));
      argv[3] = Codec.utf8(Long.toString(ttlMillis(policy)));
      for (int i = 1; i < args.length; i++) {
        argv[i + 3] = args[i] instanceof Message m ? Codec.encode(m) : Codec.utf8((String) args[i]);
      }
      RedisAsyncCommands<byte[], byte[]> redis = redis();
      inFlight.incrementAndGet();
      return script
          .run(redis, keys.keys(), argv)
          .handle(
              (r, e) -> {
                inFlight.decrementAndGet();
                if (e != null) {
                  Throwable cause =
                      e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                  throw new RedisLogException(
                      what
                          + " on thread "
                          + thread
                          + " at "
                          + redacted(settings.uri())
                          + " failed: "
                          + cause,
                      cause);
                }
                return answer.apply(r);
              });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private long ttlMillis(LogPolicy policy) {
    long ttl = settings.minKeyTtl().toMillis();
    if (policy != null) {
      ttl = Math.max(ttl, policy.history().maxAge().toMillis());
      ttl = Math.max(ttl, policy.idempotencyWindow().toMillis());
    }
    return ttl;
  }

  @Override
  public CompletionStage<LogSubscription> subscribe(
      ThreadId thread, LogPolicy policy, LogListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (closed || pubsub == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              "the Redis thread log is " + (closed ? "closed" : "not started")));
    }
    ThreadChannel ch;
    boolean open = false;
    synchronized (channels) {
      ch = channels.get(thread);
      if (ch == null) {
        ch = new ThreadChannel(thread, policy, this::read);
        channels.put(thread, ch);
        open = true;
      }
      ch.members++;
    }
    ThreadChannel channel = ch;
    CompletableFuture<LogSubscription> f = ch.add(listener, policy, () -> leave(channel));
    if (open) {
      Keys keys = Keys.of(settings.keyPrefix(), thread);
      // Subscribe first, then read the position: every entry after it reaches the channel.
      pubsub
          .async()
          .subscribe(keys.channel())
          .toCompletableFuture()
          .thenCompose(ok -> read(thread, policy, -1, -1))
          .whenComplete(
              (r, e) -> {
                if (e == null) {
                  channel.opened(r);
                } else {
                  drop(channel);
                  channel.failed(
                      e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                }
              });
    }
    return f;
  }

  private void leave(ThreadChannel ch) {
    synchronized (channels) {
      if (--ch.members > 0 || channels.get(ch.thread) != ch) {
        return;
      }
      channels.remove(ch.thread);
      unsubscribe(ch.thread);
    }
  }

  private void drop(ThreadChannel ch) {
    synchronized (channels) {
      if (channels.get(ch.thread) == ch) {
        channels.remove(ch.thread);
        unsubscribe(ch.thread);
      }
    }
  }

  // Called under the channels lock, so an UNSUBSCRIBE never overtakes a later SUBSCRIBE.
  private void unsubscribe(ThreadId thread) {
    StatefulRedisPubSubConnection<byte[], byte[]> p = pubsub;
    if (p != null && !closed) {
      p.async().unsubscribe(Keys.of(settings.keyPrefix(), thread).channel());
    }
  }

  private ThreadChannel channel(byte[] name) {
    ThreadId thread = Keys.threadOf(settings.keyPrefix(), Codec.string(name));
    if (thread == null) {
      return null;
    }
    synchronized (channels) {
      return channels.get(thread);
    }
  }

  private void checkPositions() {
    List<ThreadChannel> all;
    synchronized (channels) {
      all = List.copyOf(channels.values());
    }
    for (ThreadChannel ch : all) {
      ch.check();
    }
  }

  /**
   * Answers healthy when Redis answers PING and holds the script (loading it again if its cache was
   * flushed); unhealthy, naming the address, otherwise.
   *
   * @return the health answer; never fails
   */
  @Override
  public CompletionStage<LogHealth> health() {
    String where = redacted(settings.uri());
    if (closed) {
      return CompletableFuture.completedFuture(
          LogHealth.unhealthy("Redis thread log at " + where + " is closed"));
    }
    try {
      RedisAsyncCommands<byte[], byte[]> r = redis();
      return r.ping()
          .toCompletableFuture()
          .thenCompose(pong -> r.scriptExists(script.sha()).toCompletableFuture())
          .thenCompose(
              exists ->
                  exists.get(0)
                      ? CompletableFuture.completedFuture(script.sha())
                      : r.scriptLoad(script.source()).toCompletableFuture())
          .handle(
              (sha, e) ->
                  e == null
                      ? LogHealth.healthy(
                          "Redis at " + where + " answers PING, script " + sha + " loaded")
                      : LogHealth.unhealthy("Redis at " + where + " does not answer: " + e));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          LogHealth.unhealthy("Redis thread log at " + where + ": " + e.getMessage()));
    }
  }

  /**
   * Returns true: every node on the same Redis and key prefix subscribes to the same threads.
   *
   * @return true
   */
  @Override
  public boolean isShared() {
    return true;
  }

  /**
   * Returns the cluster-wide presence: this node's connections and users per thread, kept in Redis
   * by a heartbeat every {@link RedisSettings#heartbeat()} and counted by every node until {@link
   * RedisSettings#nodeTtl()} after the last one.
   *
   * @return the presence, always present
   */
  @Override
  public Optional<ThreadPresence> presence() {
    return Optional.of(presence);
  }

  /**
   * Withdraws this node's presence entries (waiting at most the command timeout), then disconnects
   * from Redis; later calls fail. Idempotent; never throws.
   */
  @Override
  public void close() {
    close(true);
  }

  /**
   * Stops as a crashed node would: heartbeats stop and the connections close, but this node's
   * presence entries stay in Redis until the node TTL passes; for tests.
   */
  void crash() {
    close(false);
  }

  private void close(boolean withdraw) {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      if (client != null) {
        presence.stop(withdraw); // before closed: the withdrawal still needs the connection
      }
      closed = true;
      if (checker != null) {
        checker.shutdownNow();
      }
      RemoteReports r = reports;
      if (r != null) {
        r.closeAll(); // their deadlines were on the checker
      }
      if (client != null) {
        try {
          client.shutdown(0, settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
          LOG.warn("closing the Redis client failed", e);
        }
      }
    }
  }

  /**
   * Returns true if no call is waiting for Redis and every subscribed channel has delivered what
   * Redis holds; blocks on reads, for tests only.
   */
  boolean quiescent() {
    if (inFlight.get() > 0) {
      return false;
    }
    List<ThreadChannel> all;
    synchronized (channels) {
      all = List.copyOf(channels.values());
    }
    for (ThreadChannel ch : all) {
      Wire.Read position = read(ch.thread, null, -1, -1).join();
      if (!ch.caughtUp(position)) {
        return false;
      }
    }
    return inFlight.get() == 0;
  }

  /** Returns how many repairs from the stream the current subscriptions made; for tests. */
  long repairs() {
    synchronized (channels) {
      return channels.values().stream().mapToLong(ch -> ch.repairs).sum();
    }
  }

  /** Makes the subscription lose the next {@code n} channel messages, as a blip does; for tests. */
  void loseNotifications(int n) {
    toLose.addAndGet(n);
  }

  /**
   * Returns {@code uri} without its password, for messages and logs.
   *
   * @param uri a Redis URI
   * @return the URI with {@code user:password@} replaced by {@code ***@}
   */
  static String redacted(String uri) {
    return uri.replaceFirst("//[^@/]*@", "//***@");
  }

  private final class Listener extends RedisPubSubAdapter<byte[], byte[]> {
    @Override
    public void message(byte[] channel, byte[] message) {
      if (java.util.Arrays.equals(channel, reportChannel)) {
        RemoteReports r = reports;
        if (r != null) {
          r.received(message);
        }
        return;
      }
      ThreadChannel ch = channel(channel);
      if (ch == null || toLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return;
      }
      Wire.Notice n;
      try {
        n = Wire.notice(ch.thread, message, self);
      } catch (RuntimeException e) {
        // Treated as lost: the sequence jump it leaves is repaired or reported as a gap.
        LOG.warn("unreadable message on the channel of thread {}: {}", ch.thread, e.toString());
        return;
      }
      ch.notice(n);
    }

    @Override
    public void subscribed(byte[] channel, long count) {
      ThreadChannel ch = channel(channel);
      if (ch != null) {
        ch.resubscribed();
      }
    }
  }
}
