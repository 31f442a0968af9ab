package io.threadwire.tyrus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.threadwire.Message;
import io.threadwire.ThreadId;
import io.threadwire.hub.HubSettings;
import io.threadwire.hub.InMemoryThreadLog;
import io.threadwire.spi.AppendResult;
import io.threadwire.spi.LogGap;
import io.threadwire.spi.LogHealth;
import io.threadwire.spi.LogListener;
import io.threadwire.spi.LogPolicy;
import io.threadwire.spi.LogReplay;
import io.threadwire.spi.LogSubscription;
import io.threadwire.spi.Since;
import io.threadwire.spi.ThreadLog;
import io.threadwire.testkit.log.RemoteLogSimulation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("socket")
@DisplayName("A gap the thread log signals reaches clients as the gap frame")
class GapSignalTest {

  private static final ThreadId ROOM = ThreadId.of("gap-room");
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private TyrusThreadMessaging server(ThreadLog log) {
    TyrusThreadMessaging m =
        TyrusThreadMessaging.builder(TyrusSettings.builder().port(0).build())
            .hubSettings(HubSettings.defaults())
            .threadLog(log)
            .build();
    m.start();
    open.add(m);
    return m;
  }

  private TestClient joined(TyrusThreadMessaging m) {
    TestClient c = TestClient.connect(m.uri(), Map.of());
    open.add(c);
    assertThat(DeliveryTest.join(c, ROOM).path("type").asText()).isEqualTo("joined");
    return c;
  }

  private static List<String> thread(TestClient c) {
    return c.frames().stream()
        .filter(f -> f.path("type").asText().matches("message|gap"))
        .map(f -> f.path("type").asText() + ":" + f.path("offset").asLong(-1))
        .toList();
  }

  @Test
  @DisplayName("a lost notification reaches every member as a gap frame between the messages")
  void lostNotification() {
    RemoteLogSimulation log =
        RemoteLogSimulation.builder(InMemoryThreadLog.create(Clock.systemUTC())).build();
    TyrusThreadMessaging m = server(log);
    TestClient a = joined(m);
    TestClient b = joined(m);
    m.send(ROOM, Message.of("{\"n\":1}"));
    for (TestClient c : List.of(a, b)) {
      c.await(f -> f.path("offset").asLong() == 1);
    }
    log.loseNextNotifications(1);
    m.send(ROOM, Message.of("{\"n\":2}"));
    m.send(ROOM, Message.of("{\"n\":3}"));
    for (TestClient c : List.of(a, b)) {
      c.await(f -> f.path("offset").asLong() == 3);
      assertThat(thread(c)).containsExactly("message:1", "gap:-1", "message:3");
      JsonNode gap = c.frames("gap").get(0);
      assertThat(gap.path("thread").asText()).isEqualTo(ROOM.value());
      assertThat(gap.path("from").asLong()).isEqualTo(2);
      assertThat(gap.path("to").asLong()).isEqualTo(2);
      assertThat(gap.path("epochChanged").asBoolean()).isFalse();
      assertThat(gap.path("epoch").asLong())
          .isEqualTo(c.frames("message").get(0).path("epoch").asLong());
    }
  }

  @Test
  @DisplayName("a new epoch the log signals reaches the client as a gap frame with epochChanged")
  void newEpoch() {
    Capturing log = new Capturing(InMemoryThreadLog.create(Clock.systemUTC()));
    TyrusThreadMessaging m = server(log);
    TestClient a = joined(m);
    m.send(ROOM, Message.of("{\"n\":1}"));
    JsonNode first = a.await(f -> f.path("offset").asLong() == 1);
    long epoch = first.path("epoch").asLong();
    log.listeners.get(ROOM).gap(new LogGap(ROOM, epoch + 1, 0, "test: history lost"));
    JsonNode gap = a.await(f -> "gap".equals(f.path("type").asText()));
    assertThat(gap.path("epoch").asLong()).isEqualTo(epoch + 1);
    assertThat(gap.path("epochChanged").asBoolean()).isTrue();
    assertThat(gap.path("from").asLong()).isEqualTo(1);
    assertThat(gap.path("to").asLong()).isEqualTo(0);
    assertThat(gap.has("reason")).as("the log's reason stays on the server").isFalse();
    await().atMost(Duration.ofSeconds(10)).until(() -> a.frames("gap").size() == 1);
  }

  /** The in-memory log, keeping each thread's listener so a test can signal a gap on it. */
  private static final class Capturing implements ThreadLog {
    final ThreadLog delegate;
    final Map<ThreadId, LogListener> listeners = new ConcurrentHashMap<>();

    Capturing(ThreadLog delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletionStage<AppendResult> append(
        ThreadId thread, LogPolicy policy, Message message, long token) {
      return delegate.append(thread, policy, message, token);
    }

    @Override
    public CompletionStage<AppendResult> publish(ThreadId thread, Message message, long token) {
      return delegate.publish(thread, message, token);
    }

    @Override
    public CompletionStage<LogReplay> replay(ThreadId thread, LogPolicy policy, Since since) {
      return delegate.replay(thread, policy, since);
    }

    @Override
    public CompletionStage<LogSubscription> subscribe(
        ThreadId thread, LogPolicy policy, LogListener listener) {
      listeners.put(thread, listener);
      return delegate.subscribe(thread, policy, listener);
    }

    @Override
    public CompletionStage<LogHealth> health() {
      return delegate.health();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
