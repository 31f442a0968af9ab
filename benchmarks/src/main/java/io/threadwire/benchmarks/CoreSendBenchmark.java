package io.threadwire.benchmarks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.threadwire.ConnectionId;
import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.hub.ThreadHub;
import io.threadwire.micrometer.ThreadwireMetrics;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.MessagingListener;
import io.threadwire.spi.Since;
import io.threadwire.spi.TransportConnection;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The core send path against its floor: {@code threadwireSend} sends through {@link ThreadHub} to N
 * no-op connections; {@code baseline} does what any fan-out must do at least, a {@link
 * ConcurrentHashMap} lookup and a loop handing one shared frame to N sinks. Run with {@code -prof
 * gc} to see {@code gc.alloc.rate.norm}: it must not grow with N. {@code metrics=micrometer} runs
 * the same send with {@link ThreadwireMetrics} bound to a registry (counters and the latency timer
 * move on every send); {@code none} with no listener. The target: within 5% of each other.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CoreSendBenchmark {

  @Param({"1", "10", "1000", "10000"})
  int recipients;

  @Param({"none", "noop", "counters", "micrometer"})
  String metrics;

  private static final ThreadId ROOM = ThreadId.of("room");
  private ThreadHub hub;
  private Message message;
  private final ConcurrentHashMap<ThreadId, Sink[]> baselineThreads = new ConcurrentHashMap<>();
  private Object sharedFrame;

  @Setup(Level.Trial)
  public void setUp() {
    ThreadHub.Builder b = ThreadHub.builder((t, e, o, m) -> m.payload());
    if (metrics.equals("micrometer")) {
      ThreadwireMetrics meters = ThreadwireMetrics.create();
      b.listener(meters.listener());
      meters.bindTo(new SimpleMeterRegistry());
    } else if (metrics.equals("noop")) {
      b.listener(new MessagingListener() {});
    } else if (metrics.equals("counters")) {
      Counter c = Counter.builder("x").register(new SimpleMeterRegistry());
      b.listener(
          new MessagingListener() {
            @Override
            public void sendCompleted(SendOutcome outcome, long latencyNanos) {
              c.increment();
            }
          });
    }
    hub = b.build();
    hub.start();
    Sink[] sinks = new Sink[recipients];
    for (int i = 0; i < recipients; i++) {
      NoOpConnection c = new NoOpConnection(ConnectionId.of("c" + i));
      hub.register(c);
      hub.join(c.id(), ROOM, Since.none());
      sinks[i] = new NoOpSink();
    }
    baselineThreads.put(ROOM, sinks);
    message = Message.builder("{\"type\":\"tool_executing\",\"n\":1}").id("m").build();
    sharedFrame = new Object();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    hub.close();
  }

  /** A send through the hub: offset, history append, encode once, fan-out, outcome. */
  @Benchmark
  public CompletionStage<SendOutcome> threadwireSend() {
    return hub.send(ROOM, message, SendOptions.defaults());
  }

  /** The floor: a map lookup and one shared frame handed to every sink. */
  @Benchmark
  public void baseline(Blackhole bh) {
    Sink[] sinks = baselineThreads.get(ROOM);
    for (Sink sink : sinks) {
      sink.accept(sharedFrame);
    }
    bh.consume(sinks);
  }

  /** A connection that acknowledges every write at once. */
  record NoOpConnection(ConnectionId id) implements TransportConnection {
    @Override
    public UserId user() {
      return UserId.anonymous();
    }

    @Override
    public void send(Frame frame, DeliveryCallback callback) {
      callback.delivered(this);
    }
  }

  /** What the baseline hands frames to. */
  interface Sink {
    void accept(Object frame);
  }

  /** A sink that does nothing, the baseline's counterpart of {@link NoOpConnection}. */
  static final class NoOpSink implements Sink {
    @Override
    public void accept(Object frame) {}
  }
}
