package io.threadwire.tyrus;

import io.threadwire.spi.MessagingListener;
import io.threadwire.spi.MessagingListener.HandshakeRefusal;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counters of what a {@link TyrusThreadMessaging} refused or cut off to protect itself, for
 * operators and metrics: each limit in the module's README has its counter here. Read-only for
 * callers; every count is cumulative since the server was built, except the two gauges {@link
 * #openConnections()} and {@link #outboundQueuedBytes()}. Thread-safe; reads are cheap and never
 * block the server. Every counted event is also reported to the server's {@link MessagingListener},
 * so metrics see exactly what these counters count.
 */
public final class TyrusStats {

  private final LongAdder handshakeTimeouts = new LongAdder();
  private final LongAdder pendingHandshakesDropped = new LongAdder();
  private final LongAdder connectionsRefused = new LongAdder();
  private final LongAdder handshakesRefused = new LongAdder();
  private final LongAdder messagesTooBig = new LongAdder();
  private final LongAdder protocolViolations = new LongAdder();
  private final LongAdder rateLimited = new LongAdder();
  private final LongAdder rateLimitCloses = new LongAdder();
  private final LongAdder slowConsumers = new LongAdder();
  private final LongAdder budgetCuts = new LongAdder();
  private final LongSupplier queuedBytes;
  private final long budgetBytes;
  private final MessagingListener listener;
  private volatile LongSupplier openConnections = () -> 0;

  TyrusStats(LongSupplier queuedBytes, long budgetBytes, MessagingListener listener) {
    this.queuedBytes = queuedBytes;
    this.budgetBytes = budgetBytes;
    this.listener = listener;
  }

  /** Sets where {@link #openConnections()} reads from, once the guard filter exists. */
  void countConnections(LongSupplier openConnections) {
    this.openConnections = openConnections;
  }

  /** {@return how many TCP connections were dropped for not completing the handshake in time} */
  public long handshakeTimeouts() {
    return handshakeTimeouts.sum();
  }

  /**
   * {@return how many not-yet-upgraded connections were dropped, oldest first, to make room under
   * {@link TyrusSettings#maxPendingHandshakes()}}
   */
  public long pendingHandshakesDropped() {
    return pendingHandshakesDropped.sum();
  }

  /**
   * {@return how many TCP connections were closed on accept, over {@link
   * TyrusSettings#maxConnections()} or {@link TyrusSettings#maxConnectionsPerAddress()}}
   */
  public long connectionsRefused() {
    return connectionsRefused.sum();
  }

  /** {@return how many HTTP requests were answered with a refusal (400, 403, 404, 426)} */
  public long handshakesRefused() {
    return handshakesRefused.sum();
  }

  /** {@return how many connections were closed with 1009 for a message over the size limit} */
  public long messagesTooBig() {
    return messagesTooBig.sum();
  }

  /** {@return how many connections were closed with 1002 for breaking RFC 6455 framing} */
  public long protocolViolations() {
    return protocolViolations.sum();
  }

  /** {@return how many client messages were answered {@code rate_limited} and dropped} */
  public long rateLimited() {
    return rateLimited.sum();
  }

  /** {@return how many connections were closed with 1008 for rate limit abuse} */
  public long rateLimitCloses() {
    return rateLimitCloses.sum();
  }

  /**
   * {@return how many connections were cut off with 1013 as slow consumers, for any reason: their
   * queue, the write timeout or the global outbound budget}
   */
  public long slowConsumers() {
    return slowConsumers.sum();
  }

  /** {@return how many of the {@link #slowConsumers()} were cut by the global outbound budget} */
  public long outboundBudgetCuts() {
    return budgetCuts.sum();
  }

  /** {@return the number of TCP connections open now, upgraded or not} */
  public long openConnections() {
    return openConnections.getAsLong();
  }

  /** {@return the bytes of outbound frames queued now across all connections, each held once} */
  public long outboundQueuedBytes() {
    return queuedBytes.getAsLong();
  }

  /** {@return the global outbound budget in bytes, as resolved when the server was built} */
  public long outboundBudgetBytes() {
    return budgetBytes;
  }

  void handshakeTimedOut() {
    handshakeTimeouts.increment();
    listener.handshakeRefused(HandshakeRefusal.TIMED_OUT);
  }

  void pendingHandshakeDropped() {
    pendingHandshakesDropped.increment();
    listener.handshakeRefused(HandshakeRefusal.LIMIT_REACHED);
  }

  void connectionRefused() {
    connectionsRefused.increment();
    listener.handshakeRefused(HandshakeRefusal.LIMIT_REACHED);
  }

  void handshakeRefused(HandshakeRefusal why) {
    handshakesRefused.increment();
    listener.handshakeRefused(why);
  }

  /** A handshake that passed the guard filter but could not be admitted by the endpoint. */
  void handshakeNotAdmitted() {
    listener.handshakeRefused(HandshakeRefusal.OTHER);
  }

  void messageTooBig() {
    messagesTooBig.increment();
  }

  void protocolViolation() {
    protocolViolations.increment();
  }

  void rateLimitedOnce() {
    rateLimited.increment();
    listener.frameRateLimited();
  }

  void rateLimitClosed() {
    rateLimitCloses.increment();
    listener.frameRateLimited(); // the frame that ended it was refused too
  }

  void slowConsumer(boolean byBudget) {
    slowConsumers.increment();
    listener.slowConsumerCutOff();
    if (byBudget) {
      budgetCuts.increment();
    }
  }

  @Override
  public String toString() {
    return "TyrusStats{open="
        + openConnections()
        + ", queuedBytes="
        + outboundQueuedBytes()
        + "/"
        + budgetBytes
        + ", handshakeTimeouts="
        + handshakeTimeouts()
        + ", pendingDropped="
        + pendingHandshakesDropped()
        + ", refused="
        + connectionsRefused()
        + ", handshakesRefused="
        + handshakesRefused()
        + ", tooBig="
        + messagesTooBig()
        + ", protocolViolations="
        + protocolViolations()
        + ", rateLimited="
        + rateLimited()
        + ", rateLimitCloses="
        + rateLimitCloses()
        + ", slowConsumers="
        + slowConsumers()
        + "}";
  }
}
