package io.threadwire.inmemory;

import io.threadwire.ConnectionId;
import io.threadwire.ThreadId;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.Since;
import io.threadwire.testkit.KitClient;
import io.threadwire.testkit.KitGap;
import io.threadwire.testkit.KitJoin;
import io.threadwire.testkit.KitMessage;
import java.util.List;

/** An in-memory fake client as the compatibility kit sees it; shared by the kit's runs here. */
record KitInMemoryClient(InMemoryClient client) implements KitClient {
  @Override
  public ConnectionId id() {
    return client.id();
  }

  @Override
  public KitJoin join(ThreadId thread) {
    return toKit(client.join(thread));
  }

  @Override
  public KitJoin join(ThreadId thread, long sinceOffset) {
    return toKit(client.join(thread, Since.offset(sinceOffset)));
  }

  @Override
  public boolean supportsEpoch() {
    return true;
  }

  @Override
  public KitJoin join(ThreadId thread, long epoch, long sinceOffset) {
    return toKit(client.join(thread, Since.position(epoch, sinceOffset)));
  }

  private static KitJoin toKit(JoinResult r) {
    return r.isMember()
        ? KitJoin.accepted(r.epoch(), r.offset(), r.recovered(), r.missed())
        : KitJoin.refused(r.status().name().toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public void leave(ThreadId thread) {
    client.leave(thread);
  }

  @Override
  public List<KitMessage> received() {
    return client.received().stream()
        .map(f -> new KitMessage(f.thread(), f.offset(), f.message().id(), f.text()))
        .toList();
  }

  @Override
  public boolean supportsGaps() {
    return true;
  }

  @Override
  public List<KitGap> gaps() {
    return client.gaps().stream()
        .map(g -> new KitGap(g.thread(), g.epoch(), g.from(), g.to()))
        .toList();
  }

  @Override
  public void close() {
    client.close();
  }
}
