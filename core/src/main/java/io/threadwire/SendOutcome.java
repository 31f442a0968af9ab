package io.threadwire;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What happened to one send: an immutable value with a {@link Status} and the facts behind it.
 *
 * <p>Every send ends in exactly one of these ways:
 *
 * <table>
 *   <caption>Send outcomes</caption>
 *   <tr><th>status</th><th>when</th><th>carries</th></tr>
 *   <tr><td>{@link Status#DELIVERED}</td>
 *       <td>written to at least one live connection of the thread; some others may have failed
 *           (partial failure is still delivered)</td>
 *       <td>delivered and failed counts, the failed connections, the history offset if
 *           stored</td></tr>
 *   <tr><td>{@link Status#QUEUED}</td>
 *       <td>no live connection took it (none joined, or every write failed) and it was kept in
 *           the thread's history for replay</td>
 *       <td>the history offset; failed count if writes failed</td></tr>
 *   <tr><td>{@link Status#NO_RECIPIENTS}</td>
 *       <td>nobody to deliver to and nothing kept: history is off for the thread or the send was
 *           transient</td><td>nothing</td></tr>
 *   <tr><td>{@link Status#ERROR}</td>
 *       <td>the infrastructure could not accept or deliver the message; see {@link
 *           ErrorKind}</td><td>an error kind, a reason, usually a cause</td></tr>
 * </table>
 *
 * <p>{@link #isAccepted()} is true for the first three: they are healthy answers. "Nobody is
 * connected" is never an error. A retried send carrying an idempotency key already seen returns the
 * original send's outcome with {@link #isDuplicate()} set.
 */
public final class SendOutcome {

  /** How a send ended. */
  public enum Status {
    /** Written to at least one live connection. */
    DELIVERED,
    /** Not written to any connection, but kept in history for replay. */
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
    /** No connection acknowledged the write within the send timeout. */
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
  private final int timedOut;
  private final long offset;
  private final boolean duplicate;
  private final ErrorKind errorKind;
  private final Throwable cause;
  // Null for DELIVERED and QUEUED until asked for: built from the other fields on demand, it
  // spares every send a string it rarely needs (see reason()).
  private String reason;

  private SendOutcome(
      Status status,
      int delivered,
      List<ConnectionId> failedConnections,
      int timedOut,
      long offset,
      boolean duplicate,
      ErrorKind errorKind,
      Throwable cause,
      String reason) {
    this.status = status;
    this.delivered = delivered;
    this.failedConnections = List.copyOf(failedConnections);
    this.timedOut = timedOut;
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
   * {@return a {@link Status#DELIVERED} outcome in which {@code timedOut} further connections did
   * not acknowledge the write within the send timeout; they count as failed}
   *
   * @param delivered connections written to, at least 1
   * @param failedConnections connections whose write failed
   * @param offset the history offset
   * @param timedOut connections that did not acknowledge in time
   */
  public static SendOutcome delivered(
      int delivered, List<ConnectionId> failedConnections, long offset, int timedOut) {
    if (delivered < 1) {
      throw new IllegalArgumentException("delivered must be >= 1, got " + delivered);
    }
    return new SendOutcome(
        Status.DELIVERED, delivered, failedConnections, timedOut, offset, false, null, null, null);
  }

  /**
   * {@return a {@link Status#QUEUED} outcome}
   *
   * @param offset the history offset the message was stored at, at least 1
   * @param failedConnections connections whose write failed, usually none
   */
  public static SendOutcome queued(long offset, List<ConnectionId> failedConnections) {
    if (offset < 1) {
      throw new IllegalArgumentException("offset must be >= 1, got " + offset);
    }
    return new SendOutcome(Status.QUEUED, 0, failedConnections, 0, offset, false, null, null, null);
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
   * @param timedOut connections that did not acknowledge the write in time
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
      int timedOut,
      long offset) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
    return new SendOutcome(
        Status.ERROR,
        0,
        failedConnections,
        timedOut,
        offset,
        false,
        kind,
        cause.orElse(null),
        reason);
  }

  /** {@return this outcome marked as the answer to a duplicate (idempotent retry) send} */
  public SendOutcome asDuplicate() {
    if (duplicate) {
      return this;
    }
    return new SendOutcome(
        status,
        delivered,
        failedConnections,
        timedOut,
        offset,
        true,
        errorKind,
        cause,
        "duplicate of an earlier send: " + reason());
  }

  /** {@return how the send ended} */
  public Status status() {
    return status;
  }

  /** {@return true unless the status is {@link Status#ERROR}: the infrastructure accepted it} */
  public boolean isAccepted() {
    return status != Status.ERROR;
  }

  /** {@return the number of connections the message was written to} */
  public int deliveredCount() {
    return delivered;
  }

  /** {@return the number of connections whose write failed or timed out} */
  public int failedCount() {
    return failedConnections.size() + timedOut;
  }

  /**
   * {@return how many of the failed connections did not acknowledge the write within the send
   * timeout} They are counted, not named: naming them would cost the send path memory per
   * recipient. Transports report their own write timeouts as named failures well before this.
   */
  public int timedOutCount() {
    return timedOut;
  }

  /** {@return the connections whose write failed, in no particular order} */
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
                  + (delivered + failedCount())
                  + " connection(s)"
              : failedConnections.isEmpty()
                  // Not "yet": the thread may have had members that have since gone.
                  ? "no live connections; kept in history at offset " + offset
                  : "every write failed; kept in history at offset " + offset;
      reason = r; // racy but benign: every thread computes the same string
    }
    return r;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SendOutcome s
        && status == s.status
        && delivered == s.delivered
        && timedOut == s.timedOut
        && offset == s.offset
        && duplicate == s.duplicate
        && errorKind == s.errorKind
        && failedConnections.equals(s.failedConnections)
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
    if (offset > 0) {
      sb.append(", offset=").append(offset);
    }
    if (duplicate) {
      sb.append(", duplicate");
    }
    sb.append(", reason=").append(reason());
    if (cause != null) {
      sb.append(", cause=").append(cause);
    }
    return sb.append('}').toString();
  }
}
