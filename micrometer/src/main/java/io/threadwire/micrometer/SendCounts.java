package io.threadwire.micrometer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Counters written on the send path with no atomic instruction: each thread counts into a cell of
 * its own (single writer, opaque stores, so a reader never sees a torn value), and a reader sums
 * every cell. A cell whose thread has died is folded into a retired total when read, so threads
 * that come and go leave no cells behind. Reads are for scrapes: they walk every live cell.
 */
final class SendCounts {

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  private final int slots;
  private final ThreadLocal<long[]> mine;
  private final ConcurrentLinkedQueue<Cell> cells = new ConcurrentLinkedQueue<>();
  private final long[] retired; // guarded by this

  SendCounts(int slots) {
    this.slots = slots;
    this.retired = new long[slots];
    this.mine = ThreadLocal.withInitial(this::newCell);
  }

  /** Adds {@code n} to {@code slot} in the current thread's cell. */
  void add(int slot, long n) {
    long[] c = mine.get();
    SLOT.setOpaque(c, slot, (long) SLOT.getOpaque(c, slot) + n);
  }

  /** Adds one to {@code slot}. */
  void increment(int slot) {
    add(slot, 1);
  }

  /** Returns the current thread's cell, for several adds in a row. */
  long[] cell() {
    return mine.get();
  }

  /** Adds {@code n} to {@code slot} of {@code cell}, which the current thread owns. */
  static void add(long[] cell, int slot, long n) {
    SLOT.setOpaque(cell, slot, (long) SLOT.getOpaque(cell, slot) + n);
  }

  /** Returns the total of {@code slot} over every thread, live or gone. */
  synchronized long sum(int slot) {
    long live = 0;
    for (var it = cells.iterator(); it.hasNext(); ) {
      Cell cell = it.next();
      Thread owner = cell.owner.get();
      if (owner == null || !owner.isAlive()) {
        // The owner has terminated: its writes happened before (Thread.isAlive is false, or the
        // thread is collected), and it writes no more; fold the cell in.
        for (int i = 0; i < slots; i++) {
          retired[i] += (long) SLOT.getOpaque(cell.counts, i);
        }
        it.remove();
        continue;
      }
      live += (long) SLOT.getOpaque(cell.counts, slot);
    }
    return retired[slot] + live; // read after the loop: it may have folded dead cells in
  }

  private long[] newCell() {
    long[] counts = new long[slots];
    cells.add(new Cell(new WeakReference<>(Thread.currentThread()), counts));
    return counts;
  }

  private record Cell(WeakReference<Thread> owner, long[] counts) {}
}
