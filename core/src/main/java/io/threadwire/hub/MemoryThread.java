package io.threadwire.hub;

import io.threadwire.HistoryPolicy;
import io.threadwire.Message;
import io.threadwire.ThreadId;
import io.threadwire.spi.AppendResult;
import io.threadwire.spi.LogEntry;
import io.threadwire.spi.LogListener;
import io.threadwire.spi.LogPolicy;
import io.threadwire.spi.LogPosition;
import io.threadwire.spi.LogReplay;
import io.threadwire.spi.LogSubscription;
import io.threadwire.spi.Since;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One thread of an {@link InMemoryThreadLog}: its entries, idempotency keys and subscribers. Every
 * method runs under the object's monitor, which is what makes an append atomic and keeps
 * subscribers' calls in offset order.
 */
final class MemoryThread {

  private static final System.Logger LOG = System.getLogger(InMemoryThreadLog.class.getName());
  private static final LogListener[] NONE = new LogListener[0];

  final ThreadId id;
  final long epoch;
  boolean dropped;
  private final ArrayDeque<LogEntry> entries = new ArrayDeque<>();
  private Map<String, Remembered> keys; // lazily created, in insertion order
  private LogListener[] listeners = NONE;
  private LogPolicy policy; // the newest one seen, for maintenance
  private long lastOffset;
  private long bytes;

  MemoryThread(ThreadId id, long epoch) {
    this.id = id;
    this.epoch = epoch;
  }

  AppendResult append(LogPolicy policy, Message message, long token, long nowMillis) {
    // Kept under the JIT's inlining limit for hot methods (325 bytecodes): the rare refusals are
    // built in methods of their own, so this inlines into the caller and its results need not
    // be allocated on the heap.
    this.policy = policy;
    HistoryPolicy history = policy.history();
    evictOlderThan(nowMillis - history.maxAge().toMillis());
    String key = message.idempotencyKey().orElse(null);
    if (key != null && keys != null) {
      AppendResult duplicate = duplicateOf(key, policy, nowMillis);
      if (duplicate != null) {
        return duplicate;
      }
    }
    long size = message.sizeEstimate();
    if (size > history.maxBytes()) {
      return tooLarge(size, history);
    }
    boolean full = entries.size() + 1 > history.maxMessages() || bytes + size > history.maxBytes();
    if (full && history.overflow() == HistoryPolicy.Overflow.REJECT) {
      return full();
    }
    while (entries.size() + 1 > history.maxMessages() || bytes + size > history.maxBytes()) {
      removeOldest();
    }
    lastOffset++;
    LogEntry entry = LogEntry.stored(id, epoch, lastOffset, message, nowMillis, token);
    entries.addLast(entry);
    bytes += size;
    if (key != null) {
      remember(key, lastOffset, nowMillis, policy.idempotencyMaxKeys());
    }
    notifyListeners(entry);
    return AppendResult.appended(epoch, lastOffset);
  }

  private AppendResult duplicateOf(String key, LogPolicy policy, long nowMillis) {
    Remembered r = keys.get(key);
    return r != null && nowMillis - r.atMillis < policy.idempotencyWindow().toMillis()
        ? AppendResult.duplicate(epoch, r.offset)
        : null;
  }

  private AppendResult tooLarge(long size, HistoryPolicy history) {
    return AppendResult.refused(
        AppendResult.Status.TOO_LARGE,
        "message of "
            + size
            + " bytes is larger than the history bound of "
            + history.maxBytes()
            + " bytes of thread "
            + id);
  }

  private AppendResult full() {
    return AppendResult.refused(
        AppendResult.Status.REJECTED,
        "history of thread "
            + id
            + " is full ("
            + entries.size()
            + " messages, "
            + bytes
            + " bytes) and its overflow policy is REJECT");
  }

  AppendResult publish(Message message, long token) {
    notifyListeners(LogEntry.transientEntry(id, epoch, lastOffset, message, token));
    return AppendResult.published(epoch, lastOffset);
  }

  LogReplay replay(LogPolicy policy, Since since, long nowMillis) {
    this.policy = policy;
    evictOlderThan(nowMillis - policy.history().maxAge().toMillis());
    LogPosition position = new LogPosition(epoch, lastOffset);
    if (since.isNone()) {
      return new LogReplay(position, List.of(), true, 0);
    }
    long after = since.offset().getAsLong();
    boolean lost =
        (since.epoch().isPresent() && since.epoch().getAsLong() != epoch) || after > lastOffset;
    if (lost) {
      // The client's position belongs to a lost history: everything retained is new to it, and
      // how much it lost is unknowable, so at least one.
      after = 0;
    }
    List<LogEntry> result = new ArrayList<>();
    for (LogEntry e : entries) {
      if (e.offset() > after) {
        result.add(e);
      }
    }
    long firstAvailable = result.isEmpty() ? lastOffset + 1 : result.get(0).offset();
    long missed = Math.max(0, firstAvailable - after - 1);
    if (lost) {
      missed = Math.max(missed, 1);
    }
    return new LogReplay(position, result, missed == 0, missed);
  }

  LogSubscription subscribe(LogListener listener, Consumer<MemoryThread> onLastClose) {
    LogListener[] next = Arrays.copyOf(listeners, listeners.length + 1);
    next[listeners.length] = listener;
    listeners = next;
    LogPosition position = new LogPosition(epoch, lastOffset);
    return new LogSubscription() {
      private boolean closed; // guarded by MemoryThread.this

      @Override
      public LogPosition position() {
        return position;
      }

      @Override
      public void close() {
        synchronized (MemoryThread.this) {
          if (closed) {
            return;
          }
          closed = true;
          removeListener(listener);
        }
        onLastClose.accept(MemoryThread.this);
      }
    };
  }

  private void removeListener(LogListener listener) {
    for (int i = 0; i < listeners.length; i++) {
      if (listeners[i] == listener) {
        LogListener[] next = new LogListener[listeners.length - 1];
        System.arraycopy(listeners, 0, next, 0, i);
        System.arraycopy(listeners, i + 1, next, i, listeners.length - i - 1);
        listeners = next.length == 0 ? NONE : next;
        return;
      }
    }
  }

  int listenerCount() {
    return listeners.length;
  }

  private void notifyListeners(LogEntry entry) {
    for (LogListener l : listeners) {
      try {
        l.entry(entry);
      } catch (RuntimeException e) {
        // The listener contract forbids throwing; one subscriber must not cost the others.
        LOG.log(Level.WARNING, "log listener of thread " + id + " threw on " + entry, e);
      }
    }
  }

  /** Expires old history and keys; returns true if nothing is left. */
  boolean expire(long nowMillis) {
    if (policy != null) {
      evictOlderThan(nowMillis - policy.history().maxAge().toMillis());
      if (keys != null) {
        long cutoff = nowMillis - policy.idempotencyWindow().toMillis();
        Iterator<Remembered> it = keys.values().iterator();
        while (it.hasNext() && it.next().atMillis <= cutoff) {
          it.remove();
        }
        if (keys.isEmpty()) {
          keys = null;
        }
      }
    }
    return entries.isEmpty() && keys == null;
  }

  private void remember(String key, long offset, long nowMillis, int maxKeys) {
    if (keys == null) {
      keys = new LinkedHashMap<>();
    }
    keys.remove(key);
    keys.put(key, new Remembered(offset, nowMillis));
    Iterator<Remembered> it = keys.values().iterator();
    while (keys.size() > maxKeys && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  private void evictOlderThan(long cutoffMillis) {
    while (!entries.isEmpty() && entries.peekFirst().storedAtMillis() <= cutoffMillis) {
      removeOldest();
    }
  }

  private void removeOldest() {
    LogEntry e = entries.removeFirst();
    bytes -= e.message().sizeEstimate();
  }

  int size() {
    return entries.size();
  }

  long bytes() {
    return bytes;
  }

  List<LogEntry> entries() {
    return List.copyOf(entries);
  }

  private record Remembered(long offset, long atMillis) {}
}
