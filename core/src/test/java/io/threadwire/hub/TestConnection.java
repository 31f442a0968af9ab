package io.threadwire.hub;

import io.threadwire.ConnectionId;
import io.threadwire.UserId;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.TransportConnection;
import java.util.ArrayList;
import java.util.List;

/** A connection that records frames and acknowledges each write at once. */
class TestConnection implements TransportConnection {
  private final ConnectionId id;
  private final UserId user;
  final List<Frame> frames = new ArrayList<>();
  final List<JoinResult> joins = new ArrayList<>();
  final List<DeliveryCallback> held = new ArrayList<>();
  volatile boolean hold;

  TestConnection(String id, String user) {
    this.id = ConnectionId.of(id);
    this.user = UserId.of(user);
  }

  @Override
  public ConnectionId id() {
    return id;
  }

  @Override
  public UserId user() {
    return user;
  }

  @Override
  public synchronized void send(Frame frame, DeliveryCallback callback) {
    if (hold) {
      held.add(callback);
      return;
    }
    frames.add(frame);
    callback.delivered(this);
  }

  @Override
  public synchronized void joined(JoinResult result) {
    joins.add(result);
  }

  synchronized List<Long> offsets() {
    return frames.stream().map(Frame::offset).toList();
  }
}
