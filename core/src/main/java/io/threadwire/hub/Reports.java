package io.threadwire.hub;

import io.threadwire.SendOutcome;
import io.threadwire.spi.AppendResult;
import io.threadwire.spi.DeliveryReport;
import io.threadwire.spi.Frame;
import io.threadwire.spi.LogEntry;
import io.threadwire.spi.MessagingListener;
import io.threadwire.spi.ThreadLog;
import io.threadwire.spi.TransportConnection;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletionStage;

/**
 * Cluster-wide outcomes over a log that {@linkplain ThreadLog#reportsDeliveries() reports
 * deliveries}, composed onto the local send path rather than woven into it: an entry from another
 * node is tracked like a local send (a {@link FanOut} that is never registered, bounded by the
 * outcome deadline) and its counts are reported to the log; a local send's outcome is combined with
 * the other nodes' reports that the log collected.
 */
final class Reports {

  private static final System.Logger LOG = System.getLogger(ThreadHub.class.getName());

  private Reports() {}

  /**
   * Hands a foreign entry's frame to {@code members} and reports their outcome to the log once it
   * completes; called by the sequencer under the thread's monitor, inside a dispatch section.
   */
  static void dispatch(
      ThreadHub hub,
      ThreadState ts,
      LogEntry e,
      TransportConnection[] members,
      Frame frame,
      long deadlineMillis) {
    FanOut tracked = new FanOut(ts, LogEntry.FOREIGN, deadlineMillis, MessagingListener.none());
    tracked.markDispatched();
    tracked.future.whenComplete(
        (o, err) ->
            report(
                hub.log,
                e,
                o == null
                    ? DeliveryReport.of(0, 0, members.length)
                    : DeliveryReport.of(
                        o.deliveredCount(), o.failedCount(), o.unconfirmedCount())));
    tracked.dispatch(members, frame, deadlineMillis);
    if (!tracked.isDone()) {
      hub.inFlight.add(tracked); // the expiry sweep ends it at the outcome deadline
    }
  }

  /** Reports a foreign entry no local member got: {@code failed} recipients, or none. */
  static void nobody(ThreadLog log, LogEntry e, int failed) {
    report(log, e, DeliveryReport.of(0, failed, 0));
  }

  private static void report(ThreadLog log, LogEntry e, DeliveryReport r) {
    try {
      log.report(e, r);
    } catch (RuntimeException ex) {
      LOG.log(Level.WARNING, "the thread log threw from report for " + e, ex); // SPI forbids it
    }
  }

  /**
   * Returns {@code local} combined, once it completes, with the other nodes' reports of the log's
   * answer {@code appended}; {@code local} itself if the answer carries no remote part.
   */
  static CompletionStage<SendOutcome> combine(
      CompletionStage<SendOutcome> local, CompletionStage<AppendResult> appended) {
    return appended
        .handle((r, err) -> err == null && r != null && r.hasRemote() ? r : null)
        .thenCompose(
            r -> {
              if (r == null) {
                return local;
              }
              CompletionStage<DeliveryReport> remote =
                  r.remoteReports().handle((rep, err) -> rep != null ? rep : DeliveryReport.none());
              int expected = r.remoteNodes();
              return local.thenCombine(
                  remote,
                  (o, rep) ->
                      o.withRemote(
                          SendOutcome.Remote.of(
                              expected,
                              Math.min(expected, rep.nodes()),
                              rep.delivered(),
                              rep.failed(),
                              rep.unconfirmed())));
            });
  }
}
