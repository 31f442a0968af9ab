package io.threadwire.testkit.log;

import io.threadwire.Message;
import io.threadwire.ThreadId;
import io.threadwire.spi.AppendResult;
import io.threadwire.spi.LogEntry;
import io.threadwire.spi.LogGap;
import io.threadwire.spi.LogHealth;
import io.threadwire.spi.LogListener;
import io.threadwire.spi.LogPolicy;
import io.threadwire.spi.LogPosition;
import io.threadwire.spi.LogReplay;
import io.threadwire.spi.LogStats;
import io.threadwire.spi.LogSubscription;
import io.threadwire.spi.Since;
import io.threadwire.spi.ThreadLog;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.awaitility.Awaitility;

/**
 * A {@link ThreadLog} that behaves like one across a network: it wraps another log (usually the
 * in-memory one) and runs every call later, on its own threads, after a random delay, and answers
 * after another one, so answers arrive in shuffled order and on threads the caller does not own.
 * Subscriptions keep the wrapped log's order but deliver later, on those threads too. Failures are
 * injectable: failed calls, calls that never answer, lost answers of calls that did happen, lost
 * notifications (reported with a {@link LogGap}, as an honest networked log does).
 *
 * <p>For host applications that want to test against a slow, shuffling log, and for networked logs
 * that want the hub's behaviour over one in a test. Two switches break the log's contract on
 * purpose, so a test can show that a kit notices: {@link #breakOrdering} and {@link
 * #breakGapSignal}.
 *
 * <pre>{@code
 * ThreadLog log = RemoteLogSimulation.builder(InMemoryThreadLog.create(clock))
 *     .maxDelay(Duration.ofMillis(2)).seed(42).build();
 * }</pre>
 */
public final class RemoteLogSimulation implements ThreadLog {

  private final ThreadLog delegate;
  private final long maxDelayNanos;
  private final SplittableRandom seedSource;
  private final ScheduledThreadPoolExecutor pool;
  private final AtomicInteger failCalls = new AtomicInteger();
  private final AtomicInteger loseAnswers = new AtomicInteger();
  private final AtomicInteger loseNotifications = new AtomicInteger();
  private volatile boolean stalled;
  private volatile boolean brokenOrdering;
  private volatile boolean brokenGapSignal;

  private RemoteLogSimulation(Builder b) {
    this.delegate = b.delegate;
    this.maxDelayNanos = b.maxDelay.toNanos();
    this.seedSource = new SplittableRandom(b.seed);
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ScheduledThreadPoolExecutor(
            b.threads,
            r -> {
              Thread t = new Thread(r, "remote-log-sim-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.setRemoveOnCancelPolicy(true);
  }

  /**
   * {@return a builder for a simulation wrapping {@code delegate}}
   *
   * @param delegate the log the simulation wraps, owns and closes
   */
  public static Builder builder(ThreadLog delegate) {
    return new Builder(delegate);
  }

  /**
   * Makes the next {@code n} calls (append, publish, replay) fail without reaching the log.
   *
   * @param n how many calls to fail
   */
  public void failNextCalls(int n) {
    failCalls.addAndGet(n);
  }

  /**
   * Makes the next {@code n} appends or publishes happen but lose their answer: the stage fails
   * although the entry was stored and delivered, as after a timeout on the wire.
   *
   * @param n how many answers to lose
   */
  public void loseNextAnswers(int n) {
    loseAnswers.addAndGet(n);
  }

  /**
   * Makes subscriptions lose the next {@code n} notifications; each loss is reported with a {@link
   * LogGap} before the next delivered entry (unless {@link #breakGapSignal} is on).
   *
   * @param n how many notifications to lose
   */
  public void loseNextNotifications(int n) {
    loseNotifications.addAndGet(n);
  }

  /**
   * While true, calls are accepted but never answered, as a log that hangs.
   *
   * @param stalled whether calls from now on go unanswered
   */
  public void stall(boolean stalled) {
    this.stalled = stalled;
  }

  /**
   * Breaks the contract: notifications are delivered in any order. For testing kits only.
   *
   * @param broken whether notifications from now on may be delivered out of order
   */
  public void breakOrdering(boolean broken) {
    this.brokenOrdering = broken;
  }

  /**
   * Breaks the contract: lost notifications are not reported with a gap. For testing kits only.
   *
   * @param broken whether lost notifications from now on go unreported
   */
  public void breakGapSignal(boolean broken) {
    this.brokenGapSignal = broken;
  }

  private long delay() {
    if (maxDelayNanos == 0) {
      return 0;
    }
    synchronized (seedSource) {
      return seedSource.nextLong(maxDelayNanos + 1);
    }
  }

  private static boolean take(AtomicInteger counter) {
    return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  /** Runs {@code call} later on the pool and answers later again, or fails or stalls it. */
  private <T> CompletionStage<T> remote(Supplier<CompletionStage<T>> call, boolean mayLoseAnswer) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    if (stalled) {
      return answer;
    }
    boolean fail = take(failCalls);
    boolean loseAnswer = mayLoseAnswer && !fail && take(loseAnswers);
    try {
      pool.schedule(
          () -> {
            if (fail) {
              answer.completeExceptionally(new SimulatedLogException("injected failure"));
              return;
            }
            CompletionStage<T> stage;
            try {
              stage = call.get();
            } catch (RuntimeException e) {
              stage = CompletableFuture.failedFuture(e);
            }
            stage.whenComplete(
                (r, err) ->
                    later(
                        () -> {
                          if (loseAnswer) {
                            answer.completeExceptionally(
                                new SimulatedLogException("answer lost on the wire"));
                          } else if (err != null) {
                            answer.completeExceptionally(err);
                          } else {
                            answer.complete(r);
                          }
                        }));
          },
          delay(),
          TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      answer.completeExceptionally(new SimulatedLogException("simulation is closed"));
    }
    return answer;
  }

  private void later(Runnable task) {
    try {
      pool.schedule(task, delay(), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed: nothing more is answered
    }
  }

  @Override
  public void start() {
    delegate.start();
  }

  @Override
  public CompletionStage<AppendResult> append(
      ThreadId thread, LogPolicy policy, Message message, long token) {
    return remote(() -> delegate.append(thread, policy, message, token), true);
  }

  @Override
  public CompletionStage<AppendResult> publish(ThreadId thread, Message message, long token) {
    return remote(() -> delegate.publish(thread, message, token), true);
  }

  @Override
  public CompletionStage<LogReplay> replay(ThreadId thread, LogPolicy policy, Since since) {
    return remote(() -> delegate.replay(thread, policy, since), false);
  }

  @Override
  public CompletionStage<LogSubscription> subscribe(
      ThreadId thread, LogPolicy policy, LogListener listener) {
    Objects.requireNonNull(listener, "listener");
    Relay relay = new Relay(listener);
    CompletableFuture<LogSubscription> answer = new CompletableFuture<>();
    if (stalled) {
      return answer;
    }
    pool.schedule(
        () ->
            delegate
                .subscribe(thread, policy, relay)
                .whenComplete(
                    (sub, err) -> {
                      if (err != null) {
                        later(() -> answer.completeExceptionally(err));
                        return;
                      }
                      // The answer goes through the relay's queue: no entry overtakes it.
                      relay.enqueue(() -> answer.complete(relay.wrap(sub)));
                    }),
        delay(),
        TimeUnit.NANOSECONDS);
    return answer;
  }

  @Override
  public CompletionStage<LogHealth> health() {
    return remote(delegate::health, false);
  }

  @Override
  public void maintain() {
    delegate.maintain();
  }

  @Override
  public LogStats stats() {
    return delegate.stats();
  }

  @Override
  public boolean isShared() {
    return delegate.isShared();
  }

  /**
   * Waits until every call and notification in flight has run and answered (stalled calls
   * excepted), at most {@code max}: a test with a manual clock calls it before moving the clock
   * past a deadline, as a network much faster than the send timeout would have.
   *
   * @param max how long to wait at most
   * @throws org.awaitility.core.ConditionTimeoutException if the simulation is still busy
   */
  public void awaitQuiescence(Duration max) {
    Awaitility.await()
        .atMost(max)
        .pollInterval(Duration.ofMillis(1))
        .pollDelay(Duration.ZERO)
        .until(() -> pool.getQueue().isEmpty() && pool.getActiveCount() == 0);
  }

  /** Stops the simulation's threads, then closes the wrapped log. */
  @Override
  public void close() {
    pool.shutdownNow();
    delegate.close();
  }

  /**
   * Relays one subscription's notifications through a serial queue run on the pool, later, keeping
   * the wrapped log's order (unless ordering is broken on purpose).
   */
  private final class Relay implements LogListener {
    private final LogListener target;
    private final SerialQueue queue = new SerialQueue(pool, RemoteLogSimulation.this::delay);
    private volatile boolean closed;
    private long lastDelivered = -1; // guarded by the queue's serial execution
    private boolean owesGap;
    private long lostEpoch;

    Relay(LogListener target) {
      this.target = target;
    }

    void enqueue(Runnable r) {
      queue.add(r);
    }

    LogSubscription wrap(LogSubscription sub) {
      return new LogSubscription() {
        @Override
        public LogPosition position() {
          return sub.position();
        }

        @Override
        public void close() {
          closed = true;
          sub.close();
        }
      };
    }

    @Override
    public void entry(LogEntry e) {
      Runnable deliver =
          () -> {
            if (closed) {
              return;
            }
            if (!e.isTransient() && take(loseNotifications)) {
              owesGap = true;
              lostEpoch = e.epoch();
              lastDelivered = e.offset();
              return;
            }
            if (owesGap && !brokenGapSignal) {
              target.gap(
                  new LogGap(
                      e.thread(),
                      lostEpoch,
                      Math.max(0, lastDelivered),
                      "simulated lost notification"));
            }
            owesGap = false;
            if (!e.isTransient()) {
              lastDelivered = e.offset();
            }
            target.entry(e);
          };
      if (brokenOrdering) {
        later(deliver);
      } else {
        queue.add(deliver);
      }
    }

    @Override
    public void gap(LogGap gap) {
      queue.add(
          () -> {
            if (!closed) {
              target.gap(gap);
            }
          });
    }
  }

  /** Builds a {@link RemoteLogSimulation}. */
  public static final class Builder {
    private final ThreadLog delegate;
    private Duration maxDelay = Duration.ofMillis(1);
    private long seed = 1;
    private int threads = 3;

    private Builder(ThreadLog delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * Sets the longest delay before a call runs and before it answers; default 1 ms.
     *
     * @param maxDelay the longest delay, zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code maxDelay} is negative
     */
    public Builder maxDelay(Duration maxDelay) {
      if (maxDelay.isNegative()) {
        throw new IllegalArgumentException("maxDelay must not be negative, got " + maxDelay);
      }
      this.maxDelay = maxDelay;
      return this;
    }

    /**
     * Sets the seed of the delays, so a failing run can be repeated; default 1.
     *
     * @param seed the seed of the random delays
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets how many threads run calls and answers; default 3, at least 2.
     *
     * @param threads the number of threads, 2 or more
     * @return this builder
     * @throws IllegalArgumentException if {@code threads} is less than 2
     */
    public Builder threads(int threads) {
      if (threads < 2) {
        throw new IllegalArgumentException("threads must be >= 2, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** {@return the simulation; it owns the wrapped log and closes it with itself} */
    public RemoteLogSimulation build() {
      return new RemoteLogSimulation(this);
    }
  }
}
