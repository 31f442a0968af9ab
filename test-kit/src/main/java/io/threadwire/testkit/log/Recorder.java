package io.threadwire.testkit.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.spi.LogEntry;
import io.threadwire.spi.LogGap;
import io.threadwire.spi.LogListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;

/**
 * A listener that records what a subscription delivers and checks the listener contract as it goes:
 * calls never overlap, and stored offsets advance by one unless a gap was signalled first.
 * Violations are collected, not thrown, so the log's thread is not disturbed; {@link
 * #assertContractKept()} reports them.
 */
public final class Recorder implements LogListener {

  private final List<LogEntry> entries = new ArrayList<>(); // guarded by this
  private final List<LogGap> gaps = new ArrayList<>(); // guarded by this
  private final List<String> violations = new ArrayList<>(); // guarded by this
  private final AtomicBoolean inCall = new AtomicBoolean();
  private long lastOffset = -1; // -1 until the first entry
  private long epoch;
  private boolean gapSignalled;

  /**
   * Creates a recorder that takes the first stored entry's offset as it comes and checks the ones
   * after it; {@link #after(long)} checks the first one too.
   */
  public Recorder() {}

  /**
   * {@return a recorder that expects the first stored entry to follow {@code after}}
   *
   * @param after the offset the first stored entry is expected to follow
   */
  public static Recorder after(long after) {
    Recorder r = new Recorder();
    r.lastOffset = after;
    return r;
  }

  @Override
  public void entry(LogEntry e) {
    enter();
    try {
      synchronized (this) {
        if (lastOffset >= 0 && !e.isTransient()) {
          if (!gapSignalled && e.offset() != lastOffset + 1) {
            violations.add("offset " + e.offset() + " after " + lastOffset + " without a gap");
          }
          if (gapSignalled && e.offset() <= lastOffset) {
            violations.add("offset " + e.offset() + " at or before the gap's " + lastOffset);
          }
        }
        if (lastOffset >= 0 && epoch != 0 && e.epoch() != epoch && !gapSignalled) {
          violations.add("epoch changed to " + e.epoch() + " without a gap");
        }
        if (!e.isTransient()) {
          lastOffset = e.offset();
        }
        epoch = e.epoch();
        gapSignalled = false;
        entries.add(e);
      }
    } finally {
      inCall.set(false);
    }
  }

  @Override
  public void gap(LogGap gap) {
    enter();
    try {
      synchronized (this) {
        gaps.add(gap);
        gapSignalled = true;
        lastOffset = gap.resumeAfter();
        epoch = gap.epoch();
      }
    } finally {
      inCall.set(false);
    }
  }

  private void enter() {
    if (!inCall.compareAndSet(false, true)) {
      synchronized (this) {
        violations.add("overlapping listener calls");
      }
    }
  }

  /** {@return the entries delivered so far, in delivery order} */
  public synchronized List<LogEntry> entries() {
    return List.copyOf(entries);
  }

  /** {@return the stored offsets delivered so far, in delivery order} */
  public synchronized List<Long> offsets() {
    return entries.stream().filter(e -> !e.isTransient()).map(LogEntry::offset).toList();
  }

  /** {@return the gaps signalled so far} */
  public synchronized List<LogGap> gaps() {
    return List.copyOf(gaps);
  }

  /**
   * Waits until at least {@code n} entries or gaps have been delivered, at most 10 seconds.
   *
   * @param n how many entries and gaps to wait for, together
   * @throws org.awaitility.core.ConditionTimeoutException if fewer arrive within 10 seconds
   */
  public void awaitDeliveries(int n) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              synchronized (this) {
                return entries.size() + gaps.size() >= n;
              }
            });
  }

  /**
   * Waits until at least {@code n} entries have been delivered, at most 10 seconds.
   *
   * @param n how many entries to wait for
   * @throws org.awaitility.core.ConditionTimeoutException if fewer arrive within 10 seconds
   */
  public void awaitEntries(int n) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              synchronized (this) {
                return entries.size() >= n;
              }
            });
  }

  /**
   * Fails if the log broke the listener contract so far.
   *
   * @throws AssertionError listing the violations, if there are any
   */
  public synchronized void assertContractKept() {
    assertThat(violations).as("listener contract violations").isEmpty();
  }
}
