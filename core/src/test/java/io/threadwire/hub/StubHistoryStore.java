package io.threadwire.hub;

import io.threadwire.HistoryPolicy;
import io.threadwire.Message;
import io.threadwire.ThreadId;
import io.threadwire.spi.HistoryEntry;
import io.threadwire.spi.HistoryStore;
import io.threadwire.spi.ThreadHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A history store standing in for a shared one: other nodes append too, so the offset it assigns
 * may run ahead of what this hub predicted ({@link #othersAppend}). Counts opens and releases, and
 * can run a hook inside {@link #open} to force an interleaving.
 */
class StubHistoryStore implements HistoryStore {

  final AtomicInteger opened = new AtomicInteger();
  final AtomicInteger released = new AtomicInteger();

  /** Appends by other nodes between this hub's prediction and its own append. */
  volatile int othersAppend;

  /** Runs inside {@link #open}, before the history is returned. */
  volatile Runnable onOpen = () -> {};

  @Override
  public ThreadHistory open(ThreadId thread, HistoryPolicy policy) {
    opened.incrementAndGet();
    onOpen.run();
    return new History();
  }

  private final class History implements ThreadHistory {
    private final List<HistoryEntry> entries = new ArrayList<>();
    private long last;

    @Override
    public long epoch() {
      return 1;
    }

    @Override
    public long lastOffset() {
      return last;
    }

    @Override
    public long append(Message message, Instant now) {
      last += othersAppend + 1;
      entries.add(new HistoryEntry(last, message, now));
      return last;
    }

    @Override
    public List<HistoryEntry> readAfter(long offset, Instant now) {
      return entries.stream().filter(e -> e.offset() > offset).toList();
    }

    @Override
    public void evictExpired(Instant now) {}

    @Override
    public int size() {
      return entries.size();
    }

    @Override
    public long bytes() {
      return entries.stream().mapToLong(e -> e.message().sizeEstimate()).sum();
    }

    @Override
    public void release() {
      released.incrementAndGet();
    }
  }
}
