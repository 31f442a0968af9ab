package io.threadwire.micrometer;

import io.threadwire.SendOutcome;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.MessagingListener;

/**
 * The listener behind {@link ThreadwireMetrics#listener()}: hands each event to the meters once
 * they are bound. Before that, events are dropped; the volatile read is the only cost.
 *
 * <p>Sends are counted into per-thread cells of {@link #sends}: the hub keeps the calling thread's
 * recorder ({@link #sendRecorder()}, a {@link ThreadRecorder} over that thread's cell) in its own
 * per-thread state, so a send that reached the log is counted with no thread-local lookup here;
 * {@link #sendCompleted} (the sends that ended before the log) looks the recorder up.
 */
final class MeterListener implements MessagingListener {

  private final int latencySampleInterval;
  private volatile Meters meters;

  /** The send counters' cells, one per counting thread; read by the meters when scraped. */
  final SendCounts sends = new SendCounts(Meters.SEND_SLOTS);

  private final ThreadLocal<ThreadRecorder> recorders =
      ThreadLocal.withInitial(() -> new ThreadRecorder(sends.cell()));

  MeterListener(int latencySampleInterval) {
    this.latencySampleInterval = latencySampleInterval;
  }

  @Override
  public int latencySampleInterval() {
    return latencySampleInterval;
  }

  void bind(Meters meters) {
    this.meters = meters;
  }

  @Override
  public void sendCompleted(SendOutcome outcome, long latencyNanos) {
    recorders.get().sendCompleted(outcome, latencyNanos);
  }

  /** Returns the calling thread's recorder: the same object on every call from that thread. */
  @Override
  public SendRecorder sendRecorder() {
    return recorders.get();
  }

  @Override
  public void joined(JoinResult result) {
    Meters m = meters;
    if (m != null) {
      m.joined(result);
    }
  }

  @Override
  public void slowConsumerCutOff() {
    Meters m = meters;
    if (m != null) {
      m.slowConsumers.increment();
    }
  }

  @Override
  public void frameRateLimited() {
    Meters m = meters;
    if (m != null) {
      m.rateLimited.increment();
    }
  }

  @Override
  public void handshakeRefused(HandshakeRefusal reason) {
    Meters m = meters;
    if (m != null) {
      m.handshakesRefused[reason.ordinal()].increment();
    }
  }

  /**
   * Counts the sends of one thread into its cell; called only on that thread (the hub's promise for
   * a recorder, and {@link #sendCompleted} looks up the caller's own).
   */
  private final class ThreadRecorder implements SendRecorder {
    private final long[] cell;

    ThreadRecorder(long[] cell) {
      this.cell = cell;
    }

    @Override
    public void sendCompleted(SendOutcome outcome, long latencyNanos) {
      Meters m = meters;
      if (m != null) {
        m.sendCompleted(cell, outcome, latencyNanos);
      }
    }
  }
}
