package io.threadwire.clientjs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.tyrus.HandshakeAuthenticator;
import io.threadwire.tyrus.TyrusConfig;
import io.threadwire.tyrus.TyrusSettings;
import io.threadwire.tyrus.TyrusThreadMessaging;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The real Tyrus server for the JavaScript client's Node tests, with an HTTP control channel.
 *
 * <p>Started by {@code test/support/server.js} as {@code java -cp <classpath> -D<settings>
 * io.threadwire.clientjs.TestServer}: every {@code threadwire.*} key of the adapter's {@code
 * reference.conf} can be set with a system property; the WebSocket port is always ephemeral. With
 * {@code -Dtestserver.tokens=a,b} only those access tokens are accepted (the user is the token),
 * and the set can be changed at run time to expire a token. Prints one JSON line, {@code
 * {"ws":"ws://...","control":"http://..."}}, and exits when its standard input closes, so a test
 * run that dies never leaves a server behind.
 *
 * <p>Control requests (all answer JSON):
 *
 * <ul>
 *   <li>{@code POST /send?thread=T&count=N&size=S&transient=false}: sends N messages {@code
 *       {"n":i,"pad":"..."}} (S pad characters) one after the other, waits for the outcomes
 *       (bounded by the hub's send timeout) and answers them;
 *   <li>{@code GET /threads/T}: the thread's connection count;
 *   <li>{@code POST /restart}: closes the server and starts a new one on the same port (a new hub,
 *       so every thread's history has a new epoch);
 *   <li>{@code POST /tokens?valid=a,b}: replaces the accepted tokens;
 *   <li>{@code GET /handshakes}: how many handshakes the authenticator saw, and their tokens.
 * </ul>
 */
public final class TestServer {

  private final Config config;
  private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
  private final boolean tokensRequired;
  private final List<String> handshakes = new CopyOnWriteArrayList<>();
  private volatile TyrusThreadMessaging messaging;

  private TestServer(Config config) {
    this.config = config;
    String tokens = System.getProperty("testserver.tokens", "");
    this.tokensRequired = !tokens.isEmpty();
    validTokens.addAll(split(tokens));
  }

  /**
   * Starts the server and the control channel, prints where they listen, and runs until standard
   * input closes.
   *
   * @param args ignored; settings come from system properties
   */
  public static void main(String[] args) throws IOException {
    ConfigFactory.invalidateCaches();
    Config config = ConfigFactory.load();
    TestServer server = new TestServer(config);
    server.messaging = server.start(0);
    HttpServer control =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    control.createContext("/", server::handle);
    control.setExecutor(Executors.newFixedThreadPool(4));
    control.start();
    System.out.println(
        "{\"ws\":\""
            + server.messaging.uri()
            + "\",\"control\":\"http://127.0.0.1:"
            + control.getAddress().getPort()
            + "\"}");
    System.out.flush();
    InputStream in = System.in;
    while (in.read() >= 0) {
      // Runs until the test process closes our standard input (or dies).
    }
    server.messaging.close();
    control.stop(0);
    System.exit(0);
  }

  private TyrusThreadMessaging start(int port) {
    TyrusSettings settings = TyrusConfig.tyrusSettings(config).toBuilder().port(port).build();
    TyrusThreadMessaging m =
        TyrusThreadMessaging.builder(settings)
            .hubSettings(TyrusConfig.hubSettings(config))
            .authenticator(authenticator())
            .build();
    m.start();
    return m;
  }

  private HandshakeAuthenticator authenticator() {
    return handshake -> {
      Optional<String> token = handshake.token();
      handshakes.add(token.orElse(""));
      if (!tokensRequired) {
        return Optional.of(token.map(UserId::of).orElse(UserId.anonymous()));
      }
      return token.filter(validTokens::contains).map(UserId::of);
    };
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      String body;
      if (path.equals("/send")) {
        body = send(query);
      } else if (path.startsWith("/threads/")) {
        ThreadId thread = ThreadId.of(path.substring("/threads/".length()));
        body = "{\"connections\":" + messaging.connectionCount(thread) + "}";
      } else if (path.equals("/restart")) {
        int port = messaging.boundPort();
        messaging.close();
        messaging = start(port);
        body = "{\"ws\":\"" + messaging.uri() + "\"}";
      } else if (path.equals("/tokens")) {
        validTokens.clear();
        validTokens.addAll(split(query.getOrDefault("valid", "")));
        body = "{\"valid\":" + validTokens.size() + "}";
      } else if (path.equals("/handshakes")) {
        StringBuilder b = new StringBuilder("{\"count\":").append(handshakes.size());
        b.append(",\"tokens\":[");
        for (int i = 0; i < handshakes.size(); i++) {
          b.append(i == 0 ? "\"" : ",\"").append(handshakes.get(i)).append('"');
        }
        body = b.append("]}").toString();
      } else {
        respond(exchange, 404, "{\"error\":\"not found\"}");
        return;
      }
      respond(exchange, 200, body);
    } catch (RuntimeException e) {
      respond(exchange, 500, "{\"error\":\"" + e.toString().replace('"', '\'') + "\"}");
    }
  }

  private String send(Map<String, String> query) {
    ThreadId thread = ThreadId.of(query.get("thread"));
    int count = Integer.parseInt(query.getOrDefault("count", "1"));
    int size = Integer.parseInt(query.getOrDefault("size", "0"));
    SendOptions options =
        Boolean.parseBoolean(query.getOrDefault("transient", "false"))
            ? SendOptions.transientSend()
            : SendOptions.defaults();
    String pad = "x".repeat(size);
    List<CompletableFuture<SendOutcome>> outcomes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Message message = Message.of("{\"n\":" + i + ",\"pad\":\"" + pad + "\"}");
      outcomes.add(messaging.send(thread, message, options).toCompletableFuture());
    }
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < outcomes.size(); i++) {
      SendOutcome o = outcomes.get(i).orTimeout(30, TimeUnit.SECONDS).join();
      b.append(i == 0 ? "" : ",")
          .append("{\"status\":\"")
          .append(o.status())
          .append("\",\"offset\":")
          .append(o.offset().isPresent() ? o.offset().getAsLong() : 0)
          .append(",\"delivered\":")
          .append(o.deliveredCount())
          .append(",\"failed\":")
          .append(o.failedCount())
          .append(",\"unconfirmed\":")
          .append(o.unconfirmedCount())
          .append('}');
    }
    return b.append(']').toString();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> result = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return result;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      result.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return result;
  }

  private static List<String> split(String csv) {
    List<String> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }
}
