package io.threadwire.inmemory;

import static io.threadwire.testkit.SendOutcomeAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.spi.Since;
import org.junit.jupiter.api.Test;

class InMemoryThreadMessagingTest {

  private static final ThreadId RUN = ThreadId.of("run-1");

  @Test
  void deliversSynchronouslyByDefault() {
    try (InMemoryThreadMessaging messaging = InMemoryThreadMessaging.create()) {
      messaging.start();
      InMemoryClient browser = messaging.connect(UserId.of("ada"));
      browser.join(RUN);
      assertThat(messaging.sendAndWait(RUN, Message.of("hi"), SendOptions.defaults()))
          .isDelivered()
          .hasDeliveredCount(1);
      assertThat(browser.received())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.offset()).isEqualTo(1);
                assertThat(f.text()).isEqualTo("hi");
              });
    }
  }

  @Test
  void heldWritesCompleteWhenReleased() {
    try (InMemoryThreadMessaging messaging = InMemoryThreadMessaging.create()) {
      messaging.start();
      InMemoryClient slow = messaging.connect(UserId.of("slow"), Fault.NEVER_COMPLETE);
      slow.join(RUN);
      var pending = messaging.send(RUN, Message.of("x")).toCompletableFuture();
      assertThat(pending.isDone()).isFalse();
      assertThat(slow.pendingWrites()).isEqualTo(1);
      slow.completePendingWrites();
      assertThat(pending.join()).isDelivered();
      assertThat(slow.received()).hasSize(1);
    }
  }

  @Test
  void aClosedClientCannotJoin() {
    try (InMemoryThreadMessaging messaging = InMemoryThreadMessaging.create()) {
      messaging.start();
      InMemoryClient c = messaging.connect(UserId.of("c"));
      c.close();
      assertThat(c.isOpen()).isFalse();
      assertThatThrownBy(() -> c.join(RUN, Since.none())).hasMessageContaining("closed");
    }
  }

  @Test
  void closedClientsAreForgottenSoManyConnectionsDoNotAccumulate() {
    InMemoryThreadMessaging messaging = InMemoryThreadMessaging.create();
    messaging.start();
    InMemoryClient kept = messaging.connect(UserId.of("kept"));
    for (int i = 0; i < 1_000; i++) {
      try (InMemoryClient c = messaging.connect(UserId.of("u" + i))) {
        c.join(RUN);
      }
    }
    assertThat(messaging.trackedClients()).isEqualTo(1);
    assertThat(messaging.hub().stats().connections()).isEqualTo(1);
    messaging.close();
    assertThat(kept.isOpen()).isFalse();
    assertThat(messaging.trackedClients()).isZero();
  }

  @Test
  void recordsJoinAcknowledgements() {
    try (InMemoryThreadMessaging messaging = InMemoryThreadMessaging.create()) {
      messaging.start();
      messaging.sendAndWait(RUN, Message.of("1"), SendOptions.defaults());
      InMemoryClient c = messaging.connect(UserId.of("c"));
      c.join(RUN, Since.offset(0));
      assertThat(c.joins()).singleElement().satisfies(j -> assertThat(j.replayed()).isEqualTo(1));
    }
  }
}
