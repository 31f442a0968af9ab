package io.threadwire.hub;

import io.threadwire.ConnectionId;
import io.threadwire.ThreadId;
import io.threadwire.ThreadMessaging.State;
import io.threadwire.spi.Frame;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.LogEntry;
import io.threadwire.spi.LogReplay;
import io.threadwire.spi.LogSubscription;
import io.threadwire.spi.Since;
import io.threadwire.spi.TransportConnection;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Registration, joins with replay, leaves. A join reserves its slot in the connection's
 * registration, waits for the thread's subscription, starts buffering what is dispatched to the
 * thread, reads the replay from the log outside every lock, and then, under the thread's monitor,
 * acknowledges, replays, sends the buffered frames the replay did not cover and becomes a member:
 * no gap and no duplicate at the seam.
 */
final class Joining {

  private static final System.Logger LOG = System.getLogger(ThreadHub.class.getName());

  private final ThreadHub hub;
  private final ConcurrentHashMap<ConnectionId, Registration> connections =
      new ConcurrentHashMap<>();

  Joining(ThreadHub hub) {
    this.hub = hub;
  }

  java.util.Collection<Registration> registrations() {
    return connections.values();
  }

  int registered() {
    return connections.size();
  }

  void register(TransportConnection connection) {
    Registration r = new Registration(connection);
    if (connections.putIfAbsent(connection.id(), r) != null) {
      throw new IllegalStateException("connection " + connection.id() + " is already registered");
    }
  }

  CompletableFuture<JoinResult> join(ConnectionId connectionId, ThreadId thread, Since since) {
    Registration r = registration(connectionId);
    synchronized (r) {
      if (hub.state() != State.RUNNING || r.unregistered) {
        return refused(thread, JoinResult.Status.NOT_RUNNING);
      }
      if (r.hasJoined(thread)) {
        return CompletableFuture.completedFuture(alreadyJoined(thread));
      }
      if (r.joinedCount() >= hub.settings.maxThreadsPerConnection()) {
        return refused(thread, JoinResult.Status.TOO_MANY_THREADS);
      }
      r.addJoined(thread); // reserved; released if the join does not take effect
    }
    CompletableFuture<JoinResult> joined;
    try {
      joined = attempt(r, thread, since);
    } catch (RuntimeException e) {
      release(r, thread); // an unexpected failure must not leave the slot reserved
      throw e;
    }
    return joined.whenComplete(
        (result, err) -> {
          if (err != null || !result.isMember()) {
            release(r, thread);
          }
        });
  }

  private static void release(Registration r, ThreadId thread) {
    synchronized (r) {
      r.removeJoined(thread);
    }
  }

  private CompletableFuture<JoinResult> attempt(Registration r, ThreadId thread, Since since) {
    ThreadState ts = hub.threads.acquire(thread);
    if (!ts.subscribed.isDone()) {
      return ts.subscribed
          .handle((s, err) -> err)
          .thenCompose(
              err ->
                  err != null
                      ? refused(thread, JoinResult.Status.NOT_RUNNING)
                      : attempt(r, thread, since));
    }
    if (ts.subscribed.isCompletedExceptionally()) {
      return refused(thread, JoinResult.Status.NOT_RUNNING); // the log could not subscribe
    }
    JoinAttempt attempt;
    JoinResult immediate = null;
    LogSubscription toClose = null;
    boolean closing = false;
    Dispatch section = Dispatch.enter();
    try {
      synchronized (ts) {
        if (ts.removed && hub.state() == State.RUNNING) {
          attempt = null;
        } else if (ts.removed || hub.state() != State.RUNNING) {
          // close() ran since the check above, maybe before this state existed to drop; its
          // subscription is closed below, once the monitor is released.
          toClose = ts.removed ? null : hub.threads.drop(ts);
          closing = true;
          attempt = null;
        } else {
          ts.lastActivityMillis = hub.clock.millis();
          if (since.isNone()) {
            JoinResult result =
                new JoinResult(
                    thread, JoinResult.Status.JOINED, ts.epoch, ts.lastOffset, true, 0, 0);
            r.connection.joined(result);
            ts.addMember(r.connection);
            immediate = result;
            attempt = null;
          } else {
            attempt = new JoinAttempt(r.connection);
            if (ts.joining == null) {
              ts.joining = new ArrayList<>(2);
            }
            ts.joining.add(attempt);
          }
        }
      }
    } finally {
      section.exit();
    }
    if (closing) {
      return refusedAfter(toClose, thread);
    }
    if (immediate != null) {
      return CompletableFuture.completedFuture(confirmReserved(r, ts, immediate));
    }
    if (attempt == null) {
      return attempt(r, thread, since); // dropped by maintenance: look the thread up again
    }
    // "After offset N" without the epoch N belongs to: the history may have restarted since (a new
    // epoch whose offsets 1..N the client never saw), and nothing here can tell. Treat it as a
    // position in a lost history: replay everything retained, report recovered=false (missed at
    // least 1), so the client starts over from the epoch in the answer.
    Since asked = since;
    if (since.epoch().isEmpty() && since.offset().orElse(0) > 0) {
      attempt.epochUnknown = true;
      asked = Since.offset(0);
    }
    CompletionStage<LogReplay> stage;
    try {
      stage = hub.log.replay(thread, ts.logPolicy, asked);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e); // the SPI forbids throwing
    }
    CompletableFuture<LogReplay> replay = stage.toCompletableFuture();
    if (!replay.isDone()) {
      replay =
          replay.copy().orTimeout(hub.settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
    JoinAttempt a = attempt;
    replay.whenComplete((rp, err) -> replayRead(ts, a, rp, err));
    return a.done.thenApply(result -> confirmReserved(r, ts, result));
  }

  /**
   * Undoes a membership whose reservation a concurrent leave or unregister took away. Checked after
   * the thread's monitor is released: a registration's monitor is never taken inside it.
   */
  private static JoinResult confirmReserved(Registration r, ThreadState ts, JoinResult result) {
    if (!result.isMember()) {
      return result;
    }
    boolean kept;
    synchronized (r) {
      kept = !r.unregistered && r.hasJoined(ts.id);
    }
    if (kept) {
      return result;
    }
    synchronized (ts) {
      ts.removeMember(r.connection);
    }
    return JoinResult.refused(ts.id, JoinResult.Status.NOT_RUNNING);
  }

  private CompletableFuture<JoinResult> refusedAfter(LogSubscription toClose, ThreadId thread) {
    Threads.quietlyClose(toClose);
    return refused(thread, JoinResult.Status.NOT_RUNNING);
  }

  /** Takes the replay in, under the thread's monitor, and completes the join if it can. */
  private void replayRead(ThreadState ts, JoinAttempt a, LogReplay replay, Throwable err) {
    Dispatch section = Dispatch.enter();
    try {
      synchronized (ts) {
        if (a.cancelled) {
          return; // whoever cancelled it completed it
        }
        if (ts.removed || hub.state() != State.RUNNING) {
          ts.joining.remove(a);
          refuse(ts, a);
          return;
        }
        if (err != null || replay == null) {
          // The client asked to recover and could not be: say so rather than pretend.
          LOG.log(Level.WARNING, "replay of thread " + ts.id + " failed; joining with a gap", err);
          a.epoch = ts.epoch;
          a.offset = ts.lastOffset;
          a.missed = 1;
        } else {
          a.epoch = replay.position().epoch();
          a.offset = replay.position().offset();
          a.missed = replay.missed();
          List<Frame> frames = new ArrayList<>(replay.entries().size());
          for (LogEntry e : replay.entries()) {
            String text = hub.sending.encode(ts.id, e);
            if (text == null) {
              a.missed++;
            } else {
              frames.add(new Frame(ts.id, e.epoch(), e.offset(), e.message(), text));
            }
          }
          a.replayed = frames;
        }
        if (a.epochUnknown && a.missed == 0) {
          a.missed = 1; // unknowable: see attempt()
        }
        a.replayRead = true;
        completeCaughtUp(ts);
      }
    } finally {
      section.exit();
    }
  }

  /**
   * Completes every join whose replay is read and whose position the sequencer has reached: only
   * then can no entry the replay covered still be on its way to the live path. Under the thread's
   * monitor; called after each dispatch while joins wait.
   */
  void completeCaughtUp(ThreadState ts) {
    for (Iterator<JoinAttempt> it = ts.joining.iterator(); it.hasNext(); ) {
      JoinAttempt a = it.next();
      if (a.replayRead && (a.epoch != ts.epoch || ts.lastOffset >= a.offset)) {
        it.remove();
        JoinResult result = becomeMember(ts, a);
        Dispatch.later(() -> a.done.complete(result));
      }
    }
  }

  /** Acknowledges, replays, sends what the replay did not cover, and adds the member. */
  private JoinResult becomeMember(ThreadState ts, JoinAttempt a) {
    List<Frame> frames = new ArrayList<>(a.replayed);
    int[] gapAt = new int[a.gaps == null ? 0 : a.gaps.size()];
    int next = 0;
    for (int i = 0; i <= a.buffered.size(); i++) {
      while (next < gapAt.length && a.gaps.get(next).at() == i) {
        gapAt[next++] = frames.size(); // the frame index the gap goes out before
      }
      if (i == a.buffered.size()) {
        break;
      }
      Frame f = a.buffered.get(i);
      // Dispatched while the join waited: what the replay covered is not sent twice; transients
      // have no offset to compare and always go.
      if (f.offset() == 0 || f.offset() > a.offset || f.epoch() != a.epoch) {
        frames.add(f);
      }
    }
    JoinResult result =
        new JoinResult(
            ts.id,
            JoinResult.Status.JOINED,
            a.epoch,
            a.offset,
            a.missed == 0,
            frames.size(),
            a.missed);
    TransportConnection c = a.connection;
    c.joined(result);
    int g = 0;
    for (int i = 0; i <= frames.size(); i++) {
      for (; g < gapAt.length && gapAt[g] == i; g++) {
        Gaps.signalJoined(c, a, a.gaps.get(g).gap());
      }
      if (i < frames.size()) {
        Sending.sendIgnoring(c, frames.get(i));
      }
    }
    ts.lastActivityMillis = hub.clock.millis();
    ts.addMember(c);
    return result;
  }

  /** Completes {@code a} as refused, after the current section if inside one. */
  static void refuse(ThreadState ts, JoinAttempt a) {
    JoinResult refused = JoinResult.refused(ts.id, JoinResult.Status.NOT_RUNNING);
    Dispatch.later(() -> a.done.complete(refused));
  }

  private JoinResult alreadyJoined(ThreadId thread) {
    ThreadState ts = hub.threads.get(thread);
    long epoch = 0;
    long offset = 0;
    if (ts != null) {
      synchronized (ts) {
        epoch = ts.epoch;
        offset = ts.lastOffset;
      }
    }
    return new JoinResult(thread, JoinResult.Status.ALREADY_JOINED, epoch, offset, true, 0, 0);
  }

  private static CompletableFuture<JoinResult> refused(ThreadId thread, JoinResult.Status status) {
    return CompletableFuture.completedFuture(JoinResult.refused(thread, status));
  }

  boolean leave(ConnectionId connectionId, ThreadId thread) {
    Registration r = registration(connectionId);
    synchronized (r) {
      return r.removeJoined(thread) && removeMember(thread, r.connection);
    }
  }

  void unregister(ConnectionId connectionId) {
    Registration r = connections.remove(connectionId);
    if (r == null) {
      return;
    }
    synchronized (r) {
      r.unregistered = true;
      for (ThreadId thread : r.takeJoined()) {
        removeMember(thread, r.connection);
      }
    }
  }

  private boolean removeMember(ThreadId thread, TransportConnection c) {
    ThreadState ts = hub.threads.get(thread);
    if (ts == null) {
      return false;
    }
    JoinAttempt cancelled;
    synchronized (ts) {
      ts.lastActivityMillis = hub.clock.millis();
      if (ts.removeMember(c)) {
        return true;
      }
      cancelled = ts.cancelJoin(c);
    }
    if (cancelled == null) {
      return false;
    }
    refuse(ts, cancelled);
    return true;
  }

  Set<ThreadId> joinedThreads(ConnectionId connectionId) {
    Objects.requireNonNull(connectionId, "connectionId");
    Registration r = connections.get(connectionId);
    if (r == null) {
      return Set.of();
    }
    synchronized (r) {
      return r.joined();
    }
  }

  private Registration registration(ConnectionId id) {
    Objects.requireNonNull(id, "connectionId");
    Registration r = connections.get(id);
    if (r == null) {
      throw new IllegalStateException("connection " + id + " is not registered");
    }
    return r;
  }
}
