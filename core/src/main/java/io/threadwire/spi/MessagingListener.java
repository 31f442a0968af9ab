package io.threadwire.spi;

import io.threadwire.SendOutcome;

/**
 * Hears what a messaging instance does, for metrics: the hub reports every send's outcome and every
 * join, a transport reports what only it sees (slow consumers cut off, rate-limited frames, refused
 * handshakes). Every method has a no-op default, so an implementation overrides only what it
 * counts; {@link #none()} hears nothing and costs nothing.
 *
 * <p>The contract, for implementers:
 *
 * <ul>
 *   <li>Called on the thread where the event happens (a sender, an I/O thread, the hub's timer),
 *       never under a hub lock, possibly from many threads at once: an implementation is
 *       thread-safe.
 *   <li>Called on the hot path: it returns at once, never blocks, never allocates per call if it
 *       can help it (a counter increment is the expected cost), and never calls back into the
 *       messaging instance.
 *   <li>It never throws: a listener's exception would surface in a sender's or I/O thread.
 * </ul>
 *
 * <p>Wire one with {@code ThreadHub.Builder#listener}, or the {@code listener} method of an
 * adapter's builder (which hands it to its hub too); {@code threadwire-micrometer} provides one
 * that feeds Micrometer meters.
 */
public interface MessagingListener {

  /**
   * Returns the listener that hears nothing; the default everywhere.
   *
   * @return the no-op listener, one shared instance
   */
  static MessagingListener none() {
    return NoListener.INSTANCE;
  }

  /**
   * A send completed with {@code outcome}; called once per send, duplicates included.
   *
   * <p>A send that reached the log is reported on the thread that completes its outcome, just
   * before the caller's stage completes (so counts read after an outcome include it), through the
   * {@link #sendRecorder()} that thread was given (by default, this method); one that did not (not
   * running, no recipients, refused, a duplicate) here, when it ends, mostly in the call.
   *
   * <p>Over a log that {@linkplain io.threadwire.spi.ThreadLog#reportsDeliveries() reports
   * deliveries} (a cluster), the outcome is the one combined with the other nodes' reports,
   * reported here, on the thread that completes it, and timed to it; entries this node delivers for
   * a send made on another node are not sends of this node and are not reported, so each delivery
   * is counted once, by the node the send went through.
   *
   * @param outcome the outcome the caller's stage completed with
   * @param latencyNanos from the hub handing the send to the thread log to the outcome, in
   *     nanoseconds; -1 if this send was not timed (see {@link #latencySampleInterval()}) or ended
   *     before it reached the log
   */
  default void sendCompleted(SendOutcome outcome, long latencyNanos) {}

  /**
   * Returns where the hub records the sends that complete on the calling thread; by default this
   * listener's {@link #sendCompleted}. A send that reached the log is recorded through it, one that
   * did not through {@link #sendCompleted} itself, so both must count alike.
   *
   * <p>The hub asks on a thread when it first completes a send there, keeps the answer in its own
   * per-thread state, and asks again only when that thread completes a send of a hub with another
   * listener (so a thread alternating between two hubs asks on every switch). It calls the recorder
   * only on the thread that asked, so a listener that counts into per-thread cells can return the
   * calling thread's cell and count with plain, single-writer stores, sparing a thread-local lookup
   * of its own per send. The recorder keeps this listener's contract: it returns at once, never
   * blocks, allocates nothing and never throws. A thread that ever completed a send keeps its last
   * recorder reachable until it completes one for another listener.
   *
   * @return the recorder for the calling thread, never null
   */
  default SendRecorder sendRecorder() {
    return this::sendCompleted;
  }

  /**
   * Returns how many sends the hub counts per timed one. Timing a send costs two clock reads (about
   * 30 ns each on common hardware, a noticeable share of a send to one connection), so a listener
   * may ask for one send in N, picked at random, to be timed; the others are reported with latency
   * -1. Read once per send; the default, 1, times every send.
   *
   * @return a power of two, at least 1
   */
  default int latencySampleInterval() {
    return 1;
  }

  /**
   * The hub answered a join, whether it took effect or was refused; {@link JoinResult#replayed()}
   * messages were replayed, and a member that is not {@link JoinResult#recovered()} was told of a
   * gap.
   *
   * @param result what the join did
   */
  default void joined(JoinResult result) {}

  /** A transport disconnected a slow consumer: its queue overflowed or a write timed out. */
  default void slowConsumerCutOff() {}

  /** A transport refused a client's frame because the client exceeded its rate limit. */
  default void frameRateLimited() {}

  /**
   * A transport refused a connection attempt at the handshake.
   *
   * @param reason why, from a small fixed set
   */
  default void handshakeRefused(HandshakeRefusal reason) {}

  /** Records the outcomes of the sends that complete on one thread; see {@link #sendRecorder()}. */
  @FunctionalInterface
  interface SendRecorder {
    /**
     * A send completed with {@code outcome}, on the thread this recorder was returned to; the same
     * report as {@link MessagingListener#sendCompleted}.
     *
     * @param outcome the outcome the caller's stage completed with
     * @param latencyNanos the send's latency in nanoseconds, or -1 if it was not timed
     */
    void sendCompleted(SendOutcome outcome, long latencyNanos);
  }

  /** Why a handshake was refused; a small fixed set, so it can tag a metric. */
  enum HandshakeRefusal {
    /** The request asked for a path the server does not serve. */
    UNKNOWN_PATH,
    /** The request's {@code Origin} is not on the allow-list. */
    ORIGIN_NOT_ALLOWED,
    /** The authenticator did not accept the request's credentials, or failed. */
    NOT_AUTHENTICATED,
    /** The request was not a well-formed WebSocket upgrade (answered 400 or 426). */
    MALFORMED,
    /** A server limit (connections, handshakes in progress) was reached. */
    LIMIT_REACHED,
    /** The client did not complete its handshake within the handshake deadline. */
    TIMED_OUT,
    /** Any other reason, such as a request that bypassed the admission filter. */
    OTHER
  }
}
