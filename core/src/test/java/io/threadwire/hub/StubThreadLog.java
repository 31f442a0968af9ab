package io.threadwire.hub;

import io.threadwire.Message;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An in-memory log that counts subscriptions opened and closed, can run a hook inside {@link
 * #subscribe} to force an interleaving, and can answer appends in the delegate's place.
 */
class StubThreadLog implements ThreadLog {

  final InMemoryThreadLog delegate;
  final AtomicInteger subscribed = new AtomicInteger();
  final AtomicInteger closed = new AtomicInteger();

  /** Runs inside {@link #subscribe}, after subscribing, before the subscription is returned. */
  volatile Runnable onSubscribe = () -> {};

  /** When set, answers appends instead of the delegate, which then never sees them. */
  volatile Supplier<CompletionStage<AppendResult>> instead;

  StubThreadLog(Clock clock) {
    this.delegate = InMemoryThreadLog.create(clock);
  }

  @Override
  public CompletionStage<AppendResult> append(
      ThreadId thread, LogPolicy policy, Message message, long token) {
    Supplier<CompletionStage<AppendResult>> i = instead;
    return i != null ? i.get() : delegate.append(thread, policy, message, token);
  }

  @Override
  public CompletionStage<AppendResult> publish(ThreadId thread, Message message, long token) {
    return delegate.publish(thread, message, token);
  }

  @Override
  public CompletionStage<LogReplay> replay(ThreadId thread, LogPolicy policy, Since since) {
    return delegate.replay(thread, policy, since);
  }

  @Override
  public CompletionStage<LogSubscription> subscribe(
      ThreadId thread, LogPolicy policy, LogListener listener) {
    subscribed.incrementAndGet();
    CompletionStage<LogSubscription> stage = delegate.subscribe(thread, policy, listener);
    onSubscribe.run();
    return stage.thenApply(
        s ->
            new LogSubscription() {
              @Override
              public LogPosition position() {
                return s.position();
              }

              @Override
              public void close() {
                closed.incrementAndGet();
                s.close();
              }
            });
  }

  @Override
  public CompletionStage<LogHealth> health() {
    return delegate.health();
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
  public void close() {
    delegate.close();
  }
}
