package io.threadwire.benchmarks;

import io.threadwire.ConnectionId;
import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.hub.ThreadHub;
import io.threadwire.spi.Since;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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

/**
 * Two threads on one hub: one sends to a thread of N connections while the other keeps joining and
 * leaving it, the membership churn of browsers reconnecting.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Group)
public class ChurnSendBenchmark {

  @Param({"10", "1000"})
  int recipients;

  private static final ThreadId ROOM = ThreadId.of("room");
  private ThreadHub hub;
  private Message message;
  private ConnectionId churner;

  @Setup(Level.Trial)
  public void setUp() {
    hub = ThreadHub.builder((t, e, o, m) -> m.payload()).build();
    hub.start();
    for (int i = 0; i < recipients; i++) {
      CoreSendBenchmark.NoOpConnection c =
          new CoreSendBenchmark.NoOpConnection(ConnectionId.of("c" + i));
      hub.register(c);
      hub.join(c.id(), ROOM, Since.none());
    }
    churner = ConnectionId.of("churner");
    hub.register(new CoreSendBenchmark.NoOpConnection(churner));
    message = Message.builder("{\"type\":\"thinking\"}").id("m").build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    hub.close();
  }

  /** The sending thread. */
  @Benchmark
  @Group("churn")
  @GroupThreads(1)
  public CompletionStage<SendOutcome> send() {
    return hub.send(ROOM, message, SendOptions.defaults());
  }

  /** The churning thread: one join and one leave per operation. */
  @Benchmark
  @Group("churn")
  @GroupThreads(1)
  public boolean joinLeave() {
    hub.join(churner, ROOM, Since.none());
    return hub.leave(churner, ROOM);
  }
}
