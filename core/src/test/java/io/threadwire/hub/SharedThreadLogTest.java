package io.threadwire.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.Message;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.SendOutcome.Status;
import io.threadwire.ThreadId;
import io.threadwire.spi.FrameEncoder;
import io.threadwire.spi.Since;
import io.threadwire.spi.ThreadLog;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two hubs over one log, as two nodes over a shared one: the log assigns offsets, each hub delivers
 * every entry to its own members, encoded once for the offset the log gave it.
 */
class SharedThreadLogTest {

  private static final ThreadId ROOM = ThreadId.of("room");

  /** Encodes every offset but 3. */
  private static final FrameEncoder FAILS_AT_3 =
      (t, e, o, m) -> {
        if (o == 3) {
          throw new IllegalStateException("cannot encode offset 3");
        }
        return t + "/" + o + "/" + m.payload();
      };

  private final InMemoryThreadLog shared = InMemoryThreadLog.create(Clock.systemUTC());
  private final ThreadHub a = ThreadHub.builder(FAILS_AT_3).threadLog(unclosable()).build();
  private final ThreadHub b = ThreadHub.builder(FAILS_AT_3).threadLog(unclosable()).build();
  private final TestConnection onA = new TestConnection("a", "u");
  private final TestConnection onB = new TestConnection("b", "u");

  @AfterEach
  void close() {
    a.close();
    b.close();
    shared.close();
  }

  /** The shared log; each hub's close leaves it to the test. */
  private ThreadLog unclosable() {
    return new NotClosing(shared);
  }

  /** The shared log, seen as shared, that a hub's close leaves open. */
  private static final class NotClosing extends ForwardingLog {
    NotClosing(ThreadLog log) {
      super(log);
    }

    @Override
    public boolean isShared() {
      return true;
    }

    @Override
    public void close() {}
  }

  private void joinBoth() {
    a.start();
    b.start();
    a.register(onA);
    b.register(onB);
    a.join(onA.id(), ROOM, Since.none());
    b.join(onB.id(), ROOM, Since.none());
  }

  @Test
  void eachHubDeliversEveryEntryAtTheOffsetTheLogAssigned() {
    joinBoth();

    SendOutcome first = a.send(ROOM, Message.of("x")).toCompletableFuture().join();
    SendOutcome second = b.send(ROOM, Message.of("y")).toCompletableFuture().join();

    assertThat(first.offset()).hasValue(1);
    assertThat(second.offset()).hasValue(2);
    // Each outcome counts the sender's own node only.
    assertThat(first.deliveredCount()).isEqualTo(1);
    assertThat(second.deliveredCount()).isEqualTo(1);
    assertThat(onA.offsets()).containsExactly(1L, 2L);
    assertThat(onB.offsets()).containsExactly(1L, 2L);
    assertThat(onB.frames.get(0).text()).isEqualTo("room/1/x");
  }

  @Test
  void anOffsetTheEncoderRefusesIsAnEncodingErrorThatSaysWhereItIsKept() {
    joinBoth();
    a.send(ROOM, Message.of("x")).toCompletableFuture().join();
    b.send(ROOM, Message.of("y")).toCompletableFuture().join();

    SendOutcome o = a.send(ROOM, Message.of("z")).toCompletableFuture().join();

    assertThat(o.status()).isEqualTo(Status.ERROR);
    assertThat(o.errorKind()).contains(ErrorKind.ENCODING_FAILED);
    assertThat(o.offset()).hasValue(3);
    assertThat(o.reason()).contains("kept in history at offset 3");
    assertThat(onA.offsets()).containsExactly(1L, 2L);
    assertThat(onB.offsets()).containsExactly(1L, 2L);
  }

  @Test
  void aTransientSendToAThreadTheSenderTracksNoMemberOfReachesTheOtherHub() {
    a.start();
    b.start();
    b.register(onB);
    b.join(onB.id(), ROOM, Since.none());

    SendOutcome o =
        a.send(ROOM, Message.of("t"), io.threadwire.SendOptions.transientSend())
            .toCompletableFuture()
            .join();

    assertThat(onB.frames).hasSize(1);
    assertThat(onB.frames.get(0).text()).isEqualTo("room/0/t");
    // This hub has no member of the thread: nobody here, whatever the other hub delivered.
    assertThat(o.status()).isEqualTo(Status.NO_RECIPIENTS);
  }

  @Test
  void aJoinOnTheOtherHubReplaysWhatTheFirstStored() {
    a.start();
    b.start();
    a.send(ROOM, Message.of("x")).toCompletableFuture().join();
    b.register(onB);

    var r = b.join(onB.id(), ROOM, Since.offset(0));

    assertThat(r.replayed()).isEqualTo(1);
    assertThat(onB.offsets()).containsExactly(1L);
  }
}
