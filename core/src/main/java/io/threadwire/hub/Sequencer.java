package io.threadwire.hub;

import io.threadwire.spi.LogEntry;
import io.threadwire.spi.LogGap;
import io.threadwire.spi.LogListener;
import io.threadwire.spi.ThreadGap;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts one thread's log entries in offset order before they reach local members: the hub's answer
 * to a log that delivers late, twice, or out of order. An entry is dispatched when the entry before
 * it has been; one at or below the last dispatched offset is a duplicate and dropped; a transient
 * entry goes out once the stored entry it follows has. Only a {@link LogGap} moves the position
 * past a hole. Runs under the thread's {@link ThreadState} monitor, inside a {@link Dispatch}
 * section.
 */
final class Sequencer implements LogListener {

  private static final System.Logger LOG = System.getLogger(ThreadHub.class.getName());

  /** Entries held past a hole before the sequencer gives up waiting and reports a gap itself. */
  static final int MAX_AHEAD = 10_000;

  private final ThreadState ts;
  private final Sending sending;
  private final Joining joining;

  Sequencer(ThreadState ts, Sending sending, Joining joining) {
    this.ts = ts;
    this.sending = sending;
    this.joining = joining;
  }

  @Override
  public void entry(LogEntry e) {
    Dispatch section = Dispatch.enter();
    try {
      synchronized (ts) {
        if (!ts.removed) {
          offer(e, section);
          if (ts.hasJoining()) {
            joining.completeCaughtUp(ts);
          }
        }
      }
    } finally {
      section.exit();
    }
  }

  @Override
  public void gap(LogGap gap) {
    Dispatch section = Dispatch.enter();
    try {
      synchronized (ts) {
        if (!ts.removed) {
          LOG.log(Level.WARNING, "log of thread " + ts.id + " skipped entries: " + gap);
          resume(gap.epoch(), gap.resumeAfter(), gap.reason(), section);
          if (ts.hasJoining()) {
            joining.completeCaughtUp(ts);
          }
        }
      }
    } finally {
      section.exit();
    }
  }

  private void offer(LogEntry e, Dispatch section) {
    if (!ts.positioned) {
      ts.positioned = true;
      ts.epoch = e.epoch();
      ts.lastOffset = e.after();
    }
    if (e.epoch() != ts.epoch) {
      // A log must signal a new epoch with a gap first; if it did not, treat it as one.
      LOG.log(Level.WARNING, "log of thread " + ts.id + " changed epoch without a gap: " + e);
      resume(e.epoch(), e.after(), "the log changed epoch without a gap signal", section);
    }
    if (e.isTransient()) {
      if (e.after() <= ts.lastOffset) {
        sending.dispatch(ts, e, section);
      } else {
        if (ts.heldTransients == null) {
          ts.heldTransients = new ArrayDeque<>();
        }
        ts.heldTransients.addLast(e);
      }
      return;
    }
    if (e.offset() <= ts.lastOffset) {
      return; // already dispatched
    }
    if (e.offset() > ts.lastOffset + 1) {
      if (ts.ahead == null) {
        ts.ahead = new TreeMap<>();
      }
      ts.ahead.put(e.offset(), e);
      if (ts.ahead.size() > MAX_AHEAD) {
        LOG.log(Level.WARNING, "log of thread " + ts.id + " left a hole after " + ts.lastOffset);
        resume(
            ts.epoch,
            ts.ahead.firstKey() - 1,
            "the log left a hole for " + MAX_AHEAD + " later entries",
            section);
      }
      return;
    }
    ts.lastOffset = e.offset();
    sending.dispatch(ts, e, section);
    drain(section);
  }

  /**
   * Moves the position to {@code after} in {@code epoch}, dropping what it skips, and tells every
   * local member (and every join in progress) what it will never receive.
   */
  private void resume(long epoch, long after, String reason, Dispatch section) {
    boolean epochChanged = epoch != ts.epoch;
    long from = epochChanged ? 1 : Math.min(ts.lastOffset, after) + 1;
    Gaps.signal(
        ts, new ThreadGap(ts.id, epoch, from, Math.max(after, from - 1), epochChanged, reason));
    // A local send whose entry is skipped will never be dispatched: it ends now, not at a deadline.
    ts.resumes++;
    for (FanOut f : ts.takeSkipped(epoch, from, after)) {
      f.finish(Outcomes.skipped(ts.id, f.offset(), ts.members.length));
    }
    if (epochChanged) {
      ts.ahead = null;
      ts.heldTransients = null;
    } else if (ts.ahead != null) {
      ts.ahead.headMap(after, true).clear();
    }
    ts.epoch = epoch;
    ts.lastOffset = after;
    drain(section);
  }

  private void drain(Dispatch section) {
    while (true) {
      ArrayDeque<LogEntry> held = ts.heldTransients;
      while (held != null && !held.isEmpty() && held.peekFirst().after() <= ts.lastOffset) {
        sending.dispatch(ts, held.pollFirst(), section);
      }
      if (ts.ahead == null || ts.ahead.isEmpty()) {
        return;
      }
      Map.Entry<Long, LogEntry> next = ts.ahead.firstEntry();
      if (next.getKey() != ts.lastOffset + 1) {
        return;
      }
      ts.ahead.pollFirstEntry();
      ts.lastOffset = next.getKey();
      sending.dispatch(ts, next.getValue(), section);
    }
  }
}
