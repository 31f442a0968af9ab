package io.threadwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.SendOutcome.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SendOutcomeTest {

  @Test
  void onlyErrorIsNotAccepted() {
    assertThat(SendOutcome.delivered(1, List.of(), 3).isAccepted()).isTrue();
    assertThat(SendOutcome.queued(3, List.of()).isAccepted()).isTrue();
    assertThat(SendOutcome.noRecipients().isAccepted()).isTrue();
    SendOutcome error = SendOutcome.error(ErrorKind.CLOSED, "closed", Optional.empty());
    assertThat(error.isAccepted()).isFalse();
    assertThat(error.errorKind()).contains(ErrorKind.CLOSED);
  }

  @Test
  void carriesTheFacts() {
    ConnectionId bad = ConnectionId.of("c-9");
    SendOutcome o = SendOutcome.delivered(2, List.of(bad), 7, 1);
    assertThat(o.status()).isEqualTo(Status.DELIVERED);
    assertThat(o.deliveredCount()).isEqualTo(2);
    assertThat(o.failedCount()).isEqualTo(1);
    assertThat(o.unconfirmedCount()).isEqualTo(1);
    assertThat(o.failedConnections()).containsExactly(bad);
    assertThat(o.offset()).hasValue(7);
    assertThat(o.errorKind()).isEmpty();
    assertThat(o.reason()).isEqualTo("delivered to 2 of 4 connection(s), 1 unconfirmed");
  }

  @Test
  void queuedReasonHoldsWhetherOrNotAnyoneWasEverConnected() {
    assertThat(SendOutcome.queued(3, List.of()).reason())
        .isEqualTo("no live connections; kept in history at offset 3");
    assertThat(SendOutcome.queued(3, List.of(ConnectionId.of("c-1"))).reason())
        .isEqualTo("every write failed; kept in history at offset 3");
  }

  @Test
  void isImmutable() {
    List<ConnectionId> failed = new ArrayList<>(List.of(ConnectionId.of("a")));
    SendOutcome o = SendOutcome.queued(1, failed);
    failed.add(ConnectionId.of("b"));
    assertThat(o.failedConnections()).hasSize(1);
    assertThatThrownBy(() -> o.failedConnections().add(ConnectionId.of("c")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void errorKeepsCauseAndReason() {
    IOException cause = new IOException("boom");
    SendOutcome o =
        SendOutcome.error(ErrorKind.TRANSPORT_FAILURE, "every write failed", Optional.of(cause));
    assertThat(o.cause()).containsSame(cause);
    assertThat(o.reason()).isEqualTo("every write failed");
    assertThat(o.offset()).isEmpty();
    assertThat(o.toString()).contains("ERROR/TRANSPORT_FAILURE").contains("boom");
  }

  @Test
  void duplicateKeepsStatusAndSaysSo() {
    SendOutcome d = SendOutcome.queued(4, List.of()).asDuplicate();
    assertThat(d.isDuplicate()).isTrue();
    assertThat(d.status()).isEqualTo(Status.QUEUED);
    assertThat(d.offset()).hasValue(4);
    assertThat(d.reason()).startsWith("duplicate");
  }

  @Test
  void duplicateOfADeliveredSendDeliveredNothingNow() {
    SendOutcome original = SendOutcome.delivered(3, List.of(ConnectionId.of("c-1")), 9, 2);
    SendOutcome d = original.asDuplicate();
    assertThat(d.isDuplicate()).isTrue();
    assertThat(d.status()).isEqualTo(Status.QUEUED);
    assertThat(d.isAccepted()).isTrue();
    assertThat(d.deliveredCount()).isZero();
    assertThat(d.failedCount()).isZero();
    assertThat(d.unconfirmedCount()).isZero();
    assertThat(d.offset()).hasValue(9);
    assertThat(d.reason()).contains("nothing delivered now").contains("offset 9");
    SendOutcome err =
        SendOutcome.error(ErrorKind.TIMEOUT, "t", Optional.empty(), List.of(), 1, 0).asDuplicate();
    assertThat(err.errorKind()).contains(ErrorKind.TIMEOUT);
    assertThat(err.unconfirmedCount()).isZero();
  }

  @Test
  void unconfirmedIsItsOwnCount() {
    SendOutcome q = SendOutcome.queued(5, List.of(ConnectionId.of("c-2")), 3);
    assertThat(q.status()).isEqualTo(Status.QUEUED);
    assertThat(q.failedCount()).isEqualTo(1);
    assertThat(q.unconfirmedCount()).isEqualTo(3);
    assertThat(q.reason()).contains("3 unconfirmed");
    assertThat(q.toString()).contains("unconfirmed=3");
    assertThatThrownBy(() -> SendOutcome.queued(5, List.of(), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsImpossibleFacts() {
    assertThatThrownBy(() -> SendOutcome.delivered(0, List.of(), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SendOutcome.queued(0, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
