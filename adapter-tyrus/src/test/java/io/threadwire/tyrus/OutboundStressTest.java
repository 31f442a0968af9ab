package io.threadwire.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.ConnectionId;
import io.threadwire.Message;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.TransportConnection;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Transport;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.asyncqueue.AsyncQueueEnabledTransport;
import org.glassfish.grizzly.asyncqueue.AsyncQueueIO;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.asyncqueue.MessageCloner;
import org.glassfish.grizzly.asyncqueue.WritableMessage;
import org.glassfish.grizzly.memory.MemoryManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Several senders fan frames out to a few connections while fake transports complete writes in the
 * write call or later on other threads, fail some of them, and connections are closed at random
 * moments from several threads: by a sender, by a full queue or a failed write (as {@code cutAsync}
 * does, on another thread) and finally by the test. The outcome is checked, never the timing: every
 * frame answered exactly once, none in the offering thread unless refused there, frames of one
 * sender written in offer order, at most one write in flight per connection, no write handed to a
 * transport after a close returned, nothing delivered that was not written.
 */
@DisplayName("The outbound queue under concurrent offers, completions and closes")
class OutboundStressTest {

  private static final int CONNECTIONS = 3;
  private static final int SENDERS = 3;
  private static final int FRAMES = 200;
  private static final int MIN_ROUNDS = 20;
  private static final int MAX_ROUNDS = 400;
  private static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(2_500);
  private static final ThreadLocal<Boolean> OFFERING = ThreadLocal.withInitial(() -> false);
  private static final ThreadId THREAD = ThreadId.of("stress");

  private final ScheduledThreadPoolExecutor io = new ScheduledThreadPoolExecutor(2, daemon("io"));
  private final Flusher[] flushers = {new Flusher(io), new Flusher(io)};
  private final ExecutorService others = Executors.newFixedThreadPool(2, daemon("transport"));
  private final Queue<String> violations = new ConcurrentLinkedQueue<>();

  @Test
  @DisplayName(
      "every frame is answered once, in order, with one write in flight and none after close")
  void exactlyOnceInOrder() throws Exception {
    List<Round> rounds = new ArrayList<>();
    long start = System.nanoTime();
    while (rounds.size() < MIN_ROUNDS
        || rounds.size() < MAX_ROUNDS && System.nanoTime() - start < BUDGET_NANOS) {
      Round r = new Round(rounds.size());
      rounds.add(r);
      r.run();
      assertThat(r.answered.await(10, TimeUnit.SECONDS))
          .as("round %d: every frame answered (%d missing)", r.n, r.answered.getCount())
          .isTrue();
      r.checkWire();
      assertThat(violations).isEmpty();
    }
    others.shutdown();
    io.shutdown();
    assertThat(others.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(io.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    long delivered = 0;
    long failed = 0;
    for (Round r : rounds) {
      r.checkExactlyOnce();
      for (int i = 0; i < r.delivered.length(); i++) {
        delivered += r.delivered.get(i);
        failed += r.failed.get(i);
      }
    }
    assertThat(violations).isEmpty();
    assertThat(delivered).as("frames delivered").isPositive();
    assertThat(failed).as("frames failed").isPositive();
    if (Boolean.getBoolean("stress.stats")) {
      System.out.printf("rounds=%d delivered=%d failed=%d%n", rounds.size(), delivered, failed);
    }
  }

  /** One run: fresh connections, senders racing each other, the transports and the closers. */
  private final class Round {
    final int n;
    final Conn[] conns = new Conn[CONNECTIONS];
    final Frame[][] frames = new Frame[SENDERS][FRAMES];
    final AtomicIntegerArray delivered = new AtomicIntegerArray(CONNECTIONS * SENDERS * FRAMES);
    final AtomicIntegerArray failed = new AtomicIntegerArray(CONNECTIONS * SENDERS * FRAMES);
    final AtomicIntegerArray inOffer = new AtomicIntegerArray(CONNECTIONS * SENDERS * FRAMES);
    final CountDownLatch answered = new CountDownLatch(CONNECTIONS * SENDERS * FRAMES);

    Round(int n) {
      this.n = n;
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (int k = 0; k < CONNECTIONS; k++) {
        int maxFrames = random.nextInt(4) != 0 ? 1_000 : 2 + random.nextInt(30);
        long maxBytes = random.nextInt(8) == 0 ? 200 + random.nextInt(2_000) : Long.MAX_VALUE;
        conns[k] =
            new Conn(
                k,
                random.nextBoolean(),
                random.nextBoolean(),
                maxFrames,
                maxBytes,
                flushers[k % 2]);
      }
      for (int s = 0; s < SENDERS; s++) {
        for (int i = 0; i < FRAMES; i++) {
          Message m = Message.of("{}");
          frames[s][i] = new Frame(THREAD, 1, i + 1, m, s + ":" + i + ":" + "x".repeat(i % 50));
        }
      }
    }

    int index(int k, int s, int i) {
      return (k * SENDERS + s) * FRAMES + i;
    }

    void run() throws InterruptedException {
      CountDownLatch go = new CountDownLatch(1);
      Thread[] senders = new Thread[SENDERS];
      for (int s = 0; s < SENDERS; s++) {
        int sender = s;
        senders[s] =
            new Thread(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                  send(sender);
                },
                "sender-" + s);
        senders[s].start();
      }
      go.countDown();
      for (Thread t : senders) {
        t.join();
      }
      if (ThreadLocalRandom.current().nextInt(4) == 0) {
        for (Conn c : conns) {
          c.close(new IOException("connection closed")); // what cleanUp does, at the latest
        }
      } // else what is still queued goes out: nothing waits for a close to be answered
    }

    void send(int s) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      int closeAt = random.nextInt(FRAMES * 4); // a quarter of the time, this sender closes one
      for (int i = 0; i < FRAMES; i++) {
        for (int k = 0; k < CONNECTIONS; k++) {
          int idx = index(k, s, i);
          Outbound.Offer result;
          OFFERING.set(true);
          try {
            result = conns[k].out.offer(frames[s][i], new Answer(this, idx));
          } finally {
            OFFERING.set(false);
          }
          if (result == Outbound.Offer.QUEUED && inOffer.get(idx) != 0) {
            violations.add("frame " + idx + " queued but answered in the offering thread");
          }
          if (result != Outbound.Offer.QUEUED && inOffer.get(idx) == 0) {
            violations.add("frame " + idx + " refused (" + result + ") but not answered at once");
          }
          if (result == Outbound.Offer.FULL) {
            conns[k].cutAsync(new IOException("queue full"));
          }
        }
        if (i == closeAt) {
          conns[random.nextInt(CONNECTIONS)].close(new IOException("closed by a sender"));
        }
      }
    }

    void checkWire() {
      for (Conn c : conns) {
        int[] last = new int[SENDERS];
        java.util.Arrays.fill(last, -1);
        boolean[] seen = new boolean[SENDERS * FRAMES];
        synchronized (c.wire) {
          for (String text : c.wire) {
            String[] parts = text.split(":", 3);
            int s = Integer.parseInt(parts[0]);
            int i = Integer.parseInt(parts[1]);
            if (i <= last[s]) {
              violations.add(
                  "round "
                      + n
                      + " conn "
                      + c.k
                      + ": sender "
                      + s
                      + " frame "
                      + i
                      + " written after frame "
                      + last[s]);
            }
            last[s] = i;
            seen[s * FRAMES + i] = true;
          }
        }
        for (int s = 0; s < SENDERS; s++) {
          for (int i = 0; i < FRAMES; i++) {
            if (delivered.get(index(c.k, s, i)) > 0 && !seen[s * FRAMES + i]) {
              violations.add(
                  "round "
                      + n
                      + " conn "
                      + c.k
                      + ": frame "
                      + s
                      + ":"
                      + i
                      + " delivered but never written");
            }
          }
        }
      }
    }

    void checkExactlyOnce() {
      for (int idx = 0; idx < delivered.length(); idx++) {
        int answers = delivered.get(idx) + failed.get(idx);
        if (answers != 1) {
          violations.add("round " + n + " frame " + idx + " answered " + answers + " times");
        }
      }
    }
  }

  private final class Answer implements DeliveryCallback {
    private final Round round;
    private final int idx;

    Answer(Round round, int idx) {
      this.round = round;
      this.idx = idx;
    }

    @Override
    public void delivered(TransportConnection connection) {
      answer(round.delivered, "delivered");
    }

    @Override
    public void failed(TransportConnection connection, Throwable cause) {
      answer(round.failed, "failed");
    }

    private void answer(AtomicIntegerArray outcome, String what) {
      if (OFFERING.get()) {
        round.inOffer.set(idx, 1);
        if (outcome == round.delivered) {
          violations.add("frame " + idx + " delivered in the offering thread");
        }
      }
      if (outcome.incrementAndGet(idx)
              + (outcome == round.delivered ? round.failed : round.delivered).get(idx)
          > 1) {
        violations.add("round " + round.n + " frame " + idx + " answered again: " + what);
      }
      round.answered.countDown();
    }
  }

  /** One connection: its queue and a fake transport (Grizzly connection or Tyrus remote). */
  private final class Conn {
    final int k;
    final Outbound out;
    final List<String> wire = new ArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicBoolean closeReturned = new AtomicBoolean();
    final TransportConnection owner;
    final boolean direct; // over TCP: written to the transport's write queue, not the chain

    Conn(int k, boolean tcp, boolean direct, int maxFrames, long maxBytes, Flusher flusher) {
      this.k = k;
      this.direct = direct;
      this.owner = owner(k);
      this.out =
          new Outbound(
              owner, () -> cutAsync(new IOException("write failed")), flusher, maxFrames, maxBytes);
      if (tcp) {
        out.attach(tcpConnection());
      } else {
        out.attach(remote());
      }
    }

    void close(Throwable cause) {
      out.close(cause);
      closeReturned.set(true);
    }

    void cutAsync(Throwable cause) {
      try {
        others.execute(() -> close(cause));
      } catch (RejectedExecutionException e) {
        close(cause);
      }
    }

    /** Takes one write: records its frames, then completes it now or later, maybe failed. */
    void write(List<String> texts, Runnable ok, java.util.function.Consumer<Throwable> fail) {
      write(() -> texts, false, ok, fail);
    }

    /**
     * As above; if {@code late}, the frames are read when the write completes, on another thread,
     * as a transport does with a write it queued: a buffer reused before then shows as frames out
     * of order or garbled.
     */
    void write(
        java.util.function.Supplier<List<String>> texts,
        boolean late,
        Runnable ok,
        java.util.function.Consumer<Throwable> fail) {
      if (closeReturned.get()) {
        violations.add("conn " + k + ": a write was handed over after close returned");
      }
      if (inFlight.incrementAndGet() > 1) {
        violations.add("conn " + k + ": two writes in flight");
      }
      if (!late) {
        synchronized (wire) {
          wire.addAll(texts.get());
        }
      }
      ThreadLocalRandom random = ThreadLocalRandom.current();
      boolean failure = random.nextInt(1_000) == 0;
      Runnable complete =
          () -> {
            if (late) {
              synchronized (wire) {
                wire.addAll(texts.get());
              }
            }
            inFlight.decrementAndGet();
            if (failure) {
              fail.accept(new IOException("reset by peer"));
            } else {
              ok.run();
            }
          };
      if (!late && random.nextBoolean()) {
        complete.run(); // reported inside the write call
      } else {
        try {
          others.execute(complete);
        } catch (RejectedExecutionException e) {
          complete.run();
        }
      }
    }

    @SuppressWarnings("unchecked")
    Connection<SocketAddress> tcpConnection() {
      return (Connection<SocketAddress>)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                if (method.getName().equals("getMemoryManager")) {
                  return MemoryManager.DEFAULT_MEMORY_MANAGER;
                }
                if (method.getName().equals("getTransport")) {
                  return direct ? transport() : null;
                }
                if (method.getName().equals("write") && args.length == 2) {
                  Buffer b = (Buffer) args[0];
                  CompletionHandler<WriteResult<Buffer, SocketAddress>> h =
                      (CompletionHandler<WriteResult<Buffer, SocketAddress>>) args[1];
                  write(unframe(b), () -> h.completed(null), h::failed);
                  return null;
                }
                return objectMethod(proxy, method, args);
              });
    }

    /**
     * A transport whose write queue takes the batches directly, as Grizzly's does: half of them
     * written at once, the others kept (through the message cloner, if one is given) and read when
     * they complete, later, on another thread.
     */
    Object transport() {
      AsyncQueueWriter<?> writer =
          (AsyncQueueWriter<?>)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {AsyncQueueWriter.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("write")
                        && (args.length == 3 || args.length == 5)) {
                      WritableMessage m = (WritableMessage) args[args.length == 3 ? 1 : 2];
                      @SuppressWarnings("unchecked")
                      CompletionHandler<Object> h =
                          (CompletionHandler<Object>) args[args.length == 3 ? 2 : 3];
                      @SuppressWarnings("unchecked")
                      MessageCloner<WritableMessage> cloner =
                          args.length == 5 ? (MessageCloner<WritableMessage>) args[4] : null;
                      if (ThreadLocalRandom.current().nextBoolean()) {
                        write(unframe((Buffer) m), () -> h.completed(null), h::failed);
                      } else {
                        WritableMessage kept =
                            cloner == null ? m : cloner.clone((Connection<?>) args[0], m);
                        write(
                            () -> unframe((Buffer) kept), true, () -> h.completed(null), h::failed);
                      }
                      return null;
                    }
                    return objectMethod(proxy, method, args);
                  });
      AsyncQueueIO<?> io =
          (AsyncQueueIO<?>)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {AsyncQueueIO.class},
                  (proxy, method, args) ->
                      method.getName().equals("getWriter")
                          ? writer
                          : objectMethod(proxy, method, args));
      return Proxy.newProxyInstance(
          getClass().getClassLoader(),
          new Class<?>[] {Transport.class, AsyncQueueEnabledTransport.class},
          (proxy, method, args) ->
              method.getName().equals("getAsyncQueueIO") ? io : objectMethod(proxy, method, args));
    }

    RemoteEndpoint.Async remote() {
      return (RemoteEndpoint.Async)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {RemoteEndpoint.Async.class},
              (proxy, method, args) -> {
                if (method.getName().equals("sendText") && args.length == 2) {
                  SendHandler h = (SendHandler) args[1];
                  write(
                      List.of((String) args[0]),
                      () -> h.onResult(new SendResult((jakarta.websocket.Session) null)),
                      e -> h.onResult(new SendResult((jakarta.websocket.Session) null, e)));
                  return null;
                }
                return objectMethod(proxy, method, args);
              });
    }
  }

  private static Object objectMethod(Object proxy, Method method, Object[] args) {
    return switch (method.getName()) {
      case "hashCode" -> System.identityHashCode(proxy);
      case "equals" -> proxy == args[0];
      case "toString" -> "fake";
      default -> throw new UnsupportedOperationException(method.getName());
    };
  }

  /** Splits a gathering write's bytes back into the texts of its WebSocket frames. */
  private List<String> unframe(Buffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    List<String> texts = new ArrayList<>();
    int p = 0;
    while (p < bytes.length) {
      if (bytes[p] != (byte) 0x81) {
        violations.add("not a final text frame at byte " + p);
        break;
      }
      int len = bytes[p + 1] & 0x7f;
      p += 2;
      if (len == 126) {
        len = ((bytes[p] & 0xff) << 8) | (bytes[p + 1] & 0xff);
        p += 2;
      } else if (len == 127) {
        long l = 0;
        for (int i = 0; i < 8; i++) {
          l = (l << 8) | (bytes[p + i] & 0xff);
        }
        len = Math.toIntExact(l);
        p += 8;
      }
      texts.add(new String(bytes, p, len, StandardCharsets.UTF_8));
      p += len;
    }
    return texts;
  }

  private static TransportConnection owner(int k) {
    return new TransportConnection() {
      @Override
      public ConnectionId id() {
        return ConnectionId.of("c-stress-" + k);
      }

      @Override
      public UserId user() {
        return UserId.anonymous();
      }

      @Override
      public void send(Frame frame, DeliveryCallback callback) {}
    };
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "stress-" + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
