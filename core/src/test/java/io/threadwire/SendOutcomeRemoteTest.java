package io.threadwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.SendOutcome.Remote;
import io.threadwire.SendOutcome.Status;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A local outcome combined with other nodes' reports")
class SendOutcomeRemoteTest {

  private static final ConnectionId GONE = ConnectionId.of("gone");

  @Test
  @DisplayName("stored with nobody here, delivered elsewhere: DELIVERED with the cluster's totals")
  void deliveredElsewhere() {
    SendOutcome o = SendOutcome.queued(7, List.of()).withRemote(Remote.of(1, 1, 3, 0, 0));

    assertThat(o.status()).isEqualTo(Status.DELIVERED);
    assertThat(o.deliveredCount()).isEqualTo(3);
    assertThat(o.offset()).hasValue(7);
    assertThat(o.remote()).contains(Remote.of(1, 1, 3, 0, 0));
    assertThat(o.reason()).contains("1 of 1 other nodes reported");
  }

  @Test
  @DisplayName("the three counts are summed; only this node's failed connections are named")
  void countsAreSummed() {
    SendOutcome local = SendOutcome.delivered(2, List.of(GONE), 3, 1);

    SendOutcome o = local.withRemote(Remote.of(2, 2, 1, 4, 2));

    assertThat(o.deliveredCount()).isEqualTo(3);
    assertThat(o.failedCount()).isEqualTo(5);
    assertThat(o.failedConnections()).containsExactly(GONE);
    assertThat(o.unconfirmedCount()).isEqualTo(3);
    assertThat(o.reason()).contains("delivered to 3 of 11 connection(s)");
  }

  @Test
  @DisplayName("stored, no node confirmed in time: QUEUED with the known unconfirmed count")
  void silentNodesStored() {
    SendOutcome o = SendOutcome.queued(4, List.of(), 2).withRemote(Remote.of(1, 0, 0, 0, 0));

    assertThat(o.status()).isEqualTo(Status.QUEUED);
    assertThat(o.unconfirmedCount()).isEqualTo(2);
    assertThat(o.remote().orElseThrow().isComplete()).isFalse();
  }

  @Test
  @DisplayName(
      "stored, QUEUED: the reason says every write failed when another node's did, and never 'no"
          + " live connections' while a node that received it is silent")
  void queuedReasonCountsTheCluster() {
    SendOutcome failedElsewhere =
        SendOutcome.queued(4, List.of()).withRemote(Remote.of(1, 1, 0, 1, 0));
    SendOutcome silent = SendOutcome.queued(4, List.of()).withRemote(Remote.of(1, 0, 0, 0, 0));
    SendOutcome nobody = SendOutcome.queued(4, List.of()).withRemote(Remote.of(1, 1, 0, 0, 0));

    assertThat(failedElsewhere.reason())
        .startsWith("every write failed; kept in history at offset 4")
        .doesNotContain("no live connections");
    assertThat(silent.reason())
        .doesNotContain("no live connections")
        .contains("kept in history at offset 4")
        .contains("0 of 1 other nodes reported");
    assertThat(nobody.reason()).startsWith("no live connections; kept in history at offset 4");
  }

  @Test
  @DisplayName("transient: a silent node is a TIMEOUT, all failed a TRANSPORT_FAILURE, else none")
  void transientRules() {
    SendOutcome none = SendOutcome.noRecipients();

    assertThat(none.withRemote(Remote.of(1, 0, 0, 0, 0)).errorKind()).contains(ErrorKind.TIMEOUT);
    assertThat(none.withRemote(Remote.of(1, 1, 0, 0, 1)).errorKind()).contains(ErrorKind.TIMEOUT);
    SendOutcome failed = none.withRemote(Remote.of(1, 1, 0, 2, 0));
    assertThat(failed.errorKind()).contains(ErrorKind.TRANSPORT_FAILURE);
    assertThat(failed.failedCount()).isEqualTo(2);
    SendOutcome nobody = none.withRemote(Remote.of(1, 1, 0, 0, 0));
    assertThat(nobody.status()).isEqualTo(Status.NO_RECIPIENTS);
    assertThat(nobody.remote()).isPresent();
    SendOutcome timedOut =
        SendOutcome.error(ErrorKind.TIMEOUT, "x", Optional.empty(), List.of(), 1, 0);
    assertThat(timedOut.withRemote(Remote.of(1, 1, 1, 0, 0)).status()).isEqualTo(Status.DELIVERED);
  }

  @Test
  @DisplayName("no other node received it: this node's outcome as it was, with remote 0/0")
  void noOtherNode() {
    SendOutcome local =
        SendOutcome.error(ErrorKind.TIMEOUT, "local reason", Optional.empty(), List.of(), 2, 0);

    SendOutcome o = local.withRemote(Remote.of(0, 0, 0, 0, 0));

    assertThat(o.errorKind()).contains(ErrorKind.TIMEOUT);
    assertThat(o.reason()).isEqualTo("local reason");
    assertThat(o.unconfirmedCount()).isEqualTo(2);
    assertThat(o.remote().orElseThrow().isComplete()).isTrue();
  }

  @Test
  @DisplayName("a duplicate stays a duplicate with every count 0, and its copy drops the remote")
  void duplicates() {
    SendOutcome cluster = SendOutcome.queued(2, List.of(), 1).withRemote(Remote.of(1, 1, 3, 1, 2));

    SendOutcome dup = cluster.asDuplicate();

    assertThat(dup.deliveredCount()).isZero();
    assertThat(dup.failedCount()).isZero();
    assertThat(dup.unconfirmedCount()).isZero();
    assertThat(dup.remote()).isEmpty();
    assertThat(dup.withRemote(Remote.of(1, 1, 5, 0, 0))).isSameAs(dup);
  }

  @Test
  @DisplayName("the remote part is validated and takes part in equality")
  void valueSemantics() {
    assertThatThrownBy(() -> Remote.of(1, 2, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Remote.of(1, 1, -1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    SendOutcome q = SendOutcome.queued(1, List.of());
    assertThat(q.withRemote(Remote.of(1, 1, 0, 0, 0)))
        .isEqualTo(q.withRemote(Remote.of(1, 1, 0, 0, 0)))
        .isNotEqualTo(q.withRemote(Remote.of(1, 0, 0, 0, 0)));
    assertThat(q.remote()).isEmpty();
  }
}
