package io.threadwire.hub;

import io.threadwire.HistoryPolicy;
import io.threadwire.Message;
import io.threadwire.ThreadId;
import io.threadwire.spi.HistoryEntry;
import io.threadwire.spi.HistoryStore;
import io.threadwire.spi.ThreadHistory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default {@link HistoryStore}: history on the heap of this process, lost on restart (which the
 * epoch makes visible to recovering clients). Epochs start at a random value and count up, so a
 * restarted process, or a thread that expired and came back, does not reuse one (short of a
 * one-in-2^51 coincidence); they stay below 2^53 so JavaScript clients read them exactly.
 */
public final class InMemoryHistoryStore implements HistoryStore {

  private final AtomicLong nextEpoch;

  private InMemoryHistoryStore(Clock clock) {
    // Random rather than clock-derived: two stores on one (manual or fixed) clock must differ.
    this.nextEpoch = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 51) + 1);
  }

  /**
   * {@return a new store; {@code clock} is accepted for symmetry with other stores}
   *
   * @param clock the clock to read time from
   */
  public static InMemoryHistoryStore create(Clock clock) {
    return new InMemoryHistoryStore(clock);
  }

  @Override
  public ThreadHistory open(ThreadId thread, HistoryPolicy policy) {
    return new ThreadDeque(nextEpoch.incrementAndGet(), policy);
  }

  /** One thread's history: a deque, guarded by the hub's per-thread lock. */
  private static final class ThreadDeque implements ThreadHistory {
    private final long epoch;
    private final HistoryPolicy policy;
    private final ArrayDeque<HistoryEntry> entries = new ArrayDeque<>();
    private long lastOffset;
    private long bytes;

    ThreadDeque(long epoch, HistoryPolicy policy) {
      this.epoch = epoch;
      this.policy = policy;
    }

    @Override
    public long epoch() {
      return epoch;
    }

    @Override
    public long lastOffset() {
      return lastOffset;
    }

    @Override
    public long append(Message message, Instant now) {
      evictExpired(now);
      long size = message.sizeEstimate();
      if (size > policy.maxBytes()) {
        return -1;
      }
      boolean full = entries.size() + 1 > policy.maxMessages() || bytes + size > policy.maxBytes();
      if (full && policy.overflow() == HistoryPolicy.Overflow.REJECT) {
        return -1;
      }
      while (entries.size() + 1 > policy.maxMessages() || bytes + size > policy.maxBytes()) {
        removeOldest();
      }
      lastOffset++;
      entries.addLast(new HistoryEntry(lastOffset, message, now));
      bytes += size;
      return lastOffset;
    }

    @Override
    public List<HistoryEntry> readAfter(long offset, Instant now) {
      evictExpired(now);
      if (entries.isEmpty() || offset >= lastOffset) {
        return List.of();
      }
      List<HistoryEntry> result =
          new ArrayList<>((int) Math.min(entries.size(), lastOffset - offset));
      Iterator<HistoryEntry> it = entries.descendingIterator();
      while (it.hasNext()) {
        HistoryEntry e = it.next();
        if (e.offset() <= offset) {
          break;
        }
        result.add(e);
      }
      java.util.Collections.reverse(result);
      return result;
    }

    @Override
    public void evictExpired(Instant now) {
      Instant cutoff = now.minus(policy.maxAge());
      while (!entries.isEmpty() && !entries.peekFirst().storedAt().isAfter(cutoff)) {
        removeOldest();
      }
    }

    private void removeOldest() {
      HistoryEntry e = entries.removeFirst();
      bytes -= e.message().sizeEstimate();
    }

    @Override
    public int size() {
      return entries.size();
    }

    @Override
    public long bytes() {
      return bytes;
    }

    @Override
    public void release() {
      entries.clear();
      bytes = 0;
    }
  }
}
