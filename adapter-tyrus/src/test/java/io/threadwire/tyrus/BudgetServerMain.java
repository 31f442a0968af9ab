package io.threadwire.tyrus;

import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.ThreadId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Threadwire server with default settings for {@link OutboundBudgetTest}, run in its own small
 * JVM. It prints {@code port N}, then answers commands on standard input, one per line:
 *
 * <ul>
 *   <li>{@code flood K MILLIS}: K threads each send 4 KiB messages to thread {@code t-i} as fast as
 *       they can (asynchronously, never waiting for an outcome) for MILLIS; prints {@code flooded};
 *   <li>{@code stats}: prints {@code stats queued=Q budget=B sum=S slow=N budgetCuts=K
 *       connections=C tooBig=T oom=O}: the global count, the budget, the sum of every connection's
 *       own count (equal to the global one when no frame is shared, as here), cuts, open TCP
 *       connections and whether any thread saw an {@link OutOfMemoryError}.
 * </ul>
 */
final class BudgetServerMain {

  private static final AtomicBoolean OOM = new AtomicBoolean();

  private BudgetServerMain() {}

  public static void main(String[] args) throws Exception {
    TyrusThreadMessaging server =
        TyrusThreadMessaging.create(TyrusSettings.builder().port(0).build());
    server.start();
    System.out.println("port " + server.boundPort());
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String payload = "{\"pad\":\"" + "x".repeat(4096 - 10) + "\"}";
    for (String line; (line = in.readLine()) != null; ) {
      String[] w = line.trim().split(" ");
      try {
        switch (w[0]) {
          case "flood" -> {
            flood(server, Integer.parseInt(w[1]), Long.parseLong(w[2]), payload);
            System.out.println("flooded");
          }
          case "stats" -> {
            TyrusStats s = server.stats();
            System.out.println(
                "stats queued="
                    + s.outboundQueuedBytes()
                    + " budget="
                    + s.outboundBudgetBytes()
                    + " sum="
                    + sumOfQueues(server)
                    + " slow="
                    + s.slowConsumers()
                    + " budgetCuts="
                    + s.outboundBudgetCuts()
                    + " connections="
                    + s.openConnections()
                    + " tooBig="
                    + s.messagesTooBig()
                    + " oom="
                    + OOM.get());
          }
          case "quit" -> {
            server.close();
            return;
          }
          default -> System.out.println("unknown " + line);
        }
      } catch (OutOfMemoryError e) {
        OOM.set(true);
        System.out.println("oom");
      }
      System.out.flush();
    }
  }

  private static long sumOfQueues(TyrusThreadMessaging server) {
    long sum = 0;
    for (WsConnection c : server.context().connections.values()) {
      sum += c.queuedBytes();
    }
    return sum;
  }

  private static void flood(TyrusThreadMessaging server, int k, long millis, String payload)
      throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000;
    List<Thread> senders = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      ThreadId thread = ThreadId.of("t-" + i);
      Thread t =
          new Thread(
              () -> {
                try {
                  while (System.nanoTime() < end) {
                    server.send(thread, Message.of(payload), SendOptions.transientSend());
                  }
                } catch (OutOfMemoryError e) {
                  OOM.set(true);
                }
              });
      t.start();
      senders.add(t);
    }
    for (Thread t : senders) {
      t.join();
    }
  }
}
