package io.threadwire.examples;

import static io.threadwire.examples.TestApps.connections;
import static io.threadwire.examples.TestApps.get;
import static io.threadwire.examples.TestApps.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.util.Modules;
import io.threadwire.examples.TestApps.Response;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The example end to end over real sockets: the HTTP API answers honest outcomes, and a real client
 * following a thread gets messages live and recovers what it missed. One subclass per transport,
 * each with its own kind of client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HttpApiEndToEndTest {

  private final Map<String, Object> config;
  private final LiveClient.Factory clients;
  private ExampleApp app;

  /**
   * @param config configuration overrides choosing the transport
   * @param clients opens a real client of that transport
   */
  HttpApiEndToEndTest(Map<String, Object> config, LiveClient.Factory clients) {
    this.config = config;
    this.clients = clients;
  }

  @BeforeAll
  void start() {
    app = TestApps.start(config, Modules.EMPTY_MODULE);
  }

  /** Returns the running app. */
  ExampleApp app() {
    return app;
  }

  private LiveClient open(String thread, Long since) {
    return clients.open(app, thread, since, null);
  }

  @AfterAll
  void stop() {
    app.close();
  }

  @Nested
  @DisplayName("sending through the API")
  class Outcomes {

    @Test
    @DisplayName("a transient send with nobody connected is NO_RECIPIENTS, accepted, not stored")
    void transientNobody() {
      Response r = post(app, "/api/threads/t-transient/messages?transient=true", "{\"a\":1}");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text("status")).isEqualTo("NO_RECIPIENTS");
      assertThat(r.json().path("accepted").asBoolean()).isTrue();
      assertThat(r.json().path("offset").isNull()).isTrue();
    }

    @Test
    @DisplayName("a send with nobody connected is QUEUED at the next offset")
    void queued() {
      Response first = post(app, "/api/threads/t-queued/messages", "{\"text\":\"one\"}");
      Response second = post(app, "/api/threads/t-queued/messages", "{\"text\":\"two\"}");
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.text("status")).isEqualTo("QUEUED");
      assertThat(first.json().path("offset").asLong()).isEqualTo(1);
      assertThat(second.json().path("offset").asLong()).isEqualTo(2);
      assertThat(second.text("reason")).contains("no live connections");
    }

    @Test
    @DisplayName("a send to a thread someone follows is DELIVERED live, payload and type intact")
    void delivered() {
      try (LiveClient client = open("t-live", null)) {
        await().until(() -> client.frames("joined").size() == 1);
        Response r =
            post(app, "/api/threads/t-live/messages", "{\"type\":\"chat\",\"text\":\"hi\"}");
        assertThat(r.text("status")).isEqualTo("DELIVERED");
        assertThat(r.json().path("deliveredCount").asInt()).isEqualTo(1);
        assertThat(r.json().path("failedCount").asInt()).isZero();
        assertThat(r.json().path("unconfirmedCount").asInt()).isZero();
        await().until(() -> client.frames("message").size() == 1);
        JsonNode frame = client.frames("message").get(0);
        assertThat(frame.path("offset").asLong()).isEqualTo(r.json().path("offset").asLong());
        assertThat(frame.path("payload").path("text").asText()).isEqualTo("hi");
        assertThat(frame.path("metadata").path("type").asText()).isEqualTo("chat");
      }
    }

    @Test
    @DisplayName("a retry with the same Idempotency-Key is answered as a duplicate, not resent")
    void idempotent() {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(TestApps.uri(app, "/api/threads/t-idem/messages"))
              .header("Idempotency-Key", "order-7")
              .POST(HttpRequest.BodyPublishers.ofString("{\"n\":7}"));
      Response first = TestApps.send(app, request);
      Response retry = TestApps.send(app, request);
      assertThat(first.json().path("duplicate").asBoolean()).isFalse();
      assertThat(retry.json().path("duplicate").asBoolean()).isTrue();
      assertThat(retry.json().path("offset").asLong())
          .isEqualTo(first.json().path("offset").asLong());
    }
  }

  @Nested
  @DisplayName("following a thread")
  class Recovery {

    @Test
    @DisplayName(
        "a client that reconnects with since = last offset recovers exactly what it missed")
    void recovers() {
      long lastSeen;
      long epoch;
      try (LiveClient client = open("t-recover", 0L)) {
        await().until(() -> client.frames("joined").size() == 1);
        epoch = client.frames("joined").get(0).path("epoch").asLong();
        post(app, "/api/threads/t-recover/messages", "{\"n\":1}");
        post(app, "/api/threads/t-recover/messages", "{\"n\":2}");
        await().until(() -> client.offsets().equals(List.of(1L, 2L)));
        lastSeen = 2;
      }
      await().until(() -> connections(app, "t-recover") == 0);
      Response missed1 = post(app, "/api/threads/t-recover/messages", "{\"n\":3}");
      Response missed2 = post(app, "/api/threads/t-recover/messages", "{\"n\":4}");
      assertThat(missed1.text("status")).isEqualTo("QUEUED");
      assertThat(missed2.text("status")).isEqualTo("QUEUED");
      assertThat(missed1.text("reason"))
          .as("the thread had a client, so not 'no connections yet'")
          .contains("no live connections")
          .doesNotContain("yet");

      // A resumed position carries its epoch: since without epoch is never answered recovered.
      try (LiveClient client = clients.open(app, "t-recover", lastSeen, epoch)) {
        await().until(() -> client.offsets().size() == 2);
        JsonNode joined = client.frames("joined").get(0);
        assertThat(joined.path("recovered").asBoolean()).isTrue();
        assertThat(joined.path("replayed").asInt()).isEqualTo(2);
        assertThat(joined.path("missed").asLong()).isZero();
        assertThat(client.offsets()).containsExactly(3L, 4L);
        Response live = post(app, "/api/threads/t-recover/messages", "{\"n\":5}");
        assertThat(live.text("status")).isEqualTo("DELIVERED");
        await().until(() -> client.offsets().equals(List.of(3L, 4L, 5L)));
      }
    }

    @Test
    @DisplayName(
        "a client whose epoch is gone (history lost) gets what is retained and is told of the gap")
    void epochGap() {
      post(app, "/api/threads/t-epoch/messages", "{\"n\":1}");
      post(app, "/api/threads/t-epoch/messages", "{\"n\":2}");
      try (LiveClient client = clients.open(app, "t-epoch", 7L, 12345L)) {
        await().until(() -> client.offsets().size() == 2);
        JsonNode joined = client.frames("joined").get(0);
        assertThat(joined.path("recovered").asBoolean()).isFalse();
        assertThat(joined.path("missed").asLong()).isPositive();
        assertThat(joined.path("epoch").asLong()).isNotEqualTo(12345L);
        assertThat(client.offsets()).containsExactly(1L, 2L);
      }
    }

    @Test
    @DisplayName("an agent run streams its five events to the thread, in order")
    void agentRun() {
      try (LiveClient client = open("t-agent", null)) {
        await().until(() -> client.frames("joined").size() == 1);
        Response r = post(app, "/api/threads/t-agent/agent-runs", "{\"prompt\":\"weather?\"}");
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().path("firstEvent").path("status").asText()).isEqualTo("DELIVERED");
        await().until(() -> client.frames("message").size() == 5);
        List<String> types =
            client.frames("message").stream()
                .map(f -> f.path("payload").path("type").asText())
                .toList();
        assertThat(types).containsExactlyElementsOf(AgentRuns.EVENTS);
        assertThat(client.frames("message"))
            .allSatisfy(
                f ->
                    assertThat(f.path("metadata").path("type").asText())
                        .isEqualTo(f.path("payload").path("type").asText()));
        assertThat(client.frames("message").get(0).path("payload").path("prompt").asText())
            .isEqualTo("weather?");
      }
    }
  }

  @Nested
  @DisplayName("health")
  class Health {

    @Test
    @DisplayName("ready answers 200 with the readiness report; no connections is healthy")
    void ready() {
      Response r = get(app, "/health/ready");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text("status")).isEqualTo("READY");
      JsonNode report = r.json().path("report");
      assertThat(report.path("ready").asBoolean()).isTrue();
      assertThat(report.path("checks").findValuesAsText("name"))
          .containsExactly("messaging", "agent-runs");
      assertThat(report.path("checks").findValuesAsText("status")).containsOnly("READY");
      assertThat(report.path("checks").get(0).path("reason").asText())
          .contains("nobody joins the probe thread");
    }

    @Test
    @DisplayName("live answers 200")
    void live() {
      Response r = get(app, "/health/live");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text("status")).isEqualTo("UP");
    }

    @Test
    @DisplayName("the demo page, its script and the threadwire-client module are served")
    void page() {
      Response page = get(app, "/");
      Response script = get(app, "/app.js");
      Response client = get(app, "/threadwire-client.js");
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body()).contains("<ul id=\"messages\">");
      assertThat(page.body()).contains("<script type=\"module\" src=\"/app.js\">");
      assertThat(page.raw().headers().firstValue("Content-Type"))
          .hasValue("text/html; charset=utf-8");
      assertThat(script.status()).isEqualTo(200);
      assertThat(script.body())
          .contains("import { ThreadwireClient } from '/threadwire-client.js'");
      assertThat(client.status()).isEqualTo(200);
      assertThat(client.raw().headers().firstValue("Content-Type"))
          .hasValue("text/javascript; charset=utf-8");
      assertThat(client.body()).contains("export class ThreadwireClient");
    }
  }

  @Nested
  @DisplayName("bad requests get a 4xx with a JSON error naming the problem")
  class BadRequests {

    @Test
    @DisplayName("an invalid thread id is 400 and quotes the thread id rule")
    void invalidThread() {
      Response r = post(app, "/api/threads/no%20spaces/messages", "{}");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.text("error")).isEqualTo("invalid_thread_id");
      assertThat(r.text("message")).contains("\"no spaces\"").contains(io.threadwire.ThreadId.RULE);
    }

    @Test
    @DisplayName("malformed JSON is 400")
    void malformed() {
      Response r = post(app, "/api/threads/t-bad/messages", "{\"text\": ");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.text("error")).isEqualTo("malformed_json");
      Response trailing = post(app, "/api/threads/t-bad/messages", "{} {}");
      assertThat(trailing.status()).isEqualTo(400);
    }

    @Test
    @DisplayName("an empty body is 400")
    void empty() {
      Response r = post(app, "/api/threads/t-bad/messages", "");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.text("error")).isEqualTo("empty_body");
    }

    @Test
    @DisplayName("a wrong method is 405 with an Allow header")
    void wrongMethod() {
      Response r = get(app, "/api/threads/t-bad/messages");
      assertThat(r.status()).isEqualTo(405);
      assertThat(r.text("error")).isEqualTo("method_not_allowed");
      assertThat(r.raw().headers().firstValue("Allow")).hasValue("POST");
      assertThat(post(app, "/health/ready", "{}").status()).isEqualTo(405);
    }

    @Test
    @DisplayName("an unknown path is 404")
    void unknown() {
      Response r = get(app, "/api/nope");
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.text("error")).isEqualTo("not_found");
      assertThat(get(app, "/api/threads/t-bad/whatever").status()).isEqualTo(404);
    }

    @Test
    @DisplayName("a body over the configured size is 413")
    void tooLarge() {
      String big = "{\"text\":\"" + "x".repeat(70 * 1024) + "\"}";
      Response r = post(app, "/api/threads/t-bad/messages", big);
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.text("error")).isEqualTo("body_too_large");
    }

    @Test
    @DisplayName("bad query values are 400 naming the parameter")
    void badQuery() {
      Response flag = post(app, "/api/threads/t-bad/messages?transient=maybe", "{}");
      assertThat(flag.status()).isEqualTo(400);
      assertThat(flag.text("error")).isEqualTo("invalid_transient");
    }
  }
}
