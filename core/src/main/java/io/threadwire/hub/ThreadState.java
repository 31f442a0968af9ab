package io.threadwire.hub;

import io.threadwire.HistoryPolicy;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.spi.ThreadHistory;
import io.threadwire.spi.TransportConnection;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The hub's state for one thread. Every field is guarded by the object's monitor; {@link #members}
 * and {@link #userCount} are also published for lock-free reads.
 */
final class ThreadState {

  private static final TransportConnection[] NO_MEMBERS = new TransportConnection[0];

  final ThreadId id;
  final HistoryPolicy policy;

  /** Null when the policy disables history. */
  final ThreadHistory history;

  /** Copy-on-write, so a send iterates a stable array without copying it. */
  volatile TransportConnection[] members = NO_MEMBERS;

  volatile int userCount;
  private final Map<UserId, Integer> connectionsPerUser = new HashMap<>();
  private Map<String, Remembered> idempotency; // lazily created
  long lastActivityMillis;

  /** Set when maintenance dropped this state; a caller holding it must look the thread up again. */
  boolean removed;

  ThreadState(ThreadId id, HistoryPolicy policy, ThreadHistory history, long nowMillis) {
    this.id = id;
    this.policy = policy;
    this.history = history;
    this.lastActivityMillis = nowMillis;
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
        return true;
      }
    }
    return false;
  }

  /** Returns the remembered outcome of an earlier send with {@code key}, or null. */
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
