package io.threadwire.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.ThreadMessaging;
import io.threadwire.startup.ReadinessState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example's HTTP side on the JDK's {@link HttpServer}: the demo page, the send and agent-run
 * API, the in-memory event stream and the health endpoints. Every refusal is a 4xx with a JSON body
 * naming the problem; every send answers its {@link SendOutcome} as JSON.
 */
final class HttpApi implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  private final ExampleSettings settings;
  private final LiveTransport transport;
  private final ThreadMessaging messaging;
  private final AgentRuns agentRuns;
  private final ReadinessState readiness;
  private final ObjectMapper json;
  private final Exchanges exchanges;
  private final StaticFiles files = new StaticFiles();
  private final HttpServer server;
  private final OverloadGuard guard;
  private volatile boolean started;

  HttpApi(
      ExampleSettings settings,
      LiveTransport transport,
      AgentRuns agentRuns,
      ReadinessState readiness,
      ObjectMapper json,
      HttpServer server,
      ExecutorService executor) {
    this.settings = settings;
    this.transport = transport;
    this.messaging = transport.messaging();
    this.agentRuns = agentRuns;
    this.readiness = readiness;
    this.json = json;
    this.exchanges = new Exchanges(json, settings.maxBodyBytes());
    this.server = server;
    server.createContext("/", this::handle);
    this.guard = new OverloadGuard(executor);
    server.setExecutor(guard);
  }

  /** Starts serving on the address bound when the server was created. */
  void start() {
    server.start();
    started = true;
  }

  /** Returns the bound address. */
  InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops accepting requests and closes open exchanges at once. */
  @Override
  public void close() {
    release(server, started);
    guard.shutdown();
  }

  /**
   * Stops {@code server} and frees its port. The JDK's server keeps a bound, never-started socket
   * open on {@code stop}, so such a server is started first: stopping is what closes the socket.
   */
  static void release(HttpServer server, boolean started) {
    if (!started) {
      server.start();
    }
    server.stop(0);
  }

  private void handle(HttpExchange exchange) {
    try {
      if (OverloadGuard.overloaded()) {
        // Every request thread is busy: say so and when to come back, rather than reset.
        exchange.getResponseHeaders().set("Retry-After", "1");
        throw new ApiException(
            503, "overloaded", "the server is busy (every request thread is in use); retry later");
      }
      route(exchange);
    } catch (ApiException e) {
      respondError(exchange, e);
    } catch (RuntimeException | IOException e) {
      LOG.warn("request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      respondError(exchange, new ApiException(500, "internal_error", "internal error: " + e));
    } finally {
      exchange.close();
    }
  }

  private void respondError(HttpExchange exchange, ApiException e) {
    try {
      exchanges.sendError(exchange, e);
    } catch (IOException | RuntimeException ignored) {
      // The response was already started or the client left; nothing more to tell it.
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String method = exchange.getRequestMethod();
    switch (path) {
      case "/", "/index.html" -> {
        Requests.allow(method, path, "GET");
        files.serve(exchange, "index.html");
      }
      case "/app.js", "/threadwire-client.js" -> {
        Requests.allow(method, path, "GET");
        files.serve(exchange, path.substring(1));
      }
      case "/api/config" -> {
        Requests.allow(method, path, "GET");
        exchanges.sendJson(exchange, 200, Map.of("endpoint", transport.clientEndpoint()));
      }
      case "/health/live" -> {
        Requests.allow(method, path, "GET");
        exchanges.sendJson(exchange, 200, Map.of("status", "UP"));
      }
      case "/health/ready" -> {
        Requests.allow(method, path, "GET");
        refreshReadiness();
        Exchanges.send(
            exchange,
            readiness.isReady() ? 200 : 503,
            "application/json; charset=utf-8",
            readiness.toJson().getBytes(StandardCharsets.UTF_8));
      }
      default -> routeThread(exchange, method, path);
    }
  }

  /** {@code /api/threads/{id}} and {@code /api/threads/{id}/(messages|agent-runs|events)}. */
  private void routeThread(HttpExchange exchange, String method, String path) throws IOException {
    String[] parts = path.split("/", -1);
    if (parts.length < 4
        || parts.length > 5
        || !parts[1].equals("api")
        || !parts[2].equals("threads")) {
      throw ApiException.notFound(path);
    }
    if (parts.length == 4) {
      Requests.allow(method, path, "GET");
      ThreadId thread = Requests.thread(parts[3]);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("thread", thread.value());
      body.put("connections", messaging.connectionCount(thread));
      body.put("users", messaging.userCount(thread));
      exchanges.sendJson(exchange, 200, body);
      return;
    }
    switch (parts[4]) {
      case "messages" -> {
        Requests.allow(method, path, "POST");
        postMessage(exchange, Requests.thread(parts[3]));
      }
      case "agent-runs" -> {
        Requests.allow(method, path, "POST");
        postAgentRun(exchange, Requests.thread(parts[3]));
      }
      case "events" -> {
        Requests.allow(method, path, "GET");
        ThreadId thread = Requests.thread(parts[3]);
        EventStream events =
            transport
                .eventStream()
                .orElseThrow(
                    () ->
                        new ApiException(
                            404,
                            "not_found",
                            "no event stream with this transport; connect to "
                                + transport.clientEndpoint().url()));
        Map<String, String> query = Exchanges.query(exchange);
        events.serve(exchange, thread, Requests.since(query.get("since"), query.get("epoch")));
      }
      default -> throw ApiException.notFound(path);
    }
  }

  /**
   * Re-runs the checks once, waiting a bounded time; a slow check leaves the last known state in
   * place (and the refresh goes on in the background, coalesced with the next request's).
   */
  private void refreshReadiness() {
    try {
      readiness
          .refresh()
          .toCompletableFuture()
          .get(settings.readyWait().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      LOG.debug("readiness refresh did not finish: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void postMessage(HttpExchange exchange, ThreadId thread) throws IOException {
    Map<String, String> query = Exchanges.query(exchange);
    boolean transientSend = Requests.flag(query.get("transient"), "transient");
    JsonNode payload = jsonBody(exchange);
    Message.Builder message = Message.builder(json.writeValueAsString(payload));
    JsonNode type = payload.get("type");
    if (type != null && type.isTextual() && !type.asText().isEmpty()) {
      message.metadata("type", type.asText());
    }
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    if (key != null) {
      if (key.isEmpty() || key.length() > 256) {
        throw ApiException.badRequest(
            "invalid_idempotency_key", "Idempotency-Key must be 1-256 characters");
      }
      message.idempotencyKey(key);
    }
    SendOptions options = transientSend ? SendOptions.transientSend() : SendOptions.defaults();
    SendOutcome outcome = messaging.sendAndWait(thread, message.build(), options);
    exchanges.sendJson(exchange, OutcomeJson.httpStatus(outcome), OutcomeJson.of(thread, outcome));
  }

  private void postAgentRun(HttpExchange exchange, ThreadId thread) throws IOException {
    byte[] raw = exchanges.body(exchange);
    String prompt = "What is Threadwire?";
    if (raw.length > 0) {
      JsonNode body = parse(raw);
      JsonNode p = body.get("prompt");
      if (p != null && !p.isTextual()) {
        throw ApiException.badRequest("invalid_prompt", "\"prompt\" must be a string");
      }
      if (p != null) {
        prompt = p.asText();
      }
    }
    CompletableFuture<SendOutcome> first = new CompletableFuture<>();
    String runId = agentRuns.start(thread, prompt, first::complete);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("runId", runId);
    body.put("thread", thread.value());
    body.put("events", AgentRuns.EVENTS);
    body.put("stepDelayMillis", agentRuns.stepDelay().toMillis());
    body.put("firstEvent", OutcomeJson.of(thread, first.join()));
    exchanges.sendJson(exchange, 202, body);
  }

  private JsonNode jsonBody(HttpExchange exchange) throws IOException {
    byte[] raw = exchanges.body(exchange);
    if (raw.length == 0) {
      throw ApiException.badRequest("empty_body", "the request body must be a JSON payload");
    }
    return parse(raw);
  }

  private JsonNode parse(byte[] raw) {
    try {
      return json.readTree(raw);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(
          "malformed_json", "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("malformed_json", "the request body could not be read: " + e);
    }
  }
}
