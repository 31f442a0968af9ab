package io.threadwire.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.Message;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.spi.Since;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Randomised concurrency: concurrent senders over several threads, random memberships and a client
 * that keeps joining and leaving. Per connection and thread, offsets arrive strictly increasing;
 * stable members get every offset exactly once; the delivered counts of all outcomes add up to
 * exactly what the connections received.
 */
class OrderingAndAccountingTest {

  @Property(tries = 25)
  void orderAndExactAccounting(
      @ForAll @IntRange(min = 1, max = 3) int threadCount,
      @ForAll @IntRange(min = 1, max = 6) int clientCount,
      @ForAll @IntRange(min = 2, max = 4) int senders,
      @ForAll @IntRange(min = 5, max = 80) int perSender,
      @ForAll long seed)
      throws Exception {
    Random random = new Random(seed);
    try (InMemoryThreadMessaging messaging = InMemoryThreadMessaging.create()) {
      messaging.start();
      List<ThreadId> threads = new ArrayList<>();
      for (int t = 0; t < threadCount; t++) {
        threads.add(ThreadId.of("t" + t));
      }
      Map<InMemoryClient, List<ThreadId>> stable = new HashMap<>();
      for (int c = 0; c < clientCount; c++) {
        InMemoryClient client = messaging.connect(UserId.of("u" + random.nextInt(3)));
        List<ThreadId> joined = new ArrayList<>();
        for (ThreadId t : threads) {
          if (random.nextInt(10) < 6) {
            client.join(t);
            joined.add(t);
          }
        }
        stable.put(client, joined);
      }
      InMemoryClient churn = messaging.connect(UserId.of("churn"));
      AtomicBoolean sending = new AtomicBoolean(true);
      ExecutorService pool = Executors.newFixedThreadPool(senders + 1);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<CompletableFuture<SendOutcome>>>> work = new ArrayList<>();
      Map<ThreadId, Integer> sentPerThread = new HashMap<>();
      List<List<ThreadId>> plans = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        List<ThreadId> plan = new ArrayList<>();
        for (int i = 0; i < perSender; i++) {
          ThreadId t = threads.get(random.nextInt(threadCount));
          plan.add(t);
          sentPerThread.merge(t, 1, Integer::sum);
        }
        plans.add(plan);
      }
      Future<?> churner =
          pool.submit(
              () -> {
                go.await();
                int i = 0;
                while (sending.get()) {
                  ThreadId t = threads.get(i++ % threadCount);
                  churn.join(t);
                  churn.leave(t);
                }
                return null;
              });
      for (List<ThreadId> plan : plans) {
        work.add(
            pool.submit(
                () -> {
                  go.await();
                  List<CompletableFuture<SendOutcome>> mine = new ArrayList<>();
                  for (ThreadId t : plan) {
                    mine.add(messaging.send(t, Message.of("x")).toCompletableFuture());
                  }
                  return mine;
                }));
      }
      go.countDown();
      long delivered = 0;
      for (Future<List<CompletableFuture<SendOutcome>>> f : work) {
        for (CompletableFuture<SendOutcome> o : f.get(60, TimeUnit.SECONDS)) {
          SendOutcome outcome = o.get(60, TimeUnit.SECONDS);
          assertThat(outcome.isAccepted()).as(outcome.toString()).isTrue();
          assertThat(outcome.failedCount()).isZero();
          delivered += outcome.deliveredCount();
        }
      }
      sending.set(false);
      churner.get(60, TimeUnit.SECONDS);
      pool.shutdown();

      long received = churn.received().size();
      assertStrictlyIncreasingPerThread(churn, threads);
      for (Map.Entry<InMemoryClient, List<ThreadId>> e : stable.entrySet()) {
        InMemoryClient client = e.getKey();
        received += client.received().size();
        for (ThreadId t : threads) {
          List<Long> offsets = offsets(client, t);
          if (e.getValue().contains(t)) {
            List<Long> expected = new ArrayList<>();
            for (long o = 1; o <= sentPerThread.getOrDefault(t, 0); o++) {
              expected.add(o);
            }
            assertThat(offsets).as("%s in %s", client.id(), t).isEqualTo(expected);
          } else {
            assertThat(offsets).as("%s never joined %s", client.id(), t).isEmpty();
          }
        }
      }
      assertThat(delivered).as("delivered counts equal frames received").isEqualTo(received);
    }
  }

  /**
   * Recovery under concurrent senders: a client that keeps leaving and rejoining with {@code since}
   * = the last offset it saw ends up with every offset of the thread exactly once, in order, so
   * replayed and live messages neither overlap nor leave a gap.
   */
  @Property(tries = 10)
  void rejoiningWithSinceWhileSendingSeesEveryOffsetOnce(
      @ForAll @IntRange(min = 2, max = 4) int senders,
      @ForAll @IntRange(min = 20, max = 150) int perSender)
      throws Exception {
    ThreadId room = ThreadId.of("room");
    try (InMemoryThreadMessaging messaging = InMemoryThreadMessaging.create()) {
      messaging.start();
      InMemoryClient rejoiner = messaging.connect(UserId.of("rejoiner"));
      AtomicBoolean sending = new AtomicBoolean(true);
      ExecutorService pool = Executors.newFixedThreadPool(senders + 1);
      CountDownLatch go = new CountDownLatch(1);
      int rejoins;
      try {
        Future<Integer> churn =
            pool.submit(
                () -> {
                  go.await();
                  int n = 0;
                  while (sending.get()) {
                    rejoiner.join(room, resumeAt(rejoiner, room));
                    rejoiner.leave(room);
                    n++;
                  }
                  return n;
                });
        List<Future<?>> work = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
          work.add(
              pool.submit(
                  () -> {
                    go.await();
                    for (int i = 0; i < perSender; i++) {
                      SendOutcome o =
                          messaging.send(room, Message.of("x")).toCompletableFuture().join();
                      assertThat(o.isAccepted()).as(o.toString()).isTrue();
                    }
                    return null;
                  }));
        }
        go.countDown();
        for (Future<?> f : work) {
          f.get(60, TimeUnit.SECONDS);
        }
        sending.set(false);
        rejoins = churn.get(60, TimeUnit.SECONDS);
      } finally {
        pool.shutdown();
      }
      rejoiner.join(room, resumeAt(rejoiner, room));

      List<Long> expected = new ArrayList<>();
      for (long o = 1; o <= (long) senders * perSender; o++) {
        expected.add(o);
      }
      assertThat(offsets(rejoiner, room)).as("after %d rejoins", rejoins).isEqualTo(expected);
    }
  }

  /** Where {@code client} resumes: after the last frame it saw, of that frame's epoch. */
  private static Since resumeAt(InMemoryClient client, ThreadId t) {
    List<ReceivedFrame> frames = client.received(t);
    return frames.isEmpty()
        ? Since.offset(0)
        : Since.position(frames.get(frames.size() - 1).epoch(), lastOffset(client, t));
  }

  private static long lastOffset(InMemoryClient client, ThreadId t) {
    List<ReceivedFrame> frames = client.received(t);
    return frames.isEmpty() ? 0 : frames.get(frames.size() - 1).offset();
  }

  private static List<Long> offsets(InMemoryClient client, ThreadId t) {
    return client.received(t).stream().map(ReceivedFrame::offset).toList();
  }

  private static void assertStrictlyIncreasingPerThread(InMemoryClient c, List<ThreadId> ts) {
    for (ThreadId t : ts) {
      List<Long> offsets = offsets(c, t);
      for (int i = 1; i < offsets.size(); i++) {
        assertThat(offsets.get(i)).isGreaterThan(offsets.get(i - 1));
      }
    }
  }
}
