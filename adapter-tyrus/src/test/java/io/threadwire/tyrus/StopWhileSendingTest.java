package io.threadwire.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;

@Tag("socket")
@DisplayName("Stopping the server closes every client with 1001, also those still sending")
class StopWhileSendingTest {

  @RepeatedTest(3)
  @DisplayName("clients sending as fast as they can when the server stops all read 1001")
  void sendingClientsGet1001() throws Exception {
    TyrusThreadMessaging server =
        TyrusThreadMessaging.create(
            TyrusSettings.builder()
                .port(0)
                .closeGrace(Duration.ofSeconds(2))
                .maxQueuedFrames(1_000_000)
                .maxQueuedBytes(1L << 30)
                .rateLimit(
                    new TyrusSettings.RateLimit(1_000_000, Duration.ofSeconds(1), 1_000_000, 100))
                .build());
    server.start();
    int n = 12;
    List<RawClient> clients = new ArrayList<>();
    List<Thread> senders = new ArrayList<>();
    CountDownLatch sending = new CountDownLatch(n);
    // Application pings: the server parses and answers each, so it reads more slowly than the
    // client writes and unread bytes wait in its socket when it stops (unsolicited pongs are
    // read too fast to show the reset). Queues are unbounded here so that no slow-consumer cut
    // muddles the codes.
    byte[] ping = RawClient.encode(true, 0x1, "{\"type\":\"ping\"}".getBytes(), true);
    for (int i = 0; i < n; i++) {
      RawClient c = RawClient.open(server.boundPort());
      c.awaitText("\"welcome\"");
      clients.add(c);
      Thread t =
          new Thread(
              () -> {
                sending.countDown();
                try {
                  while (true) {
                    c.write(ping);
                  }
                } catch (IOException e) {
                  // the server closed: the sender stops
                }
              });
      t.setDaemon(true);
      t.start();
      senders.add(t);
    }
    assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<Integer>> closes = new ArrayList<>();
    for (RawClient c : clients) {
      CompletableFuture<Integer> close = new CompletableFuture<>();
      Thread reader =
          new Thread(
              () -> {
                try {
                  close.complete(c.awaitClose());
                } catch (IOException e) {
                  close.complete(-2);
                }
              });
      reader.setDaemon(true);
      reader.start();
      closes.add(close);
    }
    server.close();
    List<Integer> codes = new ArrayList<>();
    for (CompletableFuture<Integer> f : closes) {
      codes.add(f.get(30, TimeUnit.SECONDS));
    }
    for (RawClient c : clients) {
      c.close();
    }
    for (Thread t : senders) {
      t.join(10_000);
    }
    assertThat(codes).as("every client read a 1001 close frame").containsOnly(1001);
  }
}
