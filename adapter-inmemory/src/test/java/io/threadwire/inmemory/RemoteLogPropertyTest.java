package io.threadwire.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.Message;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.hub.InMemoryThreadLog;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.Since;
import io.threadwire.testkit.log.RemoteLogSimulation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Randomised concurrency over the simulated remote log, whose answers and notifications come late,
 * on other threads, in shuffled order: concurrent senders, clients joining with {@code since} while
 * the sends run, some of them leaving again. Every connection sees each offset exactly once and in
 * order, from where it joined (its {@code since}, or the join's position) to the newest offset, or
 * to where it left; the outcomes' delivered counts plus the joins' handed-over counts are exactly
 * what the connections received.
 */
class RemoteLogPropertyTest {

  private static final ThreadId ROOM = ThreadId.of("room");

  private record Joiner(InMemoryClient client, JoinResult join, long from, boolean left) {}

  @Property(tries = 20)
  void everyOffsetOnceInOrderAndExactCounts(
      @ForAll @IntRange(min = 1, max = 3) int senders,
      @ForAll @IntRange(min = 5, max = 40) int perSender,
      @ForAll @IntRange(min = 1, max = 6) int joiners,
      @ForAll long seed)
      throws Exception {
    Random random = new Random(seed);
    RemoteLogSimulation log =
        RemoteLogSimulation.builder(InMemoryThreadLog.create(Clock.systemUTC()))
            .maxDelay(Duration.ofMillis(1))
            .seed(seed)
            .build();
    try (InMemoryThreadMessaging messaging =
        InMemoryThreadMessaging.builder().threadLog(log).build()) {
      messaging.start();
      InMemoryClient early = messaging.connect(UserId.of("early"));
      long epoch = early.join(ROOM, Since.none()).epoch();
      ExecutorService pool = Executors.newFixedThreadPool(senders + 1);
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<SendOutcome>> outcomes =
          Collections.synchronizedList(new ArrayList<>());
      List<Future<?>> work = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        int id = s;
        work.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < perSender; i++) {
                    outcomes.add(
                        messaging.send(ROOM, Message.of("s" + id + "-" + i)).toCompletableFuture());
                  }
                  return null;
                }));
      }
      List<Long> sinces = new ArrayList<>();
      List<Boolean> leaves = new ArrayList<>();
      for (int j = 0; j < joiners; j++) {
        int kind = random.nextInt(3);
        sinces.add(kind == 0 ? -1L : kind == 1 ? 0L : (long) random.nextInt(perSender));
        leaves.add(random.nextInt(3) == 0);
      }
      Future<List<Joiner>> joining =
          pool.submit(
              () -> {
                go.await();
                List<Joiner> result = new ArrayList<>();
                for (int j = 0; j < sinces.size(); j++) {
                  InMemoryClient c = messaging.connect(UserId.of("j" + j));
                  long since = sinces.get(j);
                  JoinResult r =
                      c.join(ROOM, since < 0 ? Since.none() : Since.position(epoch, since));
                  // A since beyond the newest offset is a lost history: all is replayed.
                  long from = since < 0 ? r.offset() : since > r.offset() ? 0 : since;
                  boolean leave = leaves.get(j);
                  if (leave) {
                    c.leave(ROOM);
                  }
                  result.add(new Joiner(c, r, from, leave));
                }
                return result;
              });
      go.countDown();
      for (Future<?> f : work) {
        f.get(60, TimeUnit.SECONDS);
      }
      List<Joiner> joined = joining.get(60, TimeUnit.SECONDS);
      long delivered = 0;
      long newest = 0;
      for (CompletableFuture<SendOutcome> f : outcomes) {
        SendOutcome o = f.get(60, TimeUnit.SECONDS);
        assertThat(o.isAccepted()).as("%s", o).isTrue();
        delivered += o.deliveredCount();
        newest = Math.max(newest, o.offset().orElse(0));
      }
      log.awaitQuiescence(Duration.ofSeconds(30));
      pool.shutdown();
      long total = senders * (long) perSender;
      assertThat(newest).isEqualTo(total);

      List<Long> all = LongStream.rangeClosed(1, total).boxed().toList();
      assertThat(offsets(early)).containsExactlyElementsOf(all);
      long received = offsets(early).size();
      long handedOver = 0;
      for (Joiner j : joined) {
        List<Long> got = offsets(j.client);
        received += got.size();
        handedOver += j.join.replayed();
        assertThat(j.join.recovered()).isEqualTo(sinces.get(joined.indexOf(j)) <= j.join.offset());
        List<Long> expected = LongStream.rangeClosed(j.from + 1, total).boxed().toList();
        if (j.left) {
          assertThat(got.size()).isLessThanOrEqualTo(expected.size());
          assertThat(got).isEqualTo(expected.subList(0, got.size()));
        } else {
          assertThat(got)
              .as("joined from %d: %s", j.from, j.join)
              .containsExactlyElementsOf(expected);
        }
      }
      assertThat(received).isEqualTo(delivered + handedOver);
    }
  }

  @Property(tries = 15)
  void underInjectedFailuresOutcomesStayHonest(
      @ForAll @IntRange(min = 1, max = 3) int senders,
      @ForAll @IntRange(min = 5, max = 30) int perSender,
      @ForAll @IntRange(min = 0, max = 8) int failures,
      @ForAll @IntRange(min = 0, max = 8) int lostAnswers,
      @ForAll long seed)
      throws Exception {
    RemoteLogSimulation log =
        RemoteLogSimulation.builder(InMemoryThreadLog.create(Clock.systemUTC()))
            .maxDelay(Duration.ofMillis(1))
            .seed(seed)
            .build();
    try (InMemoryThreadMessaging messaging =
        InMemoryThreadMessaging.builder().threadLog(log).build()) {
      messaging.start();
      InMemoryClient a = messaging.connect(UserId.of("a"));
      InMemoryClient b = messaging.connect(UserId.of("b"));
      a.join(ROOM, Since.none());
      b.join(ROOM, Since.none());
      log.failNextCalls(failures);
      log.loseNextAnswers(lostAnswers);
      ExecutorService pool = Executors.newFixedThreadPool(senders);
      List<Future<List<Sent>>> work = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        int id = s;
        work.add(
            pool.submit(
                () -> {
                  List<Sent> mine = new ArrayList<>();
                  for (int i = 0; i < perSender; i++) {
                    Message m = Message.builder("p").id("s" + id + "-" + i).build();
                    mine.add(new Sent(m, messaging.send(ROOM, m).toCompletableFuture()));
                  }
                  return mine;
                }));
      }
      List<Sent> sent = new ArrayList<>();
      for (Future<List<Sent>> f : work) {
        sent.addAll(f.get(60, TimeUnit.SECONDS));
      }
      pool.shutdown();
      log.awaitQuiescence(Duration.ofSeconds(30));
      // Every outcome first: an outcome completes after its writes, so once all have completed
      // the clients hold every frame any outcome counts.
      for (Sent x : sent) {
        x.outcome.get(60, TimeUnit.SECONDS);
      }
      List<String> idsA = a.received(ROOM).stream().map(r -> r.message().id()).toList();
      List<String> idsB = b.received(ROOM).stream().map(r -> r.message().id()).toList();
      long errors = 0;
      for (Sent x : sent) {
        SendOutcome o = x.outcome.get(60, TimeUnit.SECONDS);
        assertThat(o.errorKind()).as("%s", o).isNotEqualTo(Optional.of(ErrorKind.INTERNAL));
        if (o.isAccepted()) {
          // Confirmed by the log, so at the offset it says, and counted as received.
          assertThat(o.status()).isEqualTo(SendOutcome.Status.DELIVERED);
          assertThat(o.deliveredCount()).isEqualTo(2);
          assertThat(idsA).contains(x.message.id());
          assertThat(
                  a.received(ROOM).stream()
                      .filter(r -> r.message().id().equals(x.message.id()))
                      .map(ReceivedFrame::offset)
                      .toList())
              .containsExactly(o.offset().getAsLong());
        } else {
          errors++;
          assertThat(o.errorKind()).contains(ErrorKind.LOG_FAILED);
          assertThat(o.deliveredCount()).isZero();
        }
      }
      // Each injected failure fails one send; a lost answer fails one only if its entry had not
      // already reached the members (then the delivery itself confirmed the append).
      assertThat(errors)
          .isBetween(
              (long) Math.min(failures, sent.size()),
              (long) Math.min(failures + lostAnswers, sent.size()));
      // Whatever the answers said, both members saw the log's entries once each, in order.
      List<Long> offA = offsets(a);
      assertThat(offA).isSorted().doesNotHaveDuplicates();
      assertThat(offsets(b)).isEqualTo(offA);
      assertThat(idsB).isEqualTo(idsA);
      if (!offA.isEmpty()) {
        assertThat(offA)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, offA.size()).boxed().toList());
      }
    }
  }

  private record Sent(Message message, CompletableFuture<SendOutcome> outcome) {}

  private static List<Long> offsets(InMemoryClient c) {
    return c.received(ROOM).stream().map(ReceivedFrame::offset).toList();
  }
}
