package io.threadwire.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.spi.AppendResult;
import io.threadwire.spi.LogHealth;
import io.threadwire.spi.LogListener;
import io.threadwire.spi.LogPolicy;
import io.threadwire.spi.LogPosition;
import io.threadwire.spi.LogReplay;
import io.threadwire.spi.LogStats;
import io.threadwire.spi.LogSubscription;
import io.threadwire.spi.Since;
import io.threadwire.spi.ThreadLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No thread-log call, subscription close included, happens while the calling thread holds a hub
 * monitor: a log that checks {@link Thread#holdsLock} on every thread state and registration the
 * hub ever had, at every call, under concurrent sends, joins with since, leaves, maintenance and
 * close; inline and answering on another thread.
 */
class NoLockHeldLogTest {

  private static final ThreadId ROOM = ThreadId.of("room");

  /** Wraps a log; every call records a violation if a hub monitor is held. */
  static final class LockCheckingLog implements ThreadLog {
    final ThreadLog delegate;
    final boolean async;
    final ExecutorService remote = Executors.newSingleThreadExecutor();
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger calls = new AtomicInteger();
    final Set<Object> seen =
        Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    volatile ThreadHub hub;

    LockCheckingLog(ThreadLog delegate, boolean async) {
      this.delegate = delegate;
      this.async = async;
    }

    void check(String call) {
      calls.incrementAndGet();
      ThreadHub h = hub;
      if (h != null) {
        seen.addAll(h.monitors());
      }
      List<Object> all;
      synchronized (seen) {
        all = new ArrayList<>(seen);
      }
      for (Object m : all) {
        if (Thread.holdsLock(m)) {
          violations.add(call + " called holding " + m.getClass().getSimpleName());
        }
      }
    }

    private <T> CompletionStage<T> call(String name, Supplier<CompletionStage<T>> c) {
      check(name);
      if (!async) {
        return c.get();
      }
      CompletableFuture<T> answer = new CompletableFuture<>();
      remote.execute(
          () ->
              c.get()
                  .whenComplete(
                      (r, e) -> {
                        if (e != null) {
                          answer.completeExceptionally(e);
                        } else {
                          answer.complete(r);
                        }
                      }));
      return answer;
    }

    @Override
    public CompletionStage<AppendResult> append(
        ThreadId thread, LogPolicy policy, Message message, long token) {
      return call("append", () -> delegate.append(thread, policy, message, token));
    }

    @Override
    public CompletionStage<AppendResult> publish(ThreadId thread, Message message, long token) {
      return call("publish", () -> delegate.publish(thread, message, token));
    }

    @Override
    public CompletionStage<LogReplay> replay(ThreadId thread, LogPolicy policy, Since since) {
      return call("replay", () -> delegate.replay(thread, policy, since));
    }

    @Override
    public CompletionStage<LogSubscription> subscribe(
        ThreadId thread, LogPolicy policy, LogListener listener) {
      return call("subscribe", () -> delegate.subscribe(thread, policy, listener))
          .thenApply(
              s ->
                  new LogSubscription() {
                    @Override
                    public LogPosition position() {
                      return s.position();
                    }

                    @Override
                    public void close() {
                      check("subscription.close");
                      s.close();
                    }
                  });
    }

    @Override
    public CompletionStage<LogHealth> health() {
      return call("health", delegate::health);
    }

    @Override
    public void maintain() {
      check("maintain");
      delegate.maintain();
    }

    @Override
    public LogStats stats() {
      check("stats");
      return delegate.stats();
    }

    @Override
    public void close() {
      check("close");
      remote.shutdown();
      delegate.close();
    }
  }

  @ParameterizedTest(name = "async answers: {0}")
  @ValueSource(booleans = {false, true})
  void noLogCallUnderAHubMonitor(boolean async) throws Exception {
    LockCheckingLog log = new LockCheckingLog(InMemoryThreadLog.create(Clock.systemUTC()), async);
    ThreadHub hub = ThreadHub.builder((t, e, o, m) -> o + "/" + m.payload()).threadLog(log).build();
    log.hub = hub;
    hub.start();
    List<TestConnection> conns = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      TestConnection c = new TestConnection("c" + i, "u" + (i % 2));
      conns.add(c);
      hub.register(c);
    }
    List<CompletableFuture<SendOutcome>> outcomes = Collections.synchronizedList(new ArrayList<>());
    List<Thread> workers = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      int id = s;
      workers.add(
          new Thread(
              () -> {
                for (int i = 0; i < 200; i++) {
                  SendOptions o = i % 7 == 0 ? SendOptions.transientSend() : SendOptions.defaults();
                  Message m =
                      i % 5 == 0
                          ? Message.builder("k" + i).idempotencyKey(id + "-" + i).build()
                          : Message.of("s" + id + "-" + i);
                  outcomes.add(hub.send(ROOM, m, o).toCompletableFuture());
                }
              }));
    }
    workers.add(
        new Thread(
            () -> {
              for (int round = 0; round < 40; round++) {
                TestConnection c = conns.get(round % conns.size());
                hub.join(c.id(), ROOM, round % 2 == 0 ? Since.offset(round) : Since.none());
                hub.runMaintenance();
                hub.stats();
                hub.leave(c.id(), ROOM);
              }
            }));
    workers.forEach(Thread::start);
    for (Thread w : workers) {
      w.join(TimeUnit.SECONDS.toMillis(30));
    }
    for (CompletableFuture<SendOutcome> f : outcomes) {
      assertThat(f.get(30, TimeUnit.SECONDS).isAccepted()).isTrue();
    }
    hub.unregister(conns.get(0).id());
    hub.logHealth().toCompletableFuture().get(30, TimeUnit.SECONDS);
    hub.close();

    assertThat(log.calls.get()).isGreaterThan(600);
    assertThat(log.seen).isNotEmpty();
    assertThat(log.violations).isEmpty();
  }

  @Test
  void theCheckSeesAMonitorHeldByTheCaller() {
    LockCheckingLog log = new LockCheckingLog(InMemoryThreadLog.create(Clock.systemUTC()), false);
    ThreadHub hub = ThreadHub.builder((t, e, o, m) -> m.payload()).threadLog(log).build();
    log.hub = hub;
    hub.start();
    hub.send(ROOM, Message.of("x")).toCompletableFuture().join();
    ThreadState ts = hub.threads.get(ROOM);
    synchronized (ts) {
      log.append(ROOM, ts.logPolicy, Message.of("y"), 1);
    }
    hub.close();
    assertThat(log.violations).containsExactly("append called holding ThreadState");
  }
}
