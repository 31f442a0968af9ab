package io.threadwire.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.Message;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.SendOutcome.Status;
import io.threadwire.ThreadId;
import io.threadwire.spi.FrameEncoder;
import io.threadwire.spi.Since;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A history store that assigns offsets itself, as a shared one does. */
class SharedHistoryStoreTest {

  private static final ThreadId ROOM = ThreadId.of("room");

  /** Encodes every offset but 3, the one a shared store hands out after two foreign appends. */
  private static final FrameEncoder FAILS_AT_3 =
      (t, e, o, m) -> {
        if (o == 3) {
          throw new IllegalStateException("cannot encode offset 3");
        }
        return t + "/" + o + "/" + m.payload();
      };

  private final StubHistoryStore store = new StubHistoryStore();
  private final ThreadHub hub = ThreadHub.builder(FAILS_AT_3).historyStore(store).build();
  private final TestConnection member = new TestConnection("a", "u");

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void reencodedForTheOffsetTheStoreAssigned() {
    hub.start();
    hub.register(member);
    hub.join(member.id(), ROOM, Since.none());
    store.othersAppend = 1; // predicted 1, stored at 2

    SendOutcome o = hub.send(ROOM, Message.of("x")).toCompletableFuture().join();

    assertThat(o.status()).isEqualTo(Status.DELIVERED);
    assertThat(o.offset()).hasValue(2);
    assertThat(member.frames).singleElement().satisfies(f -> assertThat(f.offset()).isEqualTo(2));
    assertThat(member.frames.get(0).text()).isEqualTo("room/2/x");
  }

  @Test
  void failedReencodingIsAnEncodingErrorAndSendsNoFrame() {
    hub.start();
    hub.register(member);
    hub.join(member.id(), ROOM, Since.none());
    store.othersAppend = 2; // predicted 1 (encodes), stored at 3 (does not)

    SendOutcome o = hub.send(ROOM, Message.of("x")).toCompletableFuture().join();

    assertThat(o.status()).isEqualTo(Status.ERROR);
    assertThat(o.errorKind()).contains(ErrorKind.ENCODING_FAILED);
    assertThat(o.reason()).contains("offset 3").contains("could not encode");
    assertThat(o.offset()).hasValue(3); // the store kept it: say so
    assertThat(o.deliveredCount()).isZero();
    assertThat(member.frames).isEmpty();
  }

  @Test
  void failedReencodingWithNobodyJoinedIsAnEncodingErrorToo() {
    hub.start();
    store.othersAppend = 2;

    SendOutcome o = hub.send(ROOM, Message.of("x")).toCompletableFuture().join();

    assertThat(o.errorKind()).contains(ErrorKind.ENCODING_FAILED);
    assertThat(o.offset()).hasValue(3);
  }
}
