package io.threadwire.hub;

import io.threadwire.ConnectionId;
import io.threadwire.Message;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.ThreadId;
import io.threadwire.ThreadMessaging.State;
import io.threadwire.spi.AppendResult;
import io.threadwire.spi.TransportConnection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/** The wording of every outcome the hub builds, in one place so the reasons stay consistent. */
final class Outcomes {

  private Outcomes() {}

  static SendOutcome notRunning(State s) {
    return s == State.NEW
        ? SendOutcome.error(
            ErrorKind.NOT_STARTED, "messaging has not been started", Optional.empty())
        : SendOutcome.error(ErrorKind.CLOSED, "messaging is closed", Optional.empty());
  }

  static SendOutcome tooLarge(Message message, int maxMessageBytes) {
    return SendOutcome.error(
        ErrorKind.INVALID_MESSAGE,
        "message of "
            + message.sizeEstimate()
            + " bytes exceeds maxMessageBytes "
            + maxMessageBytes,
        Optional.empty());
  }

  static SendOutcome tooLargeForHistory(ThreadId thread, Message message, long maxBytes) {
    return SendOutcome.error(
        ErrorKind.INVALID_MESSAGE,
        "message of "
            + message.sizeEstimate()
            + " bytes is larger than the history bound of "
            + maxBytes
            + " bytes of thread "
            + thread,
        Optional.empty());
  }

  /** The outcome of a log answer that decides the send without a dispatch, or null if none does. */
  static SendOutcome refused(ThreadId thread, AppendResult r) {
    return switch (r.status()) {
      case APPENDED, PUBLISHED -> null;
      case DUPLICATE -> SendOutcome.queued(r.offset(), List.of()).asDuplicate();
      case REJECTED -> SendOutcome.error(ErrorKind.HISTORY_FULL, r.detail(), Optional.empty());
      case TOO_LARGE -> SendOutcome.error(ErrorKind.INVALID_MESSAGE, r.detail(), Optional.empty());
      case NOT_STORED ->
          SendOutcome.error(
              ErrorKind.LOG_FAILED,
              "the thread log of " + thread + " stored nothing: " + r.detail(),
              Optional.empty());
    };
  }

  static SendOutcome logFailed(ThreadId thread, Throwable cause) {
    Throwable c =
        cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
    return SendOutcome.error(
        ErrorKind.LOG_FAILED,
        "the thread log failed on the message for thread "
            + thread
            + " (it was delivered by no connection of this node, and may or may not be stored): "
            + c,
        Optional.of(c));
  }

  static SendOutcome encodingFailed(Message message, long offset) {
    return SendOutcome.error(
        ErrorKind.ENCODING_FAILED,
        "could not encode message "
            + message.id()
            + " (see the log); it was sent to no connection"
            + (offset > 0 ? " but is kept in history at offset " + offset : ""),
        Optional.empty(),
        List.of(),
        0,
        offset);
  }

  /**
   * A stored send whose entry the log skipped on this node (a gap moved the thread's position past
   * its offset): kept at {@code offset} as the log confirmed, never handed to the {@code members}
   * local members, who were given the gap signal instead; they are counted unconfirmed (no write
   * confirmed), not failed (no write was attempted).
   */
  static SendOutcome skipped(ThreadId thread, long offset, int members) {
    return SendOutcome.queued(offset, List.of(), members);
  }

  /** A send cut short before the log delivered its entry to this node. */
  static SendOutcome undispatched(ThreadId thread, ErrorKind cutShortBy, String why, long offset) {
    if (offset > 0) {
      // The log confirmed it stored the message: it is there for replay, as QUEUED says.
      return SendOutcome.queued(offset, List.of());
    }
    ErrorKind kind = cutShortBy == ErrorKind.TIMEOUT ? ErrorKind.LOG_TIMEOUT : cutShortBy;
    if (kind == null) {
      kind = ErrorKind.INTERNAL;
    }
    String reason =
        kind == ErrorKind.LOG_TIMEOUT
            ? "the thread log did not confirm the message for thread " + thread + " in time"
            : why + ": the thread log had not confirmed the message for thread " + thread;
    Throwable cause =
        kind == ErrorKind.LOG_TIMEOUT
            ? new TimeoutException(reason)
            : new IllegalStateException(why);
    return SendOutcome.error(kind, reason, Optional.of(cause));
  }

  /**
   * The outcome of a send whose frame was handed to {@code recipients} connections: {@code ok}
   * confirmed, {@code failedIds} known not delivered, {@code unconfirmed} reported unconfirmed by
   * the transport; whoever had not answered when the send was cut short is unconfirmed too. No
   * write confirmed: {@code QUEUED} if stored, else an error ({@code TIMEOUT} when some are
   * unconfirmed, {@code TRANSPORT_FAILURE} when all failed). Cut short by close with nothing
   * confirmed: an error of that kind.
   */
  static SendOutcome fannedOut(
      ThreadId thread,
      int recipients,
      int ok,
      int unconfirmed,
      List<ConnectionId> failedIds,
      Throwable first,
      long offset,
      ErrorKind cutShortBy,
      String why) {
    int unknown = Math.max(0, recipients - ok - failedIds.size());
    if (ok > 0) {
      return SendOutcome.delivered(ok, failedIds, offset, unknown);
    }
    boolean unanswered = unknown > unconfirmed;
    if (cutShortBy != null && cutShortBy != ErrorKind.TIMEOUT && unanswered) {
      String reason =
          why
              + ": no connection of thread "
              + thread
              + " confirmed the write"
              + (offset > 0 ? " (kept in history at offset " + offset + ")" : "");
      return SendOutcome.error(
          cutShortBy,
          reason,
          Optional.of(new IllegalStateException(why)),
          failedIds,
          unknown,
          offset);
    }
    if (offset > 0) {
      return SendOutcome.queued(offset, failedIds, unknown);
    }
    if (unknown > 0) {
      String reason =
          "no write to thread "
              + thread
              + " was confirmed (by the outcome deadline, or before a cut) ("
              + unknown
              + " unconfirmed, "
              + failedIds.size()
              + " failed); the message was not kept";
      return SendOutcome.error(
          ErrorKind.TIMEOUT,
          reason,
          Optional.of(new TimeoutException(reason)),
          failedIds,
          unknown,
          offset);
    }
    return SendOutcome.error(
        ErrorKind.TRANSPORT_FAILURE,
        "every write to thread " + thread + " failed: " + first,
        Optional.ofNullable(first),
        failedIds,
        0,
        offset);
  }

  static String safeId(TransportConnection c) {
    try {
      return String.valueOf(c.id());
    } catch (RuntimeException e) {
      return "<id unavailable>";
    }
  }
}
