package io.threadwire.redis;

import io.threadwire.ThreadId;
import io.threadwire.spi.LogEntry;
import io.threadwire.spi.LogGap;
import io.threadwire.spi.LogListener;
import io.threadwire.spi.LogPolicy;
import io.threadwire.spi.LogPosition;
import io.threadwire.spi.LogSubscription;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's subscription to one thread's channel, shared by its local listeners: it delivers in
 * the thread's publish sequence, repairs a jump from the stream before delivering, and signals a
 * {@link LogGap} for what the stream no longer holds (evicted entries, lost transient ones, a new
 * epoch). Every field below is touched only in tasks of {@link #serial}.
 *
 * <p>Each message carries the thread's publish sequence number (stored and transient entries alike)
 * next to its offset, so a lost transient message is as visible as a lost stored one. A message
 * that arrives after a jump proves that everything before it was published earlier and is lost on
 * this connection, so the repair is exact. With no later message, the periodic position check
 * notices that Redis is ahead and repairs at the next check, one interval later, so a message still
 * in flight is not mistaken for a lost one.
 */
final class ThreadChannel {

  private static final Logger LOG = LoggerFactory.getLogger(RedisThreadLog.class);

  /** Reads the stream after an offset, as {@link RedisThreadLog} does for a replay. */
  interface Reader {
    CompletableFuture<Wire.Read> read(ThreadId thread, LogPolicy policy, long after, long epoch);
  }

  final ThreadId thread;
  final Serial serial = new Serial();
  private final Reader reader;
  private final List<Sub> subs = new CopyOnWriteArrayList<>();
  private final List<Waiting> waiting = new ArrayList<>();
  private final ArrayDeque<Wire.Notice> buffer = new ArrayDeque<>();
  private volatile LogPolicy policy;
  private volatile boolean live;
  private boolean failed;
  private volatile boolean repairing;
  private volatile long epoch; // volatile only so a test can see whether the channel caught up
  private long lastOffset;
  private volatile long lastSeq;
  private long suspectSeq = -1;
  private long suspectEpoch;
  int members; // guarded by the log's channel map
  volatile long repairs; // written in serial tasks only; for tests

  ThreadChannel(ThreadId thread, LogPolicy policy, Reader reader) {
    this.thread = thread;
    this.policy = policy;
    this.reader = reader;
  }

  /** The channel is subscribed and Redis said where the thread is: start delivering. */
  void opened(Wire.Read position) {
    serial.execute(
        () -> {
          epoch = position.epoch();
          lastOffset = position.top();
          lastSeq = position.seq();
          live = true;
          for (Waiting w : waiting) {
            admit(w);
          }
          waiting.clear();
          drain();
        });
  }

  /** Subscribing or reading the position failed: every waiting subscriber fails. */
  void failed(Throwable cause) {
    serial.execute(
        () -> {
          failed = true;
          for (Waiting w : waiting) {
            w.future.completeExceptionally(cause);
          }
          waiting.clear();
        });
  }

  CompletableFuture<LogSubscription> add(LogListener listener, LogPolicy policy, Runnable onClose) {
    this.policy = policy;
    CompletableFuture<LogSubscription> f = new CompletableFuture<>();
    Waiting w = new Waiting(new Sub(listener, onClose), f);
    serial.execute(
        () -> {
          if (live) {
            admit(w);
          } else if (failed) {
            f.completeExceptionally(
                new IllegalStateException("subscription to " + thread + " failed"));
          } else {
            waiting.add(w);
          }
        });
    return f;
  }

  private void admit(Waiting w) {
    w.sub.position = new LogPosition(epoch, lastOffset);
    subs.add(w.sub);
    w.future.complete(w.sub);
  }

  void notice(Wire.Notice n) {
    serial.execute(
        () -> {
          buffer.addLast(n);
          drain();
        });
  }

  /**
   * Lettuce subscribed the channel again after a reconnect: what was published meanwhile is lost.
   */
  void resubscribed() {
    serial.execute(this::checkPosition);
  }

  /** The periodic check: judge the last check's suspicion, or look at Redis's position. */
  void check() {
    serial.execute(
        () -> {
          if (suspectSeq >= 0 && live && !repairing) {
            boolean behind =
                suspectEpoch > epoch || (suspectEpoch == epoch && lastSeq < suspectSeq);
            long upTo = suspectSeq;
            suspectSeq = -1;
            if (behind) {
              repair(upTo, null);
              return;
            }
          }
          checkPosition();
        });
  }

  private void checkPosition() {
    if (!live || repairing) {
      return;
    }
    reader
        .read(thread, policy, -1, epoch)
        .whenComplete(
            (r, e) ->
                serial.execute(
                    () -> {
                      if (e == null
                          && (r.epoch() > epoch || (r.epoch() == epoch && r.seq() > lastSeq))) {
                        suspectSeq = r.seq();
                        suspectEpoch = r.epoch();
                      }
                    }));
  }

  private void drain() {
    while (live && !repairing && !buffer.isEmpty()) {
      Wire.Notice n = buffer.pollFirst();
      if (n.epoch() < epoch || (n.epoch() == epoch && n.seq() <= lastSeq)) {
        continue; // a straggler of an older epoch, or already delivered by a repair
      }
      if (n.epoch() > epoch) {
        newEpoch(n.epoch());
      }
      if (n.seq() == lastSeq + 1) {
        deliver(n.seq(), n.entry());
      } else {
        repair(n.seq() - 1, n);
      }
    }
  }

  private void repair(long upToSeq, Wire.Notice trigger) {
    repairing = true;
    repairs = repairs + 1;
    long from = lastOffset;
    reader
        .read(thread, policy, from, epoch)
        .whenComplete((r, e) -> serial.execute(() -> repaired(r, e, upToSeq, trigger)));
  }

  private void repaired(Wire.Read r, Throwable e, long upToSeq, Wire.Notice trigger) {
    repairing = false;
    if (e != null) {
      LOG.warn("could not repair thread {} from the stream: {}", thread, e.toString());
    } else {
      if (r.epoch() > epoch) {
        newEpoch(r.epoch());
      }
      if (r.epoch() == epoch) {
        for (Wire.Stored s : r.entries()) {
          if (s.seq() > upToSeq) {
            break;
          }
          if (s.offset() <= lastOffset) {
            continue;
          }
          if (s.seq() != lastSeq + 1) {
            gap(s.offset() - 1, (s.seq() - lastSeq - 1) + " messages not in the stream any more");
          }
          deliver(s.seq(), s.entry());
        }
        if (trigger == null && lastSeq < upToSeq) {
          gap(lastOffset, (upToSeq - lastSeq) + " messages lost and not in the stream");
          lastSeq = upToSeq;
        }
      }
    }
    if (trigger != null) {
      buffer.addFirst(trigger);
      if (trigger.epoch() == epoch && trigger.seq() > lastSeq + 1) {
        LogEntry t = trigger.entry();
        gap(
            t.after(),
            (trigger.seq() - lastSeq - 1)
                + " messages lost"
                + (e == null ? " and not in the stream" : ", the stream could not be read: " + e));
        lastSeq = trigger.seq() - 1;
      }
    }
    drain();
  }

  private void newEpoch(long next) {
    epoch = next;
    lastOffset = 0;
    lastSeq = 0;
    gapToAll(new LogGap(thread, next, 0, "the thread's history was lost: new epoch " + next));
  }

  private void gap(long resumeAfter, String reason) {
    lastOffset = resumeAfter;
    gapToAll(new LogGap(thread, epoch, resumeAfter, reason));
  }

  private void gapToAll(LogGap g) {
    LOG.warn("thread {}: {}", thread, g.reason());
    for (Sub s : subs) {
      if (!s.closed) {
        try {
          s.listener.gap(g);
        } catch (RuntimeException ex) {
          LOG.warn("log listener of thread {} threw on a gap", thread, ex);
        }
      }
    }
  }

  private void deliver(long seq, LogEntry e) {
    lastSeq = seq;
    if (!e.isTransient()) {
      lastOffset = e.offset();
    }
    for (Sub s : subs) {
      if (!s.closed) {
        try {
          s.listener.entry(e);
        } catch (RuntimeException ex) {
          LOG.warn("log listener of thread {} threw on {}", thread, e, ex);
        }
      }
    }
  }

  /** Returns true if this channel has delivered everything up to {@code position}; for tests. */
  boolean caughtUp(Wire.Read position) {
    return live && !repairing && epoch == position.epoch() && lastSeq >= position.seq();
  }

  void remove(Sub s) {
    serial.execute(() -> subs.remove(s));
  }

  private record Waiting(Sub sub, CompletableFuture<LogSubscription> future) {}

  /** One local listener. */
  final class Sub implements LogSubscription {
    final LogListener listener;
    private final Runnable onClose;
    volatile boolean closed;
    LogPosition position;

    Sub(LogListener listener, Runnable onClose) {
      this.listener = listener;
      this.onClose = onClose;
    }

    @Override
    public LogPosition position() {
      return position;
    }

    @Override
    public void close() {
      synchronized (this) {
        // Two racing closes must leave the channel once, or it could unsubscribe under another.
        if (closed) {
          return;
        }
        closed = true;
      }
      remove(this);
      onClose.run();
    }
  }
}
