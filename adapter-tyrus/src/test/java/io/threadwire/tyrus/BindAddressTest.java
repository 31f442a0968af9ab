package io.threadwire.tyrus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The configured host is bound exactly. On Linux the whole of 127.0.0.0/8 reaches the loopback
 * interface, so 127.0.0.2 is a second local address that a wildcard bind would answer on; the test
 * first proves that 127.0.0.2 is usable here, with a server bound to it.
 */
@Tag("socket")
@DisplayName("The bind address is honoured")
class BindAddressTest {

  private static void connect(String host, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 5000);
    }
  }

  /** Returns a non-loopback IPv4 address of a local interface that is up, if there is one. */
  private static Optional<InetAddress> networkAddress() throws SocketException {
    return NetworkInterface.networkInterfaces()
        .filter(BindAddressTest::upAndNotLoopback)
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .findFirst();
  }

  private static boolean upAndNotLoopback(NetworkInterface ni) {
    try {
      return ni.isUp() && !ni.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }

  @Test
  @DisplayName("a server bound to 127.0.0.1 is not reachable on 127.0.0.2")
  void loopbackOnly() throws Exception {
    // 127.0.0.2 is a usable local address here (as on Linux): a listener bound to it answers.
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
      connect("127.0.0.2", probe.getLocalPort());
    }
    try (TyrusThreadMessaging m =
        TyrusThreadMessaging.create(TyrusSettings.builder().host("127.0.0.1").port(0).build())) {
      m.start();
      int port = m.boundPort();
      connect("127.0.0.1", port);
      assertThatThrownBy(() -> connect("127.0.0.2", port)).isInstanceOf(ConnectException.class);
      try (TestClient c = TestClient.connect(m.uri(), Map.of())) {
        assertThat(c.connectionId()).isNotBlank();
      }
    }
  }

  @Test
  @DisplayName("a server bound to 127.0.0.1 is not reachable on this machine's network address")
  void notOnTheNetworkAddress() throws Exception {
    // tyrus#593 is about exactly this: a wildcard bind exposes a loopback server to the network.
    // Nothing is bound to the network address here; the local stack refuses the connection.
    InetAddress network = networkAddress().orElse(null);
    Assumptions.assumeTrue(network != null, "this machine has no non-loopback IPv4 address");
    try (TyrusThreadMessaging m =
        TyrusThreadMessaging.create(TyrusSettings.builder().host("127.0.0.1").port(0).build())) {
      m.start();
      int port = m.boundPort();
      connect("127.0.0.1", port);
      assertThatThrownBy(() -> connect(network.getHostAddress(), port))
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  @DisplayName("a server bound to 127.0.0.2 answers there and not on 127.0.0.1")
  void otherLoopbackAddress() throws Exception {
    try (TyrusThreadMessaging m =
        TyrusThreadMessaging.create(TyrusSettings.builder().host("127.0.0.2").port(0).build())) {
      m.start();
      int port = m.boundPort();
      connect("127.0.0.2", port);
      assertThatThrownBy(() -> connect("127.0.0.1", port)).isInstanceOf(ConnectException.class);
      assertThat(m.uri().getHost()).isEqualTo("127.0.0.2");
    }
  }

  @Test
  @DisplayName("the port is released on close")
  void portReleased() throws Exception {
    int port;
    try (TyrusThreadMessaging m =
        TyrusThreadMessaging.create(TyrusSettings.builder().port(0).build())) {
      m.start();
      port = m.boundPort();
    }
    assertThatThrownBy(() -> connect("127.0.0.1", port)).isInstanceOf(ConnectException.class);
  }

  @Test
  @DisplayName("a port already in use fails start with a clear exception")
  void portInUse() throws Exception {
    try (TyrusThreadMessaging first =
        TyrusThreadMessaging.create(TyrusSettings.builder().port(0).build())) {
      first.start();
      TyrusThreadMessaging second =
          TyrusThreadMessaging.create(TyrusSettings.builder().port(first.boundPort()).build());
      assertThatThrownBy(second::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("127.0.0.1:" + first.boundPort())
          .hasMessageContaining("BindException")
          .hasMessageContaining("in use");
      assertThat(second.startFailure())
          .hasValueSatisfying(
              f -> assertThat(f).hasMessageContaining("127.0.0.1:" + first.boundPort()));
      assertThat(first.startFailure()).isEmpty();
      assertThat(second.state()).isEqualTo(io.threadwire.ThreadMessaging.State.CLOSED);
      assertThat(
              second
                  .send(io.threadwire.ThreadId.of("t"), io.threadwire.Message.of("{}"))
                  .toCompletableFuture()
                  .join()
                  .errorKind())
          .contains(io.threadwire.SendOutcome.ErrorKind.CLOSED);
      second.close();
    }
  }
}
