package io.threadwire;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What happened to one send: an immutable value with a {@link Status} and the facts behind it.
 *
 * <p>Each recipient (a connection that was a member of the thread when the message was dispatched)
 * is counted in exactly one of three counts:
 *
 * <ul>
 *   <li>{@link #deliveredCount()}: the transport confirmed the write (handed to the network and
 *       acknowledged by it) before the outcome completed;
 *   <li>{@link #failedCount()}: known <em>not</em> delivered: the write was refused or failed
 *       before any byte of it was handed to the network (connection already closed, queue full), or
 *       the transport threw; these are named in {@link #failedConnections()};
 *   <li>{@link #unconfirmedCount()}: neither known delivered nor known failed: the write had not
 *       completed by the outcome deadline ({@code HubSettings.outcomeDeadline}, or the send timeout
 *       if shorter), or the connection was cut while the write was in flight (the client may have
 *       received it). A stalled recipient lands here; the transport goes on applying its
 *       slow-consumer policy to it after the outcome completed.
 * </ul>
 *
 * <p>Every send ends in exactly one of these ways:
 *
 * <table>
 *   <caption>Send outcomes</caption>
 *   <tr><th>status</th><th>when</th><th>carries</th></tr>
 *   <tr><td>{@link Status#DELIVERED}</td>
 *       <td>at least one write confirmed; others may have failed or be unconfirmed (partial
 *           failure is still delivered)</td>
 *       <td>the three counts, the failed connections, the history offset if stored</td></tr>
 *   <tr><td>{@link Status#QUEUED}</td>
 *       <td>no write confirmed (nobody joined, every write failed or is unconfirmed) and the
 *           message is kept in the thread's history for replay; also the answer to a duplicate
 *           (see below)</td>
 *       <td>the history offset; failed and unconfirmed counts if writes were attempted</td></tr>
 *   <tr><td>{@link Status#NO_RECIPIENTS}</td>
 *       <td>nobody to deliver to and nothing kept: history is off for the thread or the send was
 *           transient</td><td>nothing</td></tr>
 *   <tr><td>{@link Status#ERROR}</td>
 *       <td>the infrastructure could not accept or deliver the message; see {@link
 *           ErrorKind}. A message that was not kept and whose writes all failed is {@link
 *           ErrorKind#TRANSPORT_FAILURE}; one that was not kept and had no write confirmed but
 *           some unconfirmed is {@link ErrorKind#TIMEOUT}</td>
 *       <td>an error kind, a reason, usually a cause; the counts</td></tr>
 * </table>
 *
 * <p>{@link #isAccepted()} is true for the first three: they are healthy answers. "Nobody is
 * connected" is never an error.
 *
 * <p>A retried send carrying an idempotency key already seen delivers nothing now: its answer has
 * {@link #isDuplicate()} set, all three counts 0, and, when the original was stored, status {@link
 * Status#QUEUED} with {@link #offset()} the original's offset (what the original's recipients got
 * is the original's outcome, not the retry's). A duplicate of a send that ended in an error repeats
 * that error kind, with counts 0.
 */
public final class SendOutcome {

  /** How a send ended. */
  public enum Status {
    /** At least one recipient's write was confirmed. */
    DELIVERED,
    /**
     * No recipient's write was confirmed (none joined, or each failed or is unconfirmed), or the
     * send was a duplicate; the message is kept in history for replay.
     */
    QUEUED,
    /** Nobody to deliver to and nothing kept. */
    NO_RECIPIENTS,
    /** The infrastructure could not accept or deliver the message. */
    ERROR
  }

  /** Why a send ended in {@link Status#ERROR}. */
  public enum ErrorKind {
    /** The messaging instance has not been started. */
    NOT_STARTED,
    /** The messaging instance is closing or closed. */
    CLOSED,
    /** The message was refused as invalid, for example larger than the configured bound. */
    INVALID_MESSAGE,
    /**
     * The transport could not encode the message into a frame; no connection was sent anything. The
     * thread log assigns the offset before the message is encoded, so a stored message the encoder
     * then refused is kept in history: {@link #offset()} says where.
     */
    ENCODING_FAILED,
    /** The thread's history is full and its overflow policy is to reject. */
    HISTORY_FULL,
    /**
     * The message was not kept in history and no write was confirmed by the outcome deadline (or
     * the send timeout): some are unconfirmed, so it may or may not have been received.
     */
    TIMEOUT,
    /** Every write failed and the message was not kept anywhere. */
    TRANSPORT_FAILURE,
    /**
     * The thread log failed to take the message (unreachable, refused, unknown outcome); the cause
     * tells why. Nothing was delivered by this node.
     */
    LOG_FAILED,
    /**
     * The thread log did not answer within the send timeout; the message may or may not have been
     * stored. Nothing was delivered by this node.
     */
    LOG_TIMEOUT,
    /** An unexpected failure inside Threadwire; the cause tells more. */
    INTERNAL
  }

  private static final SendOutcome NO_RECIPIENTS =
      new SendOutcome(
          Status.NO_RECIPIENTS, 0, List.of(), 0, -1, false, null, null, "no recipients");

  private final Status status;
  private final int delivered;
  private final List<ConnectionId> failedConnections;
  private final int unconfirmed;
  private final long offset;
  private final boolean duplicate;
  private final ErrorKind errorKind;
  private final Throwable cause;
  private final Remote remote; // null: the outcome of one node only
  // Null for DELIVERED and QUEUED until asked for: built from the other fields on demand, it
  // spares every send a string it rarely needs (see reason()).
  private String reason;

  private SendOutcome(
      Status status,
      int delivered,
      List<ConnectionId> failedConnections,
      int unconfirmed,
      long offset,
      boolean duplicate,
      ErrorKind errorKind,
      Throwable cause,
      String reason) {
    this(
        status,
        delivered,
        failedConnections,
        unconfirmed,
        offset,
        duplicate,
        errorKind,
        cause,
        reason,
        null);
  }

  private SendOutcome(
      Status status,
      int delivered,
      List<ConnectionId> failedConnections,
      int unconfirmed,
      long offset,
      boolean duplicate,
      ErrorKind errorKind,
      Throwable cause,
      String reason,
      Remote remote) {
    this.remote = remote;
    this.status = status;
    this.delivered = delivered;
    this.failedConnections = List.copyOf(failedConnections);
    this.unconfirmed = unconfirmed;
    this.offset = offset;
    this.duplicate = duplicate;
    this.errorKind = errorKind;
    this.cause = cause;
    this.reason = reason;
  }

  /**
   * {@return a {@link Status#DELIVERED} outcome}
   *
   * @param delivered connections written to, at least 1
   * @param failedConnections connections whose write failed or timed out
   * @param offset the history offset, or 0 if the message was not stored
   */
  public static SendOutcome delivered(
      int delivered, List<ConnectionId> failedConnections, long offset) {
    return delivered(delivered, failedConnections, offset, 0);
  }

  /**
   * {@return a {@link Status#DELIVERED} outcome in which {@code unconfirmed} further connections
   * had not confirmed the write when the outcome completed; they are not counted as failed}
   *
   * @param delivered connections whose write was confirmed, at least 1
   * @param failedConnections connections whose write is known not to have been delivered
   * @param offset the history offset
   * @param unconfirmed connections whose write was neither confirmed nor known failed
   * @throws IllegalArgumentException if {@code delivered} is below 1 or {@code unconfirmed}
   *     negative
   */
  public static SendOutcome delivered(
      int delivered, List<ConnectionId> failedConnections, long offset, int unconfirmed) {
    if (delivered < 1) {
      throw new IllegalArgumentException("delivered must be >= 1, got " + delivered);
    }
    return new SendOutcome(
        Status.DELIVERED,
        delivered,
        failedConnections,
        nonNegative(unconfirmed),
        offset,
        false,
        null,
        null,
        null);
  }

  /**
   * {@return a {@link Status#QUEUED} outcome}
   *
   * @param offset the history offset the message was stored at, at least 1
   * @param failedConnections connections whose write failed, usually none
   */
  public static SendOutcome queued(long offset, List<ConnectionId> failedConnections) {
    return queued(offset, failedConnections, 0);
  }

  /**
   * {@return a {@link Status#QUEUED} outcome in which no write was confirmed and {@code
   * unconfirmed} writes were neither confirmed nor known failed}
   *
   * @param offset the history offset the message was stored at, at least 1
   * @param failedConnections connections whose write is known not to have been delivered
   * @param unconfirmed connections whose write was neither confirmed nor known failed
   * @throws IllegalArgumentException if {@code offset} is below 1 or {@code unconfirmed} negative
   */
  public static SendOutcome queued(
      long offset, List<ConnectionId> failedConnections, int unconfirmed) {
    if (offset < 1) {
      throw new IllegalArgumentException("offset must be >= 1, got " + offset);
    }
    return new SendOutcome(
        Status.QUEUED,
        0,
        failedConnections,
        nonNegative(unconfirmed),
        offset,
        false,
        null,
        null,
        null);
  }

  private static int nonNegative(int unconfirmed) {
    if (unconfirmed < 0) {
      throw new IllegalArgumentException("unconfirmed must be >= 0, got " + unconfirmed);
    }
    return unconfirmed;
  }

  /** {@return the {@link Status#NO_RECIPIENTS} outcome} */
  public static SendOutcome noRecipients() {
    return NO_RECIPIENTS;
  }

  /**
   * {@return a {@link Status#ERROR} outcome}
   *
   * @param kind why the send failed
   * @param reason a human-readable reason, shown to operators
   * @param cause the underlying failure, if any
   */
  public static SendOutcome error(ErrorKind kind, String reason, Optional<Throwable> cause) {
    return error(kind, reason, cause, List.of(), 0, -1);
  }

  /**
   * {@return a {@link Status#ERROR} outcome that also names failed connections and an offset}
   *
   * @param unconfirmed connections whose write was neither confirmed nor known failed
   * @param offset the history offset if the message was stored before the error, else 0
   * @param cause the underlying failure
   * @param failedConnections connections whose write failed
   * @param kind what kind of error
   * @param reason a human-readable reason
   */
  public static SendOutcome error(
      ErrorKind kind,
      String reason,
      Optional<Throwable> cause,
      List<ConnectionId> failedConnections,
      int unconfirmed,
      long offset) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
    return new SendOutcome(
        Status.ERROR,
        0,
        failedConnections,
        nonNegative(unconfirmed),
        offset,
        false,
        kind,
        cause.orElse(null),
        reason);
  }

  /**
   * {@return the answer to a duplicate (idempotent retry) of the send that ended in this outcome}
   * The retry delivered nothing: every count is 0. If the original was stored, the answer is {@link
   * Status#QUEUED} at the original's offset; an original error is repeated (kind, reason, offset).
   */
  public SendOutcome asDuplicate() {
    if (duplicate) {
      return this;
    }
    if (status == Status.ERROR) {
      return new SendOutcome(
          status,
          0,
          List.of(),
          0,
          offset,
          true,
          errorKind,
          cause,
          "duplicate of an earlier send that failed: " + reason());
    }
    if (offset > 0) {
      return new SendOutcome(
          Status.QUEUED,
          0,
          List.of(),
          0,
          offset,
          true,
          null,
          null,
          "duplicate of an earlier send (idempotency key already seen): nothing delivered now;"
              + " the original is kept in history at offset "
              + offset);
    }
    return new SendOutcome(
        Status.NO_RECIPIENTS,
        0,
        List.of(),
        0,
        -1,
        true,
        null,
        null,
        "duplicate of an earlier send (idempotency key already seen): nothing delivered now");
  }

  /**
   * {@return what other nodes reported, when the send went over a thread log shared by several
   * nodes that reports deliveries (the Redis backplane); empty for a send that only this node's
   * recipients could get} When present, {@link #deliveredCount()}, {@link #failedCount()} and
   * {@link #unconfirmedCount()} are cluster totals: this node's plus the other nodes' reports.
   */
  public Optional<Remote> remote() {
    return Optional.ofNullable(remote);
  }

  /**
   * {@return this node's outcome combined with what other nodes reported} The counts are summed;
   * the status follows the same rules as on one node, over the cluster's totals:
   *
   * <ul>
   *   <li>at least one write confirmed anywhere: {@link Status#DELIVERED};
   *   <li>else, stored: {@link Status#QUEUED} with the offset, whether or not every node answered;
   *   <li>else (transient, or history off): {@link ErrorKind#TIMEOUT} if any write is unconfirmed
   *       or any node that received the message did not report in time, {@link
   *       ErrorKind#TRANSPORT_FAILURE} if every write failed, {@link Status#NO_RECIPIENTS} if
   *       nobody anywhere was a recipient.
   * </ul>
   *
   * An error of this node other than {@code TIMEOUT} and {@code TRANSPORT_FAILURE} (closing, the
   * encoder) stays that error, with the counts summed, unless another node confirmed a write. A
   * duplicate is returned as is: it delivered nothing anywhere.
   *
   * @param remote what the other nodes reported
   */
  public SendOutcome withRemote(Remote remote) {
    Objects.requireNonNull(remote, "remote");
    if (duplicate) {
      return this;
    }
    Remote merged = this.remote == null ? remote : this.remote.plus(remote);
    if (merged.nodesExpected == 0) {
      // No other node received it: this node's outcome, saying so.
      return new SendOutcome(
          status,
          delivered,
          failedConnections,
          unconfirmed,
          offset,
          false,
          errorKind,
          cause,
          status == Status.ERROR || status == Status.NO_RECIPIENTS ? reason() : null,
          merged);
    }
    int ok =
        deliveredCount() - (this.remote == null ? 0 : this.remote.delivered) + merged.delivered;
    int unknown =
        unconfirmed - (this.remote == null ? 0 : this.remote.unconfirmed) + merged.unconfirmed;
    int failedTotal = failedConnections.size() + merged.failed;
    long kept = offset;
    if (ok > 0) {
      return new SendOutcome(
          Status.DELIVERED, ok, failedConnections, unknown, kept, false, null, null, null, merged);
    }
    boolean local =
        status == Status.ERROR
            && errorKind != ErrorKind.TIMEOUT
            && errorKind != ErrorKind.TRANSPORT_FAILURE;
    if (local) {
      return new SendOutcome(
          status, 0, failedConnections, unknown, kept, false, errorKind, cause, reason(), merged);
    }
    if (kept > 0) {
      return new SendOutcome(
          Status.QUEUED, 0, failedConnections, unknown, kept, false, null, null, null, merged);
    }
    int silent = merged.nodesExpected - merged.nodesConfirmed;
    if (unknown > 0 || silent > 0) {
      String why =
          "no write was confirmed on any node ("
              + unknown
              + " unconfirmed, "
              + failedTotal
              + " failed, "
              + silent
              + " of "
              + merged.nodesExpected
              + " other node(s) did not report in time); the message was not kept";
      return new SendOutcome(
          Status.ERROR,
          0,
          failedConnections,
          unknown,
          kept,
          false,
          ErrorKind.TIMEOUT,
          new java.util.concurrent.TimeoutException(why),
          why,
          merged);
    }
    if (failedTotal > 0) {
      String why =
          "every write on every node failed (" + failedTotal + "); the message was not kept";
      return new SendOutcome(
          Status.ERROR,
          0,
          failedConnections,
          0,
          kept,
          false,
          ErrorKind.TRANSPORT_FAILURE,
          cause,
          why,
          merged);
    }
    return new SendOutcome(
        Status.NO_RECIPIENTS,
        0,
        List.of(),
        0,
        -1,
        false,
        null,
        null,
        "no recipients on any node",
        merged);
  }

  /** {@return how the send ended} */
  public Status status() {
    return status;
  }

  /** {@return true unless the status is {@link Status#ERROR}: the infrastructure accepted it} */
  public boolean isAccepted() {
    return status != Status.ERROR;
  }

  /** {@return the number of recipients whose write the transport confirmed; 0 for a duplicate} */
  public int deliveredCount() {
    return delivered;
  }

  /**
   * {@return the number of recipients known not to have received the message: the write was refused
   * or failed before it was handed to the network} The size of {@link #failedConnections()}, plus
   * {@link Remote#failedCount()} of other nodes when {@link #remote()} is present.
   */
  public int failedCount() {
    return remote == null ? failedConnections.size() : failedConnections.size() + remote.failed;
  }

  /**
   * {@return the number of recipients whose write was neither confirmed nor known failed when the
   * outcome completed} The write had not completed by the outcome deadline (a stalled or slow
   * client), or the connection was cut while the write was in flight. Such a client may or may not
   * have received the message; a recovering client replays it from history. They are counted, not
   * named: naming them would cost the send path memory per recipient.
   */
  public int unconfirmedCount() {
    return unconfirmed;
  }

  /**
   * {@return the same as {@link #unconfirmedCount()}}
   *
   * @deprecated writes that did not complete in time are no longer counted as failed; use {@link
   *     #unconfirmedCount()}
   */
  @Deprecated
  public int timedOutCount() {
    return unconfirmed;
  }

  /**
   * {@return the connections of this node whose write failed, in no particular order} Other nodes'
   * failed connections are counted in {@link #failedCount()}, not named.
   */
  public List<ConnectionId> failedConnections() {
    return failedConnections;
  }

  /** {@return the history offset the message was stored at, empty if it was not stored} */
  public OptionalLong offset() {
    return offset > 0 ? OptionalLong.of(offset) : OptionalLong.empty();
  }

  /** {@return true if this answers a retry whose idempotency key was already seen} */
  public boolean isDuplicate() {
    return duplicate;
  }

  /** {@return why the send failed; empty unless the status is {@link Status#ERROR}} */
  public Optional<ErrorKind> errorKind() {
    return Optional.ofNullable(errorKind);
  }

  /** {@return the underlying failure of an error, if one is known} */
  public Optional<Throwable> cause() {
    return Optional.ofNullable(cause);
  }

  /** {@return a human-readable description of the outcome; never empty} */
  public String reason() {
    String r = reason;
    if (r == null) {
      r =
          status == Status.DELIVERED
              ? "delivered to "
                  + delivered
                  + " of "
                  + (delivered + failedCount() + unconfirmed)
                  + " connection(s)"
                  + (unconfirmed > 0 ? ", " + unconfirmed + " unconfirmed" : "")
              : unconfirmed > 0
                  ? "no write confirmed ("
                      + unconfirmed
                      + " unconfirmed, "
                      + failedCount()
                      + " failed); kept in history at offset "
                      + offset
                  : failedCount() > 0
                      // Counted over the cluster: another node's failures are not named here.
                      ? "every write failed; kept in history at offset " + offset
                      : remote != null && !remote.isComplete()
                          // A silent node's recipients are unknown: do not claim there were none.
                          ? "no write confirmed here or by the other nodes that reported; kept in"
                              + " history at offset "
                              + offset
                          // Not "yet": the thread may have had members that have since gone.
                          : "no live connections; kept in history at offset " + offset;
      if (remote != null) {
        r =
            r
                + " ("
                + remote.nodesConfirmed
                + " of "
                + remote.nodesExpected
                + " other nodes reported)";
      }
      reason = r; // racy but benign: every thread computes the same string
    }
    return r;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SendOutcome s
        && status == s.status
        && delivered == s.delivered
        && unconfirmed == s.unconfirmed
        && offset == s.offset
        && duplicate == s.duplicate
        && errorKind == s.errorKind
        && failedConnections.equals(s.failedConnections)
        && Objects.equals(remote, s.remote)
        && Objects.equals(cause, s.cause)
        && reason().equals(s.reason());
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, delivered, offset, duplicate, errorKind, failedConnections);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("SendOutcome{").append(status);
    if (errorKind != null) {
      sb.append('/').append(errorKind);
    }
    sb.append(", delivered=").append(delivered).append(", failed=").append(failedCount());
    if (unconfirmed > 0) {
      sb.append(", unconfirmed=").append(unconfirmed);
    }
    if (offset > 0) {
      sb.append(", offset=").append(offset);
    }
    if (duplicate) {
      sb.append(", duplicate");
    }
    if (remote != null) {
      sb.append(", remote=").append(remote);
    }
    sb.append(", reason=").append(reason());
    if (cause != null) {
      sb.append(", cause=").append(cause);
    }
    return sb.append('}').toString();
  }

  /**
   * What the other nodes of a cluster reported for one send: how many received it, how many
   * reported what their local recipients got before the deadline, and the sum of those reports.
   * Counts here are the other nodes' only; the outcome's counts are cluster totals. Immutable.
   *
   * <p>A node that received the message but did not report in time ({@code nodesConfirmed() <
   * nodesExpected()}) is not counted anywhere else: how many recipients it had is unknown. A node
   * that reported counts 0 if it had no recipient.
   */
  public static final class Remote {

    private final int nodesExpected;
    private final int nodesConfirmed;
    private final int delivered;
    private final int failed;
    private final int unconfirmed;

    private Remote(
        int nodesExpected, int nodesConfirmed, int delivered, int failed, int unconfirmed) {
      this.nodesExpected = nodesExpected;
      this.nodesConfirmed = nodesConfirmed;
      this.delivered = delivered;
      this.failed = failed;
      this.unconfirmed = unconfirmed;
    }

    /**
     * {@return the other nodes' part of an outcome}
     *
     * @param nodesExpected other nodes that received the message
     * @param nodesConfirmed of those, the nodes that reported in time
     * @param delivered their recipients whose write was confirmed
     * @param failed their recipients known not to have received it
     * @param unconfirmed their recipients whose write was neither confirmed nor known failed
     * @throws IllegalArgumentException if a count is negative or more nodes confirmed than expected
     */
    public static Remote of(
        int nodesExpected, int nodesConfirmed, int delivered, int failed, int unconfirmed) {
      if (nodesExpected < 0
          || nodesConfirmed < 0
          || nodesConfirmed > nodesExpected
          || delivered < 0
          || failed < 0
          || unconfirmed < 0) {
        throw new IllegalArgumentException(
            "invalid remote counts: nodes "
                + nodesConfirmed
                + "/"
                + nodesExpected
                + ", delivered "
                + delivered
                + ", failed "
                + failed
                + ", unconfirmed "
                + unconfirmed);
      }
      return new Remote(nodesExpected, nodesConfirmed, delivered, failed, unconfirmed);
    }

    Remote plus(Remote o) {
      return new Remote(
          nodesExpected + o.nodesExpected,
          nodesConfirmed + o.nodesConfirmed,
          delivered + o.delivered,
          failed + o.failed,
          unconfirmed + o.unconfirmed);
    }

    /** {@return how many other nodes received the message (were subscribed to its thread)} */
    public int nodesExpected() {
      return nodesExpected;
    }

    /** {@return how many of them reported their recipients' outcome before the deadline} */
    public int nodesConfirmed() {
      return nodesConfirmed;
    }

    /** {@return true if every node that received the message reported in time} */
    public boolean isComplete() {
      return nodesConfirmed == nodesExpected;
    }

    /** {@return the other nodes' recipients whose write was confirmed} */
    public int deliveredCount() {
      return delivered;
    }

    /** {@return the other nodes' recipients known not to have received the message} */
    public int failedCount() {
      return failed;
    }

    /** {@return the other nodes' recipients whose write was neither confirmed nor known failed} */
    public int unconfirmedCount() {
      return unconfirmed;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Remote r
          && nodesExpected == r.nodesExpected
          && nodesConfirmed == r.nodesConfirmed
          && delivered == r.delivered
          && failed == r.failed
          && unconfirmed == r.unconfirmed;
    }

    @Override
    public int hashCode() {
      return Objects.hash(nodesExpected, nodesConfirmed, delivered, failed, unconfirmed);
    }

    @Override
    public String toString() {
      return "Remote{nodes "
          + nodesConfirmed
          + "/"
          + nodesExpected
          + ", delivered="
          + delivered
          + ", failed="
          + failed
          + ", unconfirmed="
          + unconfirmed
          + "}";
    }
  }
}
