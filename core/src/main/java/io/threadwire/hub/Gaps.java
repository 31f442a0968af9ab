package io.threadwire.hub;

import io.threadwire.spi.ThreadGap;
import io.threadwire.spi.TransportConnection;
import java.lang.System.Logger.Level;
import java.util.ArrayList;

/**
 * Tells a thread's local members what its log skipped, in order with the messages: members at once,
 * joins in progress when they become members (at the point of their buffered frames where the gap
 * happened), unless their replay already covered what was skipped. Runs under the thread's {@link
 * ThreadState} monitor.
 */
final class Gaps {

  private static final System.Logger LOG = System.getLogger(ThreadHub.class.getName());

  /** A gap a join in progress gets once it is a member, before buffered frame {@code at}. */
  record Pending(int at, ThreadGap gap) {}

  private Gaps() {}

  static void signal(ThreadState ts, ThreadGap gap) {
    for (TransportConnection member : ts.members) {
      tell(member, gap);
    }
    if (ts.hasJoining()) {
      for (JoinAttempt a : ts.joining) {
        if (a.gaps == null) {
          a.gaps = new ArrayList<>(1);
        }
        a.gaps.add(new Pending(a.buffered.size(), gap));
      }
    }
  }

  /** Passes a gap recorded while {@code a} waited on, unless its replay covered the range. */
  static void signalJoined(TransportConnection c, JoinAttempt a, ThreadGap gap) {
    boolean covered = !gap.epochChanged() && gap.epoch() == a.epoch && gap.to() <= a.offset;
    boolean sameEpochStart = gap.epochChanged() && gap.epoch() == a.epoch;
    if (!covered && !sameEpochStart) {
      tell(c, gap);
    }
  }

  private static void tell(TransportConnection member, ThreadGap gap) {
    try {
      member.gap(gap);
    } catch (RuntimeException ex) {
      LOG.log(Level.WARNING, "transport threw from a gap signal to " + Outcomes.safeId(member), ex);
    }
  }
}
