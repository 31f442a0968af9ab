package io.threadwire.hub;

import io.threadwire.Message;
import io.threadwire.ThreadId;
import io.threadwire.spi.AppendResult;
import io.threadwire.spi.LogHealth;
import io.threadwire.spi.LogListener;
import io.threadwire.spi.LogPolicy;
import io.threadwire.spi.LogReplay;
import io.threadwire.spi.LogStats;
import io.threadwire.spi.LogSubscription;
import io.threadwire.spi.Since;
import io.threadwire.spi.ThreadLog;
import java.util.concurrent.CompletionStage;

/** A log that hands every call to another; tests override what they change. */
class ForwardingLog implements ThreadLog {
  final ThreadLog log;

  ForwardingLog(ThreadLog log) {
    this.log = log;
  }

  @Override
  public CompletionStage<AppendResult> append(
      ThreadId thread, LogPolicy policy, Message message, long token) {
    return log.append(thread, policy, message, token);
  }

  @Override
  public CompletionStage<AppendResult> publish(ThreadId thread, Message message, long token) {
    return log.publish(thread, message, token);
  }

  @Override
  public CompletionStage<LogReplay> replay(ThreadId thread, LogPolicy policy, Since since) {
    return log.replay(thread, policy, since);
  }

  @Override
  public CompletionStage<LogSubscription> subscribe(
      ThreadId thread, LogPolicy policy, LogListener listener) {
    return log.subscribe(thread, policy, listener);
  }

  @Override
  public CompletionStage<LogHealth> health() {
    return log.health();
  }

  @Override
  public LogStats stats() {
    return log.stats();
  }

  @Override
  public boolean isShared() {
    return log.isShared();
  }

  @Override
  public void close() {
    log.close();
  }
}
