package io.threadwire.examples;

import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;

/**
 * A {@link SendOutcome} as the API answers it.
 *
 * @param thread the thread sent to
 * @param status {@code DELIVERED}, {@code QUEUED}, {@code NO_RECIPIENTS} or {@code ERROR}
 * @param accepted true unless the status is {@code ERROR}
 * @param deliveredCount connections written to
 * @param failedCount connections known not to have received it (refused, or failed before it was
 *     handed to the network)
 * @param unconfirmedCount connections whose write was not confirmed by the outcome deadline, or was
 *     in flight when the connection was cut (they may have it)
 * @param offset the history offset, null if the message was not stored
 * @param duplicate true if this answers a retry with an idempotency key already seen
 * @param errorKind why it failed, null unless the status is {@code ERROR}
 * @param reason the outcome in words
 * @param nodesExpected over a shared log (Redis), how many other instances received the message;
 *     null on one instance
 * @param nodesConfirmed over a shared log, how many of them reported in time; null on one instance
 */
record OutcomeJson(
    String thread,
    String status,
    boolean accepted,
    int deliveredCount,
    int failedCount,
    int unconfirmedCount,
    Long offset,
    boolean duplicate,
    String errorKind,
    String reason,
    Integer nodesExpected,
    Integer nodesConfirmed) {

  static OutcomeJson of(ThreadId thread, SendOutcome o) {
    return new OutcomeJson(
        thread.value(),
        o.status().name(),
        o.isAccepted(),
        o.deliveredCount(),
        o.failedCount(),
        o.unconfirmedCount(),
        o.offset().isPresent() ? o.offset().getAsLong() : null,
        o.isDuplicate(),
        o.errorKind().map(Enum::name).orElse(null),
        o.reason(),
        o.remote().map(SendOutcome.Remote::nodesExpected).orElse(null),
        o.remote().map(SendOutcome.Remote::nodesConfirmed).orElse(null));
  }

  /** Accepted outcomes are 200; an error is the server's problem (503), or 422 for bad input. */
  static int httpStatus(SendOutcome outcome) {
    if (outcome.isAccepted()) {
      return 200;
    }
    return outcome.errorKind().orElse(SendOutcome.ErrorKind.INTERNAL)
            == SendOutcome.ErrorKind.INVALID_MESSAGE
        ? 422
        : 503;
  }
}
