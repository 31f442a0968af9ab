package io.threadwire.micrometer;

import io.threadwire.SendOutcome;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.MessagingListener;

/**
 * The listener behind {@link ThreadwireMetrics#listener()}: hands each event to the meters once
 * they are bound. Before that, events are dropped; the volatile read is the only cost.
 */
final class MeterListener implements MessagingListener {

  private final int latencySampleInterval;
  private volatile Meters meters;

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
    Meters m = meters;
    if (m != null) {
      m.sendCompleted(outcome, latencyNanos);
    }
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
}
