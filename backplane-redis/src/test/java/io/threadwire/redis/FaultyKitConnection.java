package io.threadwire.redis;

import io.threadwire.ConnectionId;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.hub.ThreadHub;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.Since;
import io.threadwire.spi.TransportConnection;
import io.threadwire.testkit.KitClient;
import io.threadwire.testkit.KitFault;
import io.threadwire.testkit.KitJoin;
import io.threadwire.testkit.KitMessage;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * An in-process connection registered on one node's hub beside that node's socket clients, whose
 * writes suffer a {@link KitFault}: the kit's failure cases need faults no real socket produces on
 * demand. The same glue as adapter-tyrus's {@code FaultyConnection} (a test class there, so not on
 * this module's test class path).
 */
final class FaultyKitConnection implements TransportConnection, KitClient {

  private final ConnectionId id = ConnectionId.next();
  private final UserId user;
  private final KitFault fault;
  private final ThreadHub hub;
  private final Executor events;

  FaultyKitConnection(UserId user, KitFault fault, ThreadHub hub, Executor events) {
    this.user = user;
    this.fault = fault;
    this.hub = hub;
    this.events = events;
    hub.register(this);
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
  public void send(Frame frame, DeliveryCallback callback) {
    switch (fault) {
      case FAIL_WRITES -> callback.failed(this, new IOException("injected write failure"));
      case NEVER_COMPLETE -> {
        // never answered: the send runs into its timeout
      }
      case CUT_MID_WRITE -> {
        events.execute(() -> hub.unregister(id));
        callback.unconfirmed(this, new IOException("connection cut mid-write"));
      }
      case CLOSE_DURING_FANOUT -> {
        events.execute(() -> hub.unregister(id));
        callback.failed(this, new IOException("connection closed during fan-out"));
      }
    }
  }

  @Override
  public KitJoin join(ThreadId thread) {
    return toKit(hub.join(id, thread, Since.none()));
  }

  @Override
  public KitJoin join(ThreadId thread, long sinceOffset) {
    return toKit(hub.join(id, thread, Since.offset(sinceOffset)));
  }

  @Override
  public boolean supportsEpoch() {
    return true;
  }

  @Override
  public KitJoin join(ThreadId thread, long epoch, long sinceOffset) {
    return toKit(hub.join(id, thread, Since.position(epoch, sinceOffset)));
  }

  private static KitJoin toKit(JoinResult r) {
    return r.isMember()
        ? KitJoin.accepted(r.epoch(), r.offset(), r.recovered(), r.missed())
        : KitJoin.refused(r.status().name().toLowerCase(Locale.ROOT));
  }

  @Override
  public void leave(ThreadId thread) {
    hub.leave(id, thread);
  }

  @Override
  public List<KitMessage> received() {
    return List.of();
  }

  @Override
  public void close() {
    hub.unregister(id);
  }
}
