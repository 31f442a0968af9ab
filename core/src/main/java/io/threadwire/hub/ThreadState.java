package io.threadwire.hub;

import io.threadwire.HistoryPolicy;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.spi.LogEntry;
import io.threadwire.spi.LogPolicy;
import io.threadwire.spi.LogSubscription;
import io.threadwire.spi.TransportConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The hub's state for one thread: members, sends waiting for the log, joins waiting for their
 * replay, and the sequencer's position. Every field is guarded by the object's monitor; {@link
 * #members} and {@link #userCount} are also published for lock-free reads. No thread-log call is
 * ever made while the monitor is held.
 */
final class ThreadState {

  private static final TransportConnection[] NO_MEMBERS = new TransportConnection[0];

  final ThreadId id;
  final HistoryPolicy policy;
  final LogPolicy logPolicy;

  /** Completes when the log subscription is live; exceptionally if subscribing failed. */
  final CompletableFuture<LogSubscription> subscribed = new CompletableFuture<>();

  /** Copy-on-write, so a send iterates a stable array without copying it. */
  volatile TransportConnection[] members = NO_MEMBERS;

  volatile int userCount;
  private final Map<UserId, Integer> connectionsPerUser = new HashMap<>();
  private Map<String, Remembered> idempotency; // lazily created

  /** Written without the monitor by the send path over the default log, hence volatile. */
  volatile long lastActivityMillis;

  /**
   * Set, under the monitor, when this state was dropped; a caller holding it must look the thread
   * up again. Volatile for the send path's unlocked check.
   */
  volatile boolean removed;

  /** The live subscription, once {@link #subscribed}; closed outside the monitor when dropped. */
  LogSubscription subscription;

  // The sequencer: what has been dispatched to local members, and what waits for its turn.
  boolean positioned;
  long epoch;
  long lastOffset;
  TreeMap<Long, LogEntry> ahead; // lazily created: stored entries past a hole

  /**
   * How many times the sequencer moved past a hole ({@code Sequencer.resume}); written under the
   * monitor, read without it by the send path, which checks a send answered late against the
   * position only once a thread has had a gap.
   */
  volatile int resumes;

  ArrayDeque<LogEntry> heldTransients; // lazily created: transients after a hole

  /** Local sends handed to the log and not yet dispatched, oldest first. */
  private final ArrayDeque<FanOut> pendingSends = new ArrayDeque<>(4);

  private long lastToken;

  /** Joins waiting for their replay; they buffer what is dispatched meanwhile. */
  List<JoinAttempt> joining; // lazily created

  ThreadState(ThreadId id, HistoryPolicy policy, LogPolicy logPolicy, long nowMillis) {
    this.id = id;
    this.policy = policy;
    this.logPolicy = logPolicy;
    this.lastActivityMillis = nowMillis;
  }

  /** Told after every change of {@link #members}; null for none (tests building a bare state). */
  Presence presence;

  /** Returns the distinct users of the members; under the monitor. */
  Set<UserId> users() {
    return Set.copyOf(connectionsPerUser.keySet());
  }

  long nextToken() {
    return ++lastToken;
  }

  void addPending(FanOut f) {
    pendingSends.addLast(f);
  }

  /** Removes and returns the pending send with {@code token}, or null if it is not pending. */
  FanOut takePending(long token) {
    FanOut head = pendingSends.peekFirst();
    if (head != null && head.token == token) {
      return pendingSends.pollFirst();
    }
    for (Iterator<FanOut> it = pendingSends.iterator(); it.hasNext(); ) {
      FanOut f = it.next();
      if (f.token == token) {
        it.remove();
        return f;
      }
    }
    return null;
  }

  /**
   * Removes and returns the pending sends the log confirmed storing in {@code epoch} at an offset
   * in {@code from..to}: a gap skipped their entries, so they will never be dispatched here.
   */
  List<FanOut> takeSkipped(long epoch, long from, long to) {
    List<FanOut> skipped = null;
    for (Iterator<FanOut> it = pendingSends.iterator(); it.hasNext(); ) {
      FanOut f = it.next();
      long o = f.offset();
      if (o >= from && o <= to && o > 0 && f.confirmedEpoch() == epoch) {
        it.remove();
        if (skipped == null) {
          skipped = new ArrayList<>(1);
        }
        skipped.add(f);
      }
    }
    return skipped == null ? List.of() : skipped;
  }

  boolean removePending(FanOut f) {
    return pendingSends.remove(f);
  }

  /** Takes every pending send, for closing. */
  List<FanOut> takeAllPending() {
    List<FanOut> all = new ArrayList<>(pendingSends);
    pendingSends.clear();
    return all;
  }

  boolean hasPending() {
    return !pendingSends.isEmpty();
  }

  boolean hasJoining() {
    return joining != null && !joining.isEmpty();
  }

  /** Marks the state removed and returns the subscription to close once the monitor is released. */
  LogSubscription markRemoved() {
    removed = true;
    LogSubscription s = subscription;
    subscription = null;
    return s;
  }

  boolean addMember(TransportConnection connection) {
    TransportConnection[] current = members;
    for (TransportConnection c : current) {
      if (c == connection) {
        return false;
      }
    }
    TransportConnection[] next = Arrays.copyOf(current, current.length + 1);
    next[current.length] = connection;
    members = next;
    connectionsPerUser.merge(connection.user(), 1, Integer::sum);
    userCount = connectionsPerUser.size();
    if (presence != null) {
      presence.changed(this);
    }
    return true;
  }

  boolean removeMember(TransportConnection connection) {
    TransportConnection[] current = members;
    for (int i = 0; i < current.length; i++) {
      if (current[i] == connection) {
        TransportConnection[] next = new TransportConnection[current.length - 1];
        System.arraycopy(current, 0, next, 0, i);
        System.arraycopy(current, i + 1, next, i, current.length - i - 1);
        members = next.length == 0 ? NO_MEMBERS : next;
        connectionsPerUser.computeIfPresent(connection.user(), (u, n) -> n == 1 ? null : n - 1);
        userCount = connectionsPerUser.size();
        if (presence != null) {
          presence.changed(this);
        }
        return true;
      }
    }
    return false;
  }

  /** Cancels and returns the join in progress of {@code connection}, or null if there is none. */
  JoinAttempt cancelJoin(TransportConnection connection) {
    if (joining == null) {
      return null;
    }
    for (Iterator<JoinAttempt> it = joining.iterator(); it.hasNext(); ) {
      JoinAttempt j = it.next();
      if (j.connection == connection) {
        it.remove();
        j.cancelled = true;
        return j;
      }
    }
    return null;
  }

  /** Cancels and returns every join in progress, for closing. */
  List<JoinAttempt> cancelAllJoins() {
    if (joining == null) {
      return List.of();
    }
    List<JoinAttempt> all = new ArrayList<>(joining);
    joining.clear();
    all.forEach(j -> j.cancelled = true);
    return all;
  }

  /**
   * Returns the remembered outcome of an earlier local send with {@code key}, or null. The log is
   * the authority on duplicates; this memory only lets a local retry answer with the full earlier
   * outcome (delivered counts) without a round trip.
   */
  CompletableFuture<SendOutcome> rememberedOutcome(String key, long nowMillis, long windowMillis) {
    if (idempotency == null) {
      return null;
    }
    Remembered r = idempotency.get(key);
    if (r == null || nowMillis - r.atMillis >= windowMillis) {
      return null;
    }
    // A send that ended in an error stored and delivered nothing to dedupe: a retry is new.
    SendOutcome done = r.outcome.getNow(null);
    return done != null && !done.isAccepted() ? null : r.outcome;
  }

  void remember(String key, CompletableFuture<SendOutcome> outcome, long nowMillis, int maxKeys) {
    if (idempotency == null) {
      idempotency = new LinkedHashMap<>();
    }
    idempotency.remove(key);
    idempotency.put(key, new Remembered(outcome, nowMillis));
    Iterator<Remembered> it = idempotency.values().iterator();
    while (idempotency.size() > maxKeys && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  void forgetKeysOlderThan(long cutoffMillis) {
    if (idempotency == null) {
      return;
    }
    Iterator<Remembered> it = idempotency.values().iterator();
    while (it.hasNext() && it.next().atMillis <= cutoffMillis) {
      it.remove();
    }
    if (idempotency.isEmpty()) {
      idempotency = null;
    }
  }

  int rememberedKeys() {
    return idempotency == null ? 0 : idempotency.size();
  }

  private record Remembered(CompletableFuture<SendOutcome> outcome, long atMillis) {}
}
