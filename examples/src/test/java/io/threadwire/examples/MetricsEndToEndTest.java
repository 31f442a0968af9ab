package io.threadwire.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.inject.util.Modules;
import io.threadwire.examples.TestApps.Response;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("GET /metrics, scraped after a known sequence of sends and joins, says what happened")
class MetricsEndToEndTest {

  private final ExampleApp app =
      TestApps.start(Map.of("threadwire.examples.transport", "tyrus"), Modules.EMPTY_MODULE);

  @AfterEach
  void close() {
    app.close();
  }

  @Test
  @DisplayName("sends by status, deliveries, joins, replays and the hub's gauges, exactly")
  void scrapeMatchesWhatHappened() {
    Map<String, Double> before = scrape();
    // The startup probe: one transient send to nobody, nothing else yet.
    assertThat(before.get("threadwire_sends_total{error=none,status=no_recipients}")).isEqualTo(1);
    assertThat(before.get("threadwire_sends_total{error=none,status=delivered}")).isZero();
    assertThat(before.get("threadwire_connections")).isZero();

    assertThat(post("/api/threads/metrics/messages", "{\"n\":1}").text("status"))
        .isEqualTo("QUEUED");
    assertThat(post("/api/threads/metrics/messages?transient=true", "{\"n\":0}").text("status"))
        .isEqualTo("NO_RECIPIENTS");
    try (WebSocketClient client = WebSocketClient.open(app, "metrics", 0L, null)) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  client.frames().stream()
                      .anyMatch(f -> f.path("type").asText().equals("message")));
      assertThat(post("/api/threads/metrics/messages", "{\"n\":2}").text("status"))
          .isEqualTo("DELIVERED");

      Map<String, Double> after = scrape();
      assertThat(after.get("threadwire_sends_total{error=none,status=queued}")).isEqualTo(1);
      assertThat(after.get("threadwire_sends_total{error=none,status=no_recipients}")).isEqualTo(2);
      assertThat(after.get("threadwire_sends_total{error=none,status=delivered}")).isEqualTo(1);
      assertThat(after.get("threadwire_sends_total{error=closed,status=error}")).isZero();
      // Timed: the queued, the transient to the now-tracked thread and the delivered send; the
      // probe to a thread nobody tracks ends before the log: counted, not timed.
      assertThat(after.get("threadwire_send_latency_seconds_count")).isEqualTo(3);
      assertThat(after.get("threadwire_deliveries_total")).isEqualTo(1);
      assertThat(after.get("threadwire_writes_failed_total")).isZero();
      assertThat(after.get("threadwire_joins_total{status=joined}")).isEqualTo(1);
      assertThat(after.get("threadwire_replays_total")).isEqualTo(1);
      assertThat(after.get("threadwire_replayed_messages_total")).isEqualTo(1);
      assertThat(after.get("threadwire_gaps_total")).isZero();
      assertThat(after.get("threadwire_connections")).isEqualTo(1);
      assertThat(after.get("threadwire_memberships")).isEqualTo(1);
      assertThat(after.get("threadwire_threads")).isEqualTo(1);
      assertThat(after.get("threadwire_history_messages")).isEqualTo(2);
      assertThat(after.get("threadwire_handshakes_refused_total{reason=origin_not_allowed}"))
          .isZero();
    }
  }

  @Test
  @DisplayName("is served as Prometheus text, GET only")
  void prometheusText() {
    Response r = TestApps.get(app, "/metrics");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.raw().headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body())
        .contains("# TYPE threadwire_sends_total counter")
        .contains("# HELP threadwire_connections");
    assertThat(TestApps.post(app, "/metrics", "").status()).isEqualTo(405);
  }

  private Response post(String path, String body) {
    return TestApps.post(app, path, body);
  }

  /**
   * Returns every sample of the scrape by name and sorted labels, quotes dropped: {@code
   * name{a=x,b=y}}.
   */
  private Map<String, Double> scrape() {
    Response r = TestApps.get(app, "/metrics");
    assertThat(r.status()).isEqualTo(200);
    Map<String, Double> samples = new TreeMap<>();
    for (String line : r.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String key = line.substring(0, space);
      double value = Double.parseDouble(line.substring(space + 1));
      int brace = key.indexOf('{');
      if (brace >= 0) {
        TreeMap<String, String> labels = new TreeMap<>();
        for (String pair : key.substring(brace + 1, key.length() - 1).split(",")) {
          int eq = pair.indexOf('=');
          labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
        }
        StringBuilder sb = new StringBuilder(key.substring(0, brace)).append('{');
        labels.forEach((k, v) -> sb.append(k).append('=').append(v).append(','));
        sb.setLength(sb.length() - 1);
        key = sb.append('}').toString();
      }
      samples.put(key, value);
    }
    return samples;
  }
}
