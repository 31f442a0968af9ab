package io.threadwire.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Starts the example on ephemeral ports and talks to its HTTP API. */
final class TestApps {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestApps() {}

  /** The test configuration: the real application.conf with ports 0 and short agent steps. */
  static Config config(Map<String, Object> overrides) {
    Map<String, Object> all = new HashMap<>();
    all.put("threadwire.examples.http.port", 0);
    all.put("threadwire.tyrus.port", 0);
    all.put("threadwire.examples.agent-run.step-delay", "20ms");
    all.putAll(overrides);
    return ConfigFactory.parseMap(all).withFallback(ConfigFactory.load()).resolve();
  }

  static ExampleApp start() {
    return start(Map.of(), Modules.EMPTY_MODULE);
  }

  static ExampleApp start(Map<String, Object> overrides, Module module) {
    return ExampleApp.start(config(overrides), module);
  }

  /** An HTTP response with its body parsed as JSON when it is JSON. */
  record Response(int status, String body, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    String text(String field) {
      return json().path(field).asText();
    }
  }

  static Response get(ExampleApp app, String path) {
    return send(app, HttpRequest.newBuilder(uri(app, path)).GET());
  }

  static Response post(ExampleApp app, String path, String body) {
    return send(
        app,
        HttpRequest.newBuilder(uri(app, path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  static Response send(ExampleApp app, HttpRequest.Builder request) {
    try {
      HttpResponse<String> r =
          CLIENT.send(
              request.timeout(Duration.ofSeconds(20)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static URI uri(ExampleApp app, String path) {
    return app.pageUri().resolve(path.startsWith("/") ? path.substring(1) : path);
  }

  /** Returns how many connections the app counts in {@code thread}. */
  static int connections(ExampleApp app, String thread) {
    return get(app, "/api/threads/" + thread).json().path("connections").asInt(-1);
  }
}
