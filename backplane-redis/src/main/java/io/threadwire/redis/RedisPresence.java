package io.threadwire.redis;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.spi.PresenceCount;
import io.threadwire.spi.ThreadPresence;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's side of the cluster-wide presence ({@code presence.lua}): per thread it has members
 * in, an entry in the thread's presence hash {@code <prefix>:{<thread>}:presence} (field = node id,
 * value = expiry, connections, users), written soon after the members change and rewritten on every
 * heartbeat; readers skip (and remove) entries past their expiry, so a node that stopped drops out
 * within the node TTL. All writes run on one thread, so they reach Redis in order.
 */
final class RedisPresence implements ThreadPresence {

  private static final Logger LOG = LoggerFactory.getLogger(RedisPresence.class);

  private final RedisSettings settings;
  private final byte[] node;
  private final Supplier<RedisAsyncCommands<byte[], byte[]>> redis;
  private final LogScript script = LogScript.load("presence.lua");
  private final Set<ThreadId> published = ConcurrentHashMap.newKeySet();
  private final Set<ThreadId> dirty = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean flushQueued = new AtomicBoolean();
  private volatile LocalPresence local;
  private volatile ScheduledExecutorService writer;
  private volatile boolean failing;

  RedisPresence(
      RedisSettings settings, String node, Supplier<RedisAsyncCommands<byte[], byte[]>> redis) {
    this.settings = settings;
    this.node = Codec.utf8(node);
    this.redis = redis;
  }

  /** The thread's presence hash, {@code <prefix>:{<thread>}:presence}: in the thread's slot. */
  static byte[] key(String prefix, ThreadId thread) {
    return Codec.utf8(prefix + ":{" + thread.value() + "}:presence");
  }

  @Override
  public synchronized void start(LocalPresence local) {
    if (writer != null) {
      return;
    }
    this.local = local;
    ScheduledExecutorService w =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "threadwire-redis-presence");
              t.setDaemon(true);
              return t;
            });
    long every = settings.heartbeat().toMillis();
    w.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    writer = w;
    if (!dirty.isEmpty()) {
      queueFlush(); // changes recorded before start
    }
  }

  @Override
  public void changed(ThreadId thread) {
    dirty.add(thread);
    queueFlush();
  }

  private void queueFlush() {
    ScheduledExecutorService w = writer;
    if (w != null && flushQueued.compareAndSet(false, true)) {
      try {
        w.execute(this::flush);
      } catch (RuntimeException e) {
        flushQueued.set(false); // stopping
      }
    }
  }

  private void flush() {
    flushQueued.set(false);
    for (ThreadId t : List.copyOf(dirty)) {
      dirty.remove(t);
      write(t);
    }
  }

  private void heartbeat() {
    for (ThreadId t : List.copyOf(published)) {
      write(t);
    }
  }

  /** Publishes this node's count of {@code thread} now; on the writer thread only. */
  private void write(ThreadId thread) {
    LocalPresence view = local;
    if (view == null) {
      return;
    }
    PresenceCount now;
    try {
      now = view.of(thread);
    } catch (RuntimeException e) {
      LOG.warn("reading the local presence of thread {} failed", thread, e);
      return;
    }
    if (now.connections() == 0 && !published.remove(thread)) {
      return; // nothing published, nothing to withdraw
    }
    if (now.connections() > 0) {
      published.add(thread);
    }
    byte[][] args = new byte[4 + now.users().size()][];
    args[0] = Codec.utf8("set");
    args[1] = node;
    args[2] = Codec.utf8(Long.toString(settings.nodeTtl().toMillis()));
    args[3] = Codec.utf8(Integer.toString(now.connections()));
    int i = 4;
    for (UserId u : now.users()) {
      args[i++] = Codec.utf8(u.value());
    }
    run(thread, args)
        .whenComplete(
            (r, e) -> {
              if (e != null) {
                if (!failing) {
                  failing = true;
                  LOG.warn(
                      "presence of thread {} not written to Redis (retried every heartbeat): {}",
                      thread,
                      e.toString());
                }
                if (now.connections() == 0) {
                  published.add(thread); // withdraw again on the next heartbeat
                }
              } else {
                failing = false;
              }
            });
  }

  @Override
  public CompletionStage<PresenceCount> others(ThreadId thread) {
    return run(thread, Codec.utf8("others"), node)
        .thenApply(
            r -> {
              int connections = (int) Math.min(Integer.MAX_VALUE, (Long) r.get(0));
              Set<UserId> users = new HashSet<>();
              for (int i = 1; i < r.size(); i++) {
                users.add(UserId.of(Codec.string((byte[]) r.get(i))));
              }
              return new PresenceCount(connections, users);
            });
  }

  private CompletableFuture<List<Object>> run(ThreadId thread, byte[]... args) {
    try {
      byte[][] keys = {key(settings.keyPrefix(), thread)};
      return script
          .run(redis.get(), keys, args)
          .exceptionallyCompose(
              e ->
                  CompletableFuture.failedFuture(
                      new RedisLogException(
                          "presence of thread "
                              + thread
                              + " at "
                              + RedisThreadLog.redacted(settings.uri())
                              + " failed: "
                              + (e instanceof CompletionException && e.getCause() != null
                                  ? e.getCause()
                                  : e),
                          e)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Stops the heartbeat; when {@code withdraw}, first removes this node's entries (a clean
   * shutdown), waiting at most the command timeout. Without it the entries stay until the node TTL
   * passes, as after a crash.
   */
  void stop(boolean withdraw) {
    ScheduledExecutorService w;
    synchronized (this) {
      w = writer;
      writer = null;
    }
    if (w != null) {
      w.shutdownNow();
      try {
        // A write in progress must reach Redis before the withdrawal, not after it.
        w.awaitTermination(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!withdraw) {
      return;
    }
    List<CompletableFuture<List<Object>>> all =
        published.stream()
            .map(t -> run(t, Codec.utf8("set"), node, Codec.utf8("0"), Codec.utf8("0")))
            .toList();
    published.clear();
    try {
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn(
          "withdrawing this node's presence failed; it expires within the node TTL: {}",
          e.toString());
    }
  }
}
